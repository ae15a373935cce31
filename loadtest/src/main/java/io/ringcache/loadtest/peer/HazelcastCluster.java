package io.ringcache.loadtest.peer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Hazelcast cluster as member processes on 127.0.0.1, the peer a comparison runs against:
 * what {@code LocalCluster} is for ringcache nodes. Like that class it is long because its builder
 * and its process bookkeeping live here; nothing else of it is public.
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
 * <p>A reader thread per member copies its output to {@code <logRoot>/<clusterName>/<name>.log}
 * and follows the {@link HazelcastMemberMain#READY} and {@link HazelcastMemberMain#MEMBERS} lines.
 * {@link #awaitReady} returns when every running member has printed ready and its latest count
 * equals the number of running members: every member sees all the others.
 *
 * <h2>Concurrency</h2>
 *
 * Public methods are thread-safe; {@link #start(String)}, {@link #stop}, {@link #kill} and {@link
 * #close} are serialized. Waiting is on a monitor the reader threads notify, never a sleep.
 *
 * <h2>Failure</h2>
 *
 * Every wait is bounded and fails with a {@link HazelcastClusterException} naming the member and
 * its log. Only this launcher's processes are signalled, each through its own {@link Process}
 * handle. Signals go through {@link Process#toHandle()}: {@link Process#destroy()} would also
 * close the pipe, so a member stopping gracefully would lose its last lines (and see its writes
 * fail). A JVM shutdown hook kills whatever is left if the JVM exits without {@link #close}.
 */
public final class HazelcastCluster implements AutoCloseable {

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
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern COUNT = Pattern.compile("members=(\\d+)");
  private static final Duration KILL_WAIT = Duration.ofSeconds(15);

  private final List<String> jvmOptions;
  private final String classpath;
  private final int backupCount;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  private final String clusterName;
  private final Path logDirectory;
  /** Guards {@link #running} and every {@link Running}'s state; reader threads notify it. */
  private final Object monitor = new Object();
  private final Map<String, Running> running = new LinkedHashMap<>();
  /** Serializes start, stop, kill and close; held while waiting for a process. */
  private final Object changes = new Object();
  private final Thread shutdownHook;
  private volatile boolean closed;

  /** A started member; the fields other than the handles are guarded by {@link #monitor}. */
  private static final class Running {
    final HazelcastMember member;
    final Process process;
    /** Copies the output; ends at the process's end of output. */
    Thread reader;
    boolean signalled;
    boolean ready;
    int members = -1;
    boolean exited;

    Running(HazelcastMember member, Process process) {
      this.member = member;
      this.process = process;
    }

    @Override
    public String toString() {
      return member.name() + (exited ? " exited" : ready ? " sees " + members : " starting");
    }
  }

  private HazelcastCluster(Builder settings) {
    this.jvmOptions = settings.jvmOptions;
    this.classpath = settings.classpath;
    this.backupCount = settings.backupCount;
    this.readyTimeout = settings.readyTimeout;
    this.stopTimeout = settings.stopTimeout;
    this.clusterName = "hz-" + UUID.randomUUID().toString().substring(0, 8);
    this.logDirectory = settings.logRoot.resolve(clusterName).toAbsolutePath();
    try {
      Files.createDirectories(logDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + logDirectory, e);
    }
    this.shutdownHook = new Thread(this::killAll, clusterName + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Settings, from the defaults: 2 members, backup count 1, {@code -Xmx256m -XX:+UseSerialGC}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The unique Hazelcast cluster name, {@code hz-} and 8 hex digits. */
  public String clusterName() {
    return clusterName;
  }

  /** Where the members' logs go: one {@code <name>.log} per member. */
  public Path logDirectory() {
    return logDirectory;
  }

  /** Member addresses ({@code host:port}) of the running members, in start order. */
  public List<String> addresses() {
    return members().stream().map(HazelcastMember::address).toList();
  }

  /** The running members, in start order. */
  public List<HazelcastMember> members() {
    synchronized (monitor) {
      return running.values().stream().map(r -> r.member).toList();
    }
  }

  /**
   * Starts a member of this name with a new port, seeded with every running member, and returns
   * without waiting; follow with {@link #awaitReady}.
   */
  public HazelcastMember start(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "member name must match " + NAME.pattern() + ", was '" + name + "'");
    }
    synchronized (changes) {
      checkOpen();
      List<String> seeds;
      synchronized (monitor) {
        if (running.containsKey(name)) {
          throw new IllegalArgumentException(
              "member '" + name + "' is running already; running: " + running.keySet());
        }
        seeds = new ArrayList<>(running.values().stream().map(r -> r.member.address()).toList());
      }
      int port = io.ringcache.loadtest.cluster.PortAllocator.PEERS.next();
      seeds.add(HOST + ":" + port);
      return launch(name, port, seeds);
    }
  }

  /** {@link #awaitReady(Duration)} bounded by {@link Builder#readyTimeout}. */
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
    requirePositive("timeout", timeout);
    checkOpen();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (true) {
        boolean ready = true;
        for (Running r : running.values()) {
          if (r.exited && !r.signalled) {
            throw new HazelcastClusterException(String.format(
                "member '%s' (pid %d) exited while waiting for readiness; see %s",
                r.member.name(), r.member.pid(), r.member.log()));
          }
          ready &= r.ready && r.members == running.size();
        }
        if (ready) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new HazelcastClusterException(String.format(
              "cluster %s not ready within %d ms (every member seeing %d); last seen: %s; "
                  + "logs in %s", clusterName, timeout.toMillis(), running.size(),
              running.values(), logDirectory));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(monitor, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HazelcastClusterException("interrupted while waiting for readiness", e);
        }
      }
    }
  }

  /**
   * Kills the member with SIGKILL ({@link ProcessHandle#destroyForcibly()}) and waits for it to be
   * gone.
   *
   * @return the exit code the OS reported (137 on Linux)
   */
  public int kill(String name) {
    synchronized (changes) {
      Running r = signal(name);
      r.process.toHandle().destroyForcibly();
      try {
        return awaitExit(r, KILL_WAIT, "SIGKILL");
      } finally {
        forget(name);
      }
    }
  }

  /**
   * Stops the member with SIGTERM, which makes it migrate its partitions away and leave, and waits
   * for it to exit; bounded by {@link Builder#stopTimeout}, after which it is killed.
   *
   * @return the member's exit code (143: the JVM ran its shutdown hooks on SIGTERM)
   */
  public int stop(String name) {
    synchronized (changes) {
      Running r = signal(name);
      r.process.toHandle().destroy();
      try {
        return awaitExit(r, stopTimeout, "SIGTERM");
      } catch (HazelcastClusterException e) {
        r.process.toHandle().destroyForcibly();
        awaitExit(r, KILL_WAIT, "SIGKILL after a SIGTERM timeout");
        throw e;
      } finally {
        forget(name);
      }
    }
  }

  /** Kills every member still running (SIGKILL, by its own process handle) and waits for them. */
  @Override
  public void close() {
    synchronized (changes) {
      if (closed) {
        return;
      }
      closed = true;
      killAll();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook runs or has run, which is as good.
    }
  }

  private void killAll() {
    List<Running> all;
    synchronized (monitor) {
      all = new ArrayList<>(running.values());
      running.clear();
      all.forEach(r -> r.signalled = true);
    }
    for (Running r : all) {
      r.process.toHandle().destroyForcibly();
    }
    for (Running r : all) {
      try {
        r.process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private HazelcastMember launch(String name, int port, List<String> seeds) {
    Path log = logDirectory.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(MODULE_FLAGS);
    command.addAll(List.of("-cp", classpath, HazelcastMemberMain.class.getName(),
        "--name", name,
        "--cluster-name", clusterName,
        "--host", HOST,
        "--port", Integer.toString(port),
        "--members", String.join(",", seeds),
        "--backup-count", Integer.toString(backupCount)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Hazelcast reads HZ_* variables as configuration; the flags above are the whole of it.
    builder.environment().keySet().removeIf(k -> k.startsWith("HZ_") || k.equals("CLASSPATH"));
    BufferedWriter out;
    Process process;
    try {
      out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      out.write("== " + Instant.now() + " starting: " + String.join(" ", command));
      out.newLine();
      out.flush();
      process = builder.start();
    } catch (IOException e) {
      throw new HazelcastClusterException(
          "cannot start member '" + name + "': " + e.getMessage(), e);
    }
    HazelcastMember member = new HazelcastMember(name, process.pid(), HOST, port, log);
    Running r = new Running(member, process);
    synchronized (monitor) {
      running.put(name, r);
    }
    r.reader = new Thread(() -> follow(r, out), clusterName + "-" + name + "-output");
    r.reader.setDaemon(true);
    r.reader.start();
    return member;
  }

  /** Copies the member's output to its log and tracks its ready and membership lines. */
  private void follow(Running r, BufferedWriter log) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(r.process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = log) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        boolean ready = line.startsWith(HazelcastMemberMain.READY);
        if (ready || line.startsWith(HazelcastMemberMain.MEMBERS)) {
          Matcher m = COUNT.matcher(line);
          if (m.find()) {
            synchronized (monitor) {
              r.ready |= ready;
              r.members = Integer.parseInt(m.group(1));
              monitor.notifyAll();
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream closes when the process dies; either way the member is gone for us.
    } finally {
      synchronized (monitor) {
        r.exited = true;
        monitor.notifyAll();
      }
    }
  }

  private int awaitExit(Running r, Duration timeout, String signal) {
    try {
      if (!r.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new HazelcastClusterException(String.format(
            "member '%s' (pid %d) still runs %d ms after %s; see %s",
            r.member.name(), r.member.pid(), timeout.toMillis(), signal, r.member.log()));
      }
      // The last lines are in the log when this returns.
      r.reader.join(KILL_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HazelcastClusterException(
          "interrupted waiting for member '" + r.member.name() + "' to exit", e);
    }
    return r.process.exitValue();
  }

  private Running signal(String name) {
    checkOpen();
    synchronized (monitor) {
      Running r = running.get(name);
      if (r == null) {
        throw new IllegalArgumentException(
            "no running member named '" + name + "'; running: " + running.keySet());
      }
      r.signalled = true;
      return r;
    }
  }

  private void forget(String name) {
    synchronized (monitor) {
      running.remove(name);
      monitor.notifyAll();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("hazelcast cluster " + clusterName + " is closed");
    }
  }

  private static void requirePositive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
  }

  /** Launcher settings; {@link #start()} validates them and starts the members. */
  public static final class Builder {

    static final int MAX_MEMBERS = 32;

    private int members = 2;
    private int backupCount = 1;
    private List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private String classpath = System.getProperty("java.class.path");
    private Path logRoot = Path.of(System.getProperty("java.io.tmpdir"), "ringcache-peers");
    private Duration readyTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** Members started by {@link #start()}, named {@code member-1} to {@code member-N}; 1..32. */
    public Builder members(int count) {
      if (count < 1 || count > MAX_MEMBERS) {
        throw new IllegalArgumentException(
            String.format("members must be within 1..%d, was %d", MAX_MEMBERS, count));
      }
      this.members = count;
      return this;
    }

    /**
     * Synchronous backups of every map entry, 0..6 (Hazelcast's bound); default 1, which matches
     * ringcache's replication factor 2.
     */
    public Builder backupCount(int count) {
      if (count < 0 || count > 6) {
        throw new IllegalArgumentException(
            String.format("backupCount must be within 0..6, was %d", count));
      }
      this.backupCount = count;
      return this;
    }

    /**
     * JVM flags before the module flags and {@code -cp}; for a fair comparison give the members
     * the heap the ringcache nodes get ({@code LocalCluster.Builder#jvmOptions}). Replaces the
     * default {@code -Xmx256m -XX:+UseSerialGC}, which is also {@code LocalCluster}'s.
     */
    public Builder jvmOptions(List<String> options) {
      Objects.requireNonNull(options, "options");
      for (String o : options) {
        if (o == null || o.isBlank() || o.equals("-cp") || o.equals("-classpath")
            || o.equals("-jar")) {
          throw new IllegalArgumentException(
              "jvmOptions must be JVM flags, not blank, -cp or -jar; was " + options);
        }
      }
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /** {@link #jvmOptions(List)}. */
    public Builder jvmOptions(String... options) {
      return jvmOptions(List.of(options));
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

    /** Logs go to {@code <root>/<clusterName>/}; default {@code java.io.tmpdir/ringcache-peers}. */
    public Builder logRoot(Path root) {
      this.logRoot = Objects.requireNonNull(root, "logRoot");
      return this;
    }

    /** Bound of {@link HazelcastCluster#awaitReady()}; default 60 s. */
    public Builder readyTimeout(Duration timeout) {
      requirePositive("readyTimeout", timeout);
      this.readyTimeout = timeout;
      return this;
    }

    /** Bound of {@link HazelcastCluster#stop}; default 60 s. */
    public Builder stopTimeout(Duration timeout) {
      requirePositive("stopTimeout", timeout);
      this.stopTimeout = timeout;
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
        synchronized (cluster.changes) {
          List<Integer> ports = new ArrayList<>();
          List<String> seeds = new ArrayList<>();
          for (int i = 0; i < members; i++) {
            int port = io.ringcache.loadtest.cluster.PortAllocator.PEERS.next();
            ports.add(port);
            seeds.add(HOST + ":" + port);
          }
          for (int i = 0; i < members; i++) {
            cluster.launch("member-" + (i + 1), ports.get(i), seeds);
          }
        }
        return cluster;
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }
  }
}
