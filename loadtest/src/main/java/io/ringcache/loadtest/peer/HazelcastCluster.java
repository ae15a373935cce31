package io.ringcache.loadtest.peer;

import static io.ringcache.loadtest.cluster.JvmProcessLauncher.requireName;

import io.ringcache.loadtest.cluster.JvmProcessLauncher;
import io.ringcache.loadtest.cluster.JvmProcessLauncher.Launch;
import io.ringcache.loadtest.cluster.LaunchedJvm;
import io.ringcache.loadtest.cluster.PortAllocator;
import io.ringcache.loadtest.cluster.ProcessCluster;
import io.ringcache.loadtest.cluster.ProcessGroupSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Hazelcast cluster as member processes on 127.0.0.1, the peer a comparison runs against:
 * what {@code LocalCluster} is for ringcache nodes. What a member is (flags, ports, seeds,
 * readiness) lives here; starting, signalling and cleaning up its process is the {@link
 * JvmProcessLauncher}'s.
 *
 * <h2>Design</h2>
 *
 * Each member is {@code java <jvmOptions> <module flags> -cp <classpath>} {@link
 * HazelcastMemberMain} with its own free port and the ports of every member running when it starts
 * as TCP-IP seeds. The JVM options are a parameter so a comparison can give the members the heap
 * of the ringcache nodes and the collector a Hazelcast user would choose; the module flags ({@link
 * #MODULE_FLAGS}) are the {@code Add-Exports}/{@code Add-Opens} that {@code cache-node.jar}'s
 * manifest grants ringcache's embedded Hazelcast, so both run with the same module access. The
 * classpath defaults to this JVM's, which holds Hazelcast and this module's classes (the target's
 * entry processor must load on the members). The cluster name is unique per launcher.
 *
 * <p>The launcher copies each member's output to {@code <logRoot>/<clusterName>/<name>.log} and
 * hands its lines here, where the {@link HazelcastMemberMain#READY} and {@link
 * HazelcastMemberMain#MEMBERS} lines are followed.
 * {@link #awaitReady} returns when every running member has printed ready and its latest count
 * equals the number of running members: every member sees all the others.
 *
 * <h2>Concurrency</h2>
 *
 * Public methods are thread-safe; {@link #start(String)}, {@link #stop}, {@link #kill} and {@link
 * #close} are serialized by the launcher. The running members are those whose process the
 * launcher holds. Readiness is tested again on every output line, never after a sleep.
 *
 * <h2>Failure</h2>
 *
 * Every wait is bounded and fails with a {@link HazelcastClusterException} naming the member and
 * its log. Only this cluster's processes are signalled, by PID; a member stopping gracefully keeps
 * its output pipe to the end, so its last lines reach the log. The launcher's JVM shutdown hook
 * kills whatever is left if the JVM exits without {@link #close}.
 */
public final class HazelcastCluster extends ProcessCluster {

  /**
   * Module access for Hazelcast, the same that {@code cache-node.jar}'s manifest grants: without
   * them Hazelcast warns and falls back to slower paths for some metrics and NIO internals.
   */
  public static final List<String> MODULE_FLAGS = List.of(
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  static final String HOST = "127.0.0.1";
  private static final Pattern COUNT = Pattern.compile("members=(\\d+)");

  private final List<String> jvmOptions;
  private final String classpath;
  private final int backupCount;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  /** Guards {@link #started} and every {@link Running}'s state; held briefly. */
  private final Object monitor = new Object();
  /** The latest start of each name, latest last. */
  private final Map<String, Running> started = new LinkedHashMap<>();

  /**
   * A started member; it runs while the launcher holds its process. Its lines may arrive before
   * {@link #launch} has set {@code member} and {@code jvm}; every field is guarded by {@link
   * #monitor}.
   */
  private static final class Running {
    HazelcastMember member;
    LaunchedJvm jvm;
    boolean ready;
    int members = -1;

    @Override
    public String toString() {
      return member.name() + (!jvm.isAlive() ? " exited" : ready ? " sees " + members
          : " starting");
    }
  }

  private HazelcastCluster(Builder settings) {
    super(new JvmProcessLauncher("hz", "member", settings.logRoot(),
        HazelcastClusterException::new));
    this.jvmOptions = settings.jvmOptions();
    this.classpath = settings.classpath;
    this.backupCount = settings.backupCount;
    this.readyTimeout = settings.readyTimeout();
    this.stopTimeout = settings.stopTimeout();
  }

  /** Settings, from the defaults: 2 members, backup count 1, {@code -Xmx256m -XX:+UseSerialGC}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Member addresses ({@code host:port}) of the running members, in start order. */
  public List<String> addresses() {
    return members().stream().map(HazelcastMember::address).toList();
  }

  /** The running members, in start order. */
  public List<HazelcastMember> members() {
    synchronized (monitor) {
      return running().stream().map(r -> r.member).toList();
    }
  }

  /**
   * Starts a member of this name with a new port, seeded with every running member, and returns
   * without waiting; follow with {@link #awaitReady}.
   */
  public HazelcastMember start(String name) {
    requireName("member", name);
    List<String> seeds = new ArrayList<>(addresses());
    int port = PortAllocator.PEERS.next();
    seeds.add(HOST + ":" + port);
    return launch(name, port, seeds);
  }

  /** The members whose process the launcher still holds, in start order; hold {@link #monitor}. */
  private List<Running> running() {
    return started.values().stream()
        .filter(r -> launcher.process(r.member.name()).orElse(null) == r.jvm).toList();
  }

  /** {@link #awaitReady(Duration)} bounded by the builder's {@code readyTimeout}. */
  public void awaitReady() {
    awaitReady(readyTimeout);
  }

  /**
   * Waits until every running member has printed ready and sees exactly the running members.
   *
   * @throws HazelcastClusterException if the bound passes first (the message shows what each
   *     member saw last), or a member exits while waiting
   */
  public void awaitReady(Duration timeout) {
    int size = members().size();
    launcher.await("every member seeing " + size, () -> {
      synchronized (monitor) {
        List<Running> now = running();
        return now.stream().allMatch(r -> r.ready && r.members == now.size());
      }
    }, timeout, () -> {
      synchronized (monitor) {
        return running().toString();
      }
    });
  }

  /**
   * Kills the member with SIGKILL and waits for it to be gone.
   *
   * @return the exit code the OS reported (137 on Linux)
   */
  public int kill(String name) {
    return launcher.kill(name);
  }

  /**
   * Stops the member with SIGTERM, which makes it migrate its partitions away and leave, and waits
   * for it to exit; bounded by the builder's {@code stopTimeout}, after which it is killed.
   *
   * @return the member's exit code (143: the JVM ran its shutdown hooks on SIGTERM)
   */
  public int stop(String name) {
    return launcher.stop(name, stopTimeout);
  }

  private HazelcastMember launch(String name, int port, List<String> seeds) {
    List<String> flags = new ArrayList<>(jvmOptions);
    flags.addAll(MODULE_FLAGS);
    Running r = new Running();
    LaunchedJvm jvm = launcher.start(Launch.named(name).jvmOptions(flags)
        .mainClass(classpath, HazelcastMemberMain.class.getName())
        .arguments(List.of("--name", name,
            "--cluster-name", launcher.group(),
            "--host", HOST,
            "--port", Integer.toString(port),
            "--members", String.join(",", seeds),
            "--backup-count", Integer.toString(backupCount)))
        // Hazelcast reads HZ_* variables as configuration; the flags above are the whole of it.
        .dropEnvironment(k -> k.startsWith("HZ_") || k.equals("CLASSPATH"))
        .onLine(line -> follow(r, line)));
    HazelcastMember member = new HazelcastMember(name, jvm.pid(), HOST, port, jvm.log());
    synchronized (monitor) {
      r.member = member;
      r.jvm = jvm;
      this.started.remove(name);
      this.started.put(name, r);
    }
    return member;
  }

  /** Tracks the member's ready and membership lines; the launcher wakes waiters after each. */
  private void follow(Running r, String line) {
    boolean ready = line.startsWith(HazelcastMemberMain.READY);
    if (ready || line.startsWith(HazelcastMemberMain.MEMBERS)) {
      Matcher m = COUNT.matcher(line);
      if (m.find()) {
        synchronized (monitor) {
          r.ready |= ready;
          r.members = Integer.parseInt(m.group(1));
        }
      }
    }
  }

  /**
   * Settings; {@link #start()} validates them and starts the members. Defaults of the shared ones:
   * 2 members, logs under {@code java.io.tmpdir/ringcache-peers}, readiness within 60 s, a
   * graceful stop within 60 s.
   */
  public static final class Builder extends ProcessGroupSettings<Builder> {

    private int backupCount = 1;
    private String classpath = System.getProperty("java.class.path");

    private Builder() {
      super(2, "ringcache-peers", Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    /** Members started by {@link #start()}, named {@code member-1} to {@code member-N}; 1..32. */
    public Builder members(int count) {
      return count("members", count);
    }

    /**
     * Synchronous backups of every map entry, 0..6 (Hazelcast's bound); default 1, which matches
     * ringcache's replication factor 2.
     */
    public Builder backupCount(int count) {
      this.backupCount = within("backupCount", count, 0, 6);
      return this;
    }

    /**
     * The members' classpath: it must hold Hazelcast 5.6 and this module's classes (a jar of the
     * loadtest module with its dependencies, or the classpath the CLI runs with). Default: this
     * JVM's {@code java.class.path}.
     */
    public Builder classpath(String path) {
      Objects.requireNonNull(path, "classpath");
      if (path.isBlank()) {
        throw new IllegalArgumentException("classpath must not be blank");
      }
      this.classpath = path;
      return this;
    }

    /**
     * Starts the members and returns without waiting for them to form a cluster; follow with
     * {@link HazelcastCluster#awaitReady()}. If one cannot be started, those started are killed.
     */
    public HazelcastCluster start() {
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalStateException(
            "java.class.path is empty; name the members' classpath with classpath(...)");
      }
      HazelcastCluster cluster = new HazelcastCluster(this);
      try {
        List<Integer> ports = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < count(); i++) {
          ports.add(PortAllocator.PEERS.next());
          seeds.add(HOST + ":" + ports.get(i));
        }
        for (int i = 0; i < count(); i++) {
          cluster.launch("member-" + (i + 1), ports.get(i), seeds);
        }
        return cluster;
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }
  }
}
