package io.ringcache.loadtest.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
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
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Runs a ringcache cluster as real node processes on 127.0.0.1: the one launcher that tests, the
 * load test and the demo share.
 *
 * <h2>Design</h2>
 *
 * Each node is {@code java <jvmOptions> -jar cache-node.jar --name ... --cluster-name ...} with
 * its own client, HTTP and Hazelcast port, all picked free by {@link PortAllocator}, and its output
 * appended to {@code <logRoot>/<clusterName>/<name>.log}; flags given for one name (a zone, say)
 * follow the shared ones. The cluster name is unique per launcher, so clusters of concurrent
 * tests never merge. A node's Hazelcast seeds are the cluster ports of every node running when it
 * starts, itself included, so any one of them lets it join. Variables named {@code RINGCACHE_*}
 * are removed from the nodes' environment: the launcher's flags are the whole configuration.
 *
 * <p>Readiness is judged from outside, like an operator would: {@link #awaitReady} polls {@code GET
 * /v1/topology} on every running node until all list exactly the running names, at one epoch, in
 * phase {@code STABLE}.
 *
 * <h2>Concurrency</h2>
 *
 * Public methods are thread-safe; membership changes ({@link #start}, {@link #stop}, {@link
 * #kill}, {@link #close}) are serialized. A load generator may call {@link #kill} from its own
 * thread while a test thread reads {@link #seeds}. Never call these methods from a client's I/O
 * thread: they wait for processes.
 *
 * <h2>Failure</h2>
 *
 * Every wait is bounded and fails with a {@link LocalClusterException} that names the node, the
 * bound and the log to read. Only processes this launcher started are ever signalled, each through
 * its own {@link Process} handle (by PID); a JVM shutdown hook kills whatever is still running if
 * the test JVM exits without {@link #close}.
 */
public final class LocalCluster implements AutoCloseable {

  /** System property naming the node jar, when no {@link Builder#nodeJar} is given. */
  public static final String NODE_JAR_PROPERTY = "ringcache.node.jar";

  static final String PARENT_ARTIFACT = "<artifactId>ringcache-parent</artifactId>";
  static final Path DEFAULT_JAR = Path.of("cache-node", "target", "cache-node.jar");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Duration KILL_WAIT = Duration.ofSeconds(15);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private final int replicationFactor;
  private final List<String> jvmOptions;
  private final List<String> nodeOptions;
  private final Map<String, List<String>> nodeOptionsByName;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  private final Path jar;
  private final Path logDirectory;
  private final String clusterName;
  /** Guarded by itself; held briefly, never while waiting for a process. */
  private final Map<String, Running> running = new LinkedHashMap<>();
  /** Serializes start, stop, kill and close; held while waiting for a process. */
  private final Object changes = new Object();
  private final ScheduledExecutorService poller;
  private final TopologyProbe probe;
  private final Thread shutdownHook;
  private volatile boolean closed;

  /**
   * A started process. {@code signalled} is set before the launcher signals it, so a concurrent
   * {@link #awaitReady} tells an exit it caused from a crash.
   */
  private record Running(LocalNode node, Process process, AtomicBoolean signalled) {
    Running signal() {
      signalled.set(true);
      return this;
    }
  }

  private LocalCluster(Builder settings) {
    this.replicationFactor = settings.replicationFactor;
    this.jvmOptions = settings.jvmOptions;
    this.nodeOptions = settings.nodeOptions;
    this.nodeOptionsByName = Map.copyOf(settings.nodeOptionsByName);
    this.readyTimeout = settings.readyTimeout;
    this.stopTimeout = settings.stopTimeout;
    this.jar = settings.nodeJar != null ? settings.nodeJar : locateJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(String.format(
          "node jar %s does not exist; build it with 'mvn -pl cache-node -am package "
              + "-DskipTests' or name it with -D%s=<path>", jar.toAbsolutePath(),
          NODE_JAR_PROPERTY));
    }
    this.clusterName = "lc-" + UUID.randomUUID().toString().substring(0, 8);
    this.logDirectory = settings.logRoot.resolve(clusterName).toAbsolutePath();
    try {
      Files.createDirectories(logDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + logDirectory, e);
    }
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, clusterName + "-poller");
      t.setDaemon(true);
      return t;
    });
    this.probe = new TopologyProbe(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(),
        Duration.ofSeconds(2));
    this.shutdownHook = new Thread(this::killAll, clusterName + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Settings, starting from the defaults: 3 nodes, RF 2, {@code -Xmx256m -XX:+UseSerialGC}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The unique Hazelcast cluster name, {@code lc-} and 8 hex digits. */
  public String clusterName() {
    return clusterName;
  }

  /** Where the nodes' logs go: one {@code <name>.log} per node name. */
  public Path logDirectory() {
    return logDirectory;
  }

  /** The node jar this launcher runs. */
  public Path nodeJar() {
    return jar;
  }

  /** Client addresses ({@code host:port}) of the running nodes, in start order. */
  public List<String> seeds() {
    synchronized (running) {
      return running.values().stream().map(r -> r.node().clientAddress()).toList();
    }
  }

  /** Names of the running nodes, in start order. */
  public List<String> names() {
    synchronized (running) {
      return List.copyOf(running.keySet());
    }
  }

  /** The running node of that name, if any. */
  public Optional<LocalNode> node(String name) {
    synchronized (running) {
      Running r = running.get(name);
      return r == null ? Optional.empty() : Optional.of(r.node());
    }
  }

  /**
   * Starts a node of this name (a new one, or one stopped or killed before) and returns without
   * waiting for it to join; follow with {@link #awaitReady}. It gets new ports.
   *
   * @throws IllegalArgumentException if the name is malformed or a node of that name runs
   */
  public LocalNode start(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "node name must match " + NAME.pattern() + ", was '" + name + "'");
    }
    synchronized (changes) {
      checkOpen();
      List<String> seeds = new ArrayList<>();
      synchronized (running) {
        if (running.containsKey(name)) {
          throw new IllegalArgumentException(
              "node '" + name + "' is running already; running: " + running.keySet());
        }
        for (Running r : running.values()) {
          seeds.add(r.node().host() + ":" + r.node().clusterPort());
        }
      }
      int clusterPort = PortAllocator.NODES.next();
      seeds.add(Builder.HOST + ":" + clusterPort);
      return launch(name, PortAllocator.NODES.next(), PortAllocator.NODES.next(), clusterPort, seeds);
    }
  }

  /**
   * Starts {@code previous} again (stopped or killed before) on the ports it had, as a restarted
   * machine keeps its address; returns without waiting, like {@link #start}. Its seeds are the
   * running nodes and itself, so restarting every node of a stopped cluster in turn forms a new
   * cluster on the old addresses.
   */
  public LocalNode restartOnSamePorts(LocalNode previous) {
    synchronized (changes) {
      checkOpen();
      List<String> seeds = new ArrayList<>();
      synchronized (running) {
        if (running.containsKey(previous.name())) {
          throw new IllegalArgumentException("node '" + previous.name() + "' is running already");
        }
        for (Running r : running.values()) {
          seeds.add(r.node().host() + ":" + r.node().clusterPort());
        }
      }
      seeds.add(Builder.HOST + ":" + previous.clusterPort());
      return launch(previous.name(), previous.clientPort(), previous.httpPort(),
          previous.clusterPort(), seeds);
    }
  }

  /**
   * Waits until every running node's {@code /v1/topology} lists exactly the running nodes, all
   * at the same epoch, in phase STABLE; bounded by {@link Builder#readyTimeout}.
   */
  public void awaitReady() {
    awaitReady(readyTimeout);
  }

  /**
   * {@link #awaitReady()} with an explicit bound.
   *
   * @throws LocalClusterException if the bound passes first (the message shows what each node
   *     answered last), or a node process exits while waiting
   */
  public void awaitReady(Duration timeout) {
    requirePositive("timeout", timeout);
    checkOpen();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    AtomicReference<List<TopologyProbe.Seen>> last = new AtomicReference<>(List.of());
    ScheduledFuture<?> poll = poller.scheduleWithFixedDelay(() -> {
      Map<String, Running> now;
      synchronized (running) {
        now = new LinkedHashMap<>(running);
      }
      for (Running r : now.values()) {
        if (r.signalled().get()) {
          return; // a stop or kill is under way; judge the membership after it
        }
        if (!r.process().isAlive()) {
          ready.completeExceptionally(new LocalClusterException(String.format(
              "node '%s' (pid %d) exited with %d while waiting for readiness; see %s",
              r.node().name(), r.node().pid(), r.process().exitValue(), r.node().log())));
          return;
        }
      }
      List<TopologyProbe.Seen> seen =
          probe.askAll(now.values().stream().map(Running::node).toList());
      last.set(seen);
      if (TopologyProbe.agree(seen, new TreeSet<>(now.keySet()))) {
        ready.complete(null);
      }
    }, 0, POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new LocalClusterException(String.format(
          "cluster %s not ready within %d ms (every node listing %s, one epoch, STABLE); "
              + "last seen: %s; logs in %s",
          clusterName, timeout.toMillis(), new TreeSet<>(names()), last.get(), logDirectory));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof LocalClusterException lce
          ? lce : new LocalClusterException("readiness poll failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClusterException("interrupted while waiting for readiness", e);
    } finally {
      poll.cancel(false);
    }
  }

  /**
   * Kills the node with SIGKILL ({@link Process#destroyForcibly()}), like {@code kill -9}: no
   * shutdown hook runs, nothing is drained. Waits for the process to be gone.
   *
   * @return the exit code the OS reported (137 on Linux)
   */
  public int kill(String name) {
    synchronized (changes) {
      Running r = require(name).signal();
      r.process().destroyForcibly();
      try {
        return awaitExit(r, KILL_WAIT, "SIGKILL");
      } finally {
        forget(name);
      }
    }
  }

  /**
   * Kills these nodes with SIGKILL at one moment, as when a zone or rack loses power: every
   * process is signalled before the launcher waits for any of them to exit. Nothing is signalled
   * unless every name is running.
   *
   * @return each node's exit code (137 on Linux), in the order named
   * @throws IllegalArgumentException if no name is given, a name repeats or a node is not running
   */
  public Map<String, Integer> killTogether(String... names) {
    if (names.length == 0 || new TreeSet<>(List.of(names)).size() != names.length) {
      throw new IllegalArgumentException(
          "killTogether needs distinct node names, was " + List.of(names));
    }
    synchronized (changes) {
      List<Running> victims = new ArrayList<>();
      for (String name : names) {
        victims.add(require(name));
      }
      victims.forEach(r -> r.signal().process().destroyForcibly());
      Map<String, Integer> exits = new LinkedHashMap<>();
      try {
        for (Running r : victims) {
          exits.put(r.node().name(), awaitExit(r, KILL_WAIT, "SIGKILL"));
        }
      } finally {
        victims.forEach(r -> forget(r.node().name()));
      }
      return exits;
    }
  }

  /** {@link #stop(String, Duration)} bounded by {@link Builder#stopTimeout}. */
  public int stop(String name) {
    return stop(name, stopTimeout);
  }

  /**
   * Stops the node with SIGTERM ({@link Process#destroy()}), which makes it leave the cluster,
   * and waits for it to exit.
   *
   * @return the node's exit code
   * @throws LocalClusterException if it has not exited within {@code timeout}; it is then killed
   */
  public int stop(String name, Duration timeout) {
    requirePositive("timeout", timeout);
    synchronized (changes) {
      Running r = require(name).signal();
      r.process().destroy();
      try {
        return awaitExit(r, timeout, "SIGTERM");
      } catch (LocalClusterException e) {
        r.process().destroyForcibly();
        awaitExit(r, KILL_WAIT, "SIGKILL after a SIGTERM timeout");
        throw e;
      } finally {
        forget(name);
      }
    }
  }

  /** Kills every node still running (SIGKILL, by its own process handle) and releases threads. */
  @Override
  public void close() {
    synchronized (changes) {
      if (closed) {
        return;
      }
      closed = true;
      killAll();
    }
    poller.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook runs or has run, which is as good.
    }
  }

  private void killAll() {
    List<Running> all;
    synchronized (running) {
      all = new ArrayList<>(running.values());
      running.clear();
    }
    for (Running r : all) {
      r.signal().process().destroyForcibly();
    }
    for (Running r : all) {
      try {
        r.process().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private LocalNode launch(
      String name, int clientPort, int httpPort, int clusterPort, List<String> seeds) {
    Path log = logDirectory.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
        "--name", name,
        "--cluster-name", clusterName,
        "--host", Builder.HOST,
        "--port", Integer.toString(clientPort),
        "--http-port", Integer.toString(httpPort),
        "--cluster-port", Integer.toString(clusterPort),
        "--seeds", String.join(",", seeds),
        "--replication-factor", Integer.toString(replicationFactor)));
    command.addAll(nodeOptions);
    command.addAll(nodeOptionsByName.getOrDefault(name, List.of()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("RINGCACHE_"));
    Process process;
    try {
      Files.writeString(log, "== " + Instant.now() + " starting: " + String.join(" ", command)
          + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new LocalClusterException("cannot start node '" + name + "': " + e.getMessage(), e);
    }
    LocalNode node = new LocalNode(name, process.pid(), Builder.HOST, clientPort, httpPort,
        clusterPort, log);
    synchronized (running) {
      running.put(name, new Running(node, process, new AtomicBoolean()));
    }
    return node;
  }

  private int awaitExit(Running r, Duration timeout, String signal) {
    try {
      if (!r.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new LocalClusterException(String.format(
            "node '%s' (pid %d) still runs %d ms after %s; see %s",
            r.node().name(), r.node().pid(), timeout.toMillis(), signal, r.node().log()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalClusterException("interrupted waiting for node '" + r.node().name()
          + "' to exit", e);
    }
    return r.process().exitValue();
  }

  private Running require(String name) {
    checkOpen();
    synchronized (running) {
      Running r = running.get(name);
      if (r == null) {
        throw new IllegalArgumentException(
            "no running node named '" + name + "'; running: " + running.keySet());
      }
      return r;
    }
  }

  private void forget(String name) {
    synchronized (running) {
      running.remove(name);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("local cluster " + clusterName + " is closed");
    }
  }

  private static void requirePositive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
  }

  /**
   * The jar named by {@value #NODE_JAR_PROPERTY}, else {@code cache-node/target/cache-node.jar}
   * under the repository root: the nearest directory, from the working directory upwards, whose
   * {@code pom.xml} declares {@code ringcache-parent}.
   */
  static Path locateJar() {
    String property = System.getProperty(NODE_JAR_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      try {
        // A module's pom names the parent inside <parent>; only the parent's own pom counts.
        if (Files.isRegularFile(pom) && Files.readString(pom)
            .replaceAll("(?s)<parent>.*?</parent>", "").contains(PARENT_ARTIFACT)) {
          return dir.resolve(DEFAULT_JAR);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + pom, e);
      }
    }
    throw new IllegalArgumentException(String.format(
        "no ringcache-parent pom.xml in %s or above; name the node jar with -D%s=<path>",
        start, NODE_JAR_PROPERTY));
  }

  /** Launcher settings; {@link #start()} validates them and starts the nodes. */
  public static final class Builder {

    static final String HOST = "127.0.0.1";
    static final int MAX_NODES = 32;

    private int nodes = 3;
    private int replicationFactor = 2;
    private List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private List<String> nodeOptions = List.of("--max-memory", "64m", "--event-loops", "1");
    private final Map<String, List<String>> nodeOptionsByName = new LinkedHashMap<>();
    private Path nodeJar;
    private Path logRoot = Path.of(System.getProperty("java.io.tmpdir"), "ringcache-local");
    private Duration readyTimeout = Duration.ofSeconds(90);
    private Duration stopTimeout = Duration.ofSeconds(75);

    private Builder() {}

    /** Nodes started by {@link #start()}, named {@code node-1} to {@code node-N}; 1..32. */
    public Builder nodes(int count) {
      if (count < 1 || count > MAX_NODES) {
        throw new IllegalArgumentException(
            String.format("nodes must be within 1..%d, was %d", MAX_NODES, count));
      }
      this.nodes = count;
      return this;
    }

    /** {@code --replication-factor}; 1..16, as the node accepts. */
    public Builder replicationFactor(int factor) {
      if (factor < 1 || factor > 16) {
        throw new IllegalArgumentException(
            String.format("replicationFactor must be within 1..16, was %d", factor));
      }
      this.replicationFactor = factor;
      return this;
    }

    /** JVM flags before {@code -jar}; replaces the default {@code -Xmx256m -XX:+UseSerialGC}. */
    public Builder jvmOptions(String... options) {
      this.jvmOptions = List.of(options);
      return this;
    }

    /**
     * Node flags after the launcher's own ({@code --name}, ports, seeds, cluster name,
     * replication factor, which must not be repeated); replaces the default {@code --max-memory
     * 64m --event-loops 1}.
     */
    public Builder nodeOptions(String... options) {
      this.nodeOptions = List.of(options);
      return this;
    }

    /**
     * Node flags for the node of this name only (a {@code --zone} or {@code --weight} of its
     * own), after {@link #nodeOptions}; they apply whenever a node of that name starts, restarts
     * included. Replaces what was given for that name before.
     */
    public Builder nodeOptionsFor(String name, String... options) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "node name must match " + NAME.pattern() + ", was '" + name + "'");
      }
      nodeOptionsByName.put(name, List.of(options));
      return this;
    }

    /** The shaded node jar; default: {@value #NODE_JAR_PROPERTY}, else found from the repo. */
    public Builder nodeJar(Path jar) {
      this.nodeJar = Objects.requireNonNull(jar, "nodeJar");
      return this;
    }

    /** Logs go to {@code <root>/<clusterName>/}; default {@code java.io.tmpdir/ringcache-local}. */
    public Builder logRoot(Path root) {
      this.logRoot = Objects.requireNonNull(root, "logRoot");
      return this;
    }

    /** Bound of {@link LocalCluster#awaitReady()}; default 90 s. */
    public Builder readyTimeout(Duration timeout) {
      requirePositive("readyTimeout", timeout);
      this.readyTimeout = timeout;
      return this;
    }

    /** Bound of {@link LocalCluster#stop(String)}; default 75 s (the node drains up to 60 s). */
    public Builder stopTimeout(Duration timeout) {
      requirePositive("stopTimeout", timeout);
      this.stopTimeout = timeout;
      return this;
    }

    /**
     * Starts the nodes and returns without waiting for them to form a cluster; follow with
     * {@link LocalCluster#awaitReady()}. If a node cannot be started, those already started are
     * killed.
     */
    public LocalCluster start() {
      if (replicationFactor > nodes) {
        throw new IllegalArgumentException(String.format(
            "replicationFactor %d exceeds nodes %d", replicationFactor, nodes));
      }
      LocalCluster cluster = new LocalCluster(this);
      try {
        synchronized (cluster.changes) {
          List<Integer> clusterPorts = new ArrayList<>();
          List<String> seeds = new ArrayList<>();
          for (int i = 0; i < nodes; i++) {
            int port = PortAllocator.NODES.next();
            clusterPorts.add(port);
            seeds.add(HOST + ":" + port);
          }
          for (int i = 0; i < nodes; i++) {
            cluster.launch("node-" + (i + 1), PortAllocator.NODES.next(), PortAllocator.NODES.next(),
                clusterPorts.get(i), seeds);
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
