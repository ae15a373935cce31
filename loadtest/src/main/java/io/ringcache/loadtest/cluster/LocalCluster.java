package io.ringcache.loadtest.cluster;

import static io.ringcache.loadtest.cluster.JvmProcessLauncher.requireName;

import io.ringcache.loadtest.cluster.JvmProcessLauncher.Launch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a ringcache cluster as real node processes on 127.0.0.1: the one cluster that tests, the
 * load test, the demo and {@code loadtest cluster} share. What a node is (its flags, ports, seeds
 * and readiness) lives here; starting, signalling and cleaning up the processes is the {@link
 * JvmProcessLauncher}'s.
 *
 * <h2>Design</h2>
 *
 * Each node is {@code java <jvmOptions> -jar cache-node.jar --name ... --cluster-name ...} with
 * its own client, HTTP and Hazelcast port, all picked free by {@link PortAllocator} unless the
 * builder names the first node's ports ({@link Builder#ports}), and its output
 * appended to {@code <logRoot>/<clusterName>/<name>.log}; flags given for one name (a zone, say)
 * follow the shared ones. The cluster name is unique per launcher, so clusters of concurrent
 * tests never merge. A node's Hazelcast seeds are the cluster ports of every node running when it
 * starts, itself included, so any one of them lets it join. Variables named {@code RINGCACHE_*}
 * are removed from the nodes' environment: the launcher's flags are the whole configuration.
 *
 * <p>Readiness is judged from outside, like an operator would: {@link #awaitReady} polls {@code GET
 * /v1/topology} on every running node until all list exactly the running names, at one epoch, in
 * phase {@code STABLE}; the launcher tests that condition every 200 ms.
 *
 * <h2>Concurrency</h2>
 *
 * Public methods are thread-safe; membership changes ({@link #start}, {@link #stop}, {@link
 * #kill}, {@link #close}) are serialized by the launcher. The running nodes are those whose
 * process the launcher holds, so a stopped or killed node leaves every view at once. A load
 * generator may call {@link #kill} from its own thread while a test thread reads {@link #seeds}.
 * Never call these methods from a client's I/O thread: they wait for processes.
 *
 * <h2>Failure</h2>
 *
 * Every wait is bounded and fails with a {@link LocalClusterException} that names the node, the
 * bound and the log to read. Only processes this cluster started are ever signalled, each by its
 * PID; the launcher's JVM shutdown hook kills whatever is still running if the JVM exits without
 * {@link #close}.
 */
public final class LocalCluster extends ProcessCluster {

  /** System property naming the node jar, when no {@link Builder#nodeJar} is given. */
  public static final String NODE_JAR_PROPERTY = "ringcache.node.jar";

  static final String PARENT_ARTIFACT = "<artifactId>ringcache-parent</artifactId>";
  static final Path DEFAULT_JAR = Path.of("cache-node", "target", "cache-node.jar");

  private final int replicationFactor;
  private final List<String> jvmOptions;
  private final List<String> nodeOptions;
  private final Map<String, List<String>> nodeOptionsByName;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  private final Path jar;
  /** The latest start of each name, latest last; guarded by itself. */
  private final Map<String, Running> started = new LinkedHashMap<>();
  private final TopologyProbe probe;

  /** A started node and its process; it runs while the launcher holds that process. */
  private record Running(LocalNode node, LaunchedJvm jvm) {}

  /** {@code jar} is checked first: a launcher (its hook, its log directory) exists only after. */
  private LocalCluster(Builder settings, Path jar) {
    super(new JvmProcessLauncher("lc", "node", settings.logRoot(), LocalClusterException::new));
    this.replicationFactor = settings.replicationFactor;
    this.jvmOptions = settings.jvmOptions();
    this.nodeOptions = settings.nodeOptions;
    this.nodeOptionsByName = Map.copyOf(settings.nodeOptionsByName);
    this.readyTimeout = settings.readyTimeout();
    this.stopTimeout = settings.stopTimeout();
    this.jar = jar;
    this.probe = new TopologyProbe(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(),
        Duration.ofSeconds(2));
  }

  /** Settings, starting from the defaults: 3 nodes, RF 2, {@code -Xmx256m -XX:+UseSerialGC}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The node jar this launcher runs. */
  public Path nodeJar() {
    return jar;
  }

  /** Client addresses ({@code host:port}) of the running nodes, in start order. */
  public List<String> seeds() {
    return running().stream().map(r -> r.node().clientAddress()).toList();
  }

  /** Names of the running nodes, in start order. */
  public List<String> names() {
    return running().stream().map(r -> r.node().name()).toList();
  }

  /** The running node of that name, if any. */
  public Optional<LocalNode> node(String name) {
    return running().stream().map(Running::node).filter(n -> n.name().equals(name)).findFirst();
  }

  /**
   * Starts a node of this name (a new one, or one stopped or killed before) and returns without
   * waiting for it to join; follow with {@link #awaitReady}. It gets new ports.
   *
   * @throws IllegalArgumentException if the name is malformed or a node of that name runs
   */
  public LocalNode start(String name) {
    requireName("node", name);
    List<String> seeds = clusterSeeds();
    int clusterPort = PortAllocator.NODES.next();
    seeds.add(Builder.HOST + ":" + clusterPort);
    return launch(name, PortAllocator.NODES.next(), PortAllocator.NODES.next(), clusterPort, seeds);
  }

  /**
   * Starts {@code previous} again (stopped or killed before) on the ports it had, as a restarted
   * machine keeps its address; returns without waiting, like {@link #start}. Its seeds are the
   * running nodes and itself, so restarting every node of a stopped cluster in turn forms a new
   * cluster on the old addresses.
   */
  public LocalNode restartOnSamePorts(LocalNode previous) {
    List<String> seeds = clusterSeeds();
    seeds.add(Builder.HOST + ":" + previous.clusterPort());
    return launch(previous.name(), previous.clientPort(), previous.httpPort(),
        previous.clusterPort(), seeds);
  }

  /** The running nodes' cluster addresses, Hazelcast seeds for a node joining them. */
  private List<String> clusterSeeds() {
    List<String> seeds = new ArrayList<>();
    for (Running r : running()) {
      seeds.add(r.node().host() + ":" + r.node().clusterPort());
    }
    return seeds;
  }

  /** The nodes whose process the launcher still holds, in start order. */
  private List<Running> running() {
    List<Running> all;
    synchronized (started) {
      all = new ArrayList<>(started.values());
    }
    return all.stream()
        .filter(r -> launcher.process(r.node().name()).orElse(null) == r.jvm()).toList();
  }

  /**
   * Waits until every running node's {@code /v1/topology} lists exactly the running nodes, all
   * at the same epoch, in phase STABLE; bounded by the builder's {@code readyTimeout}.
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
    AtomicReference<List<TopologyProbe.Seen>> last = new AtomicReference<>(List.of());
    launcher.await("every node listing " + new TreeSet<>(names()) + ", one epoch, STABLE", () -> {
      List<Running> now = running();
      if (now.stream().anyMatch(r -> r.jvm().signalled())) {
        return false; // a stop or kill is under way; judge the membership after it
      }
      List<TopologyProbe.Seen> seen = probe.askAll(now.stream().map(Running::node).toList());
      last.set(seen);
      return TopologyProbe.agree(seen,
          new TreeSet<>(now.stream().map(r -> r.node().name()).toList()));
    }, timeout, () -> String.valueOf(last.get()));
  }

  /**
   * Kills the node with SIGKILL, like {@code kill -9}: no shutdown hook runs, nothing is drained.
   * Waits for the process to be gone.
   *
   * @return the exit code the OS reported (137 on Linux)
   */
  public int kill(String name) {
    return launcher.kill(name);
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
    List<Integer> codes = launcher.killTogether(List.of(names));
    Map<String, Integer> exits = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      exits.put(names[i], codes.get(i));
    }
    return exits;
  }

  /** {@link #stop(String, Duration)} bounded by the builder's {@code stopTimeout}. */
  public int stop(String name) {
    return stop(name, stopTimeout);
  }

  /**
   * Stops the node with SIGTERM, which makes it leave the cluster, and waits for it to exit.
   *
   * @return the node's exit code
   * @throws LocalClusterException if it has not exited within {@code timeout}; it is then killed
   */
  public int stop(String name, Duration timeout) {
    return launcher.stop(name, timeout);
  }

  private LocalNode launch(
      String name, int clientPort, int httpPort, int clusterPort, List<String> seeds) {
    List<String> args = new ArrayList<>(List.of(
        "--name", name,
        "--cluster-name", launcher.group(),
        "--host", Builder.HOST,
        "--port", Integer.toString(clientPort),
        "--http-port", Integer.toString(httpPort),
        "--cluster-port", Integer.toString(clusterPort),
        "--seeds", String.join(",", seeds),
        "--replication-factor", Integer.toString(replicationFactor)));
    args.addAll(nodeOptions);
    args.addAll(nodeOptionsByName.getOrDefault(name, List.of()));
    LaunchedJvm jvm = launcher.start(Launch.named(name).jvmOptions(jvmOptions).jar(jar)
        .arguments(args).dropEnvironment(k -> k.startsWith("RINGCACHE_")));
    LocalNode node = new LocalNode(name, jvm.pid(), Builder.HOST, clientPort, httpPort,
        clusterPort, jvm.log());
    synchronized (started) {
      started.remove(name);
      started.put(name, new Running(node, jvm));
    }
    return node;
  }

  /** The jar given, else {@link #locateJar()}, if it exists. */
  private static Path existingJar(Path given) {
    Path jar = given != null ? given : locateJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(String.format(
          "node jar %s does not exist; build it with 'mvn -pl cache-node -am package "
              + "-DskipTests' or name it with -D%s=<path>", jar.toAbsolutePath(),
          NODE_JAR_PROPERTY));
    }
    return jar;
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

  /**
   * Settings; {@link #start()} validates them and starts the nodes. Defaults of the shared ones:
   * 3 nodes, logs under {@code java.io.tmpdir/ringcache-local}, readiness within 90 s, a graceful
   * stop within 75 s (the node drains up to 60 s).
   */
  public static final class Builder extends ProcessGroupSettings<Builder> {

    static final String HOST = "127.0.0.1";
    private int replicationFactor = 2;
    private List<String> nodeOptions = List.of("--max-memory", "64m", "--event-loops", "1");
    private final Map<String, List<String>> nodeOptionsByName = new LinkedHashMap<>();
    private Path nodeJar;
    /** The first node's client, HTTP and cluster port; {@code null}: free ports, allocated. */
    private int[] firstPorts;

    private Builder() {
      super(3, "ringcache-local", Duration.ofSeconds(90), Duration.ofSeconds(75));
    }

    /** Nodes started by {@link #start()}, named {@code node-1} to {@code node-N}; 1..32. */
    public Builder nodes(int count) {
      return count("nodes", count);
    }

    /** {@code --replication-factor}; 1..16, as the node accepts. */
    public Builder replicationFactor(int factor) {
      this.replicationFactor = within("replicationFactor", factor, 1, 16);
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
      nodeOptionsByName.put(requireName("node", name), List.of(options));
      return this;
    }

    /** The shaded node jar; default: {@value #NODE_JAR_PROPERTY}, else found from the repo. */
    public Builder nodeJar(Path jar) {
      this.nodeJar = Objects.requireNonNull(jar, "nodeJar");
      return this;
    }

    /**
     * The first node's client, HTTP and cluster ports; node {@code i} (from 1) of {@link #start()}
     * gets each plus {@code i - 1}, as an operator's fixed layout would. Default: free ports from
     * {@link PortAllocator}. Nodes started later by {@link LocalCluster#start(String)} get free
     * ports. A port in use makes its node exit, which {@link LocalCluster#awaitReady} reports.
     *
     * @throws IllegalArgumentException unless every node's ports lie within 1..65535 (checked
     *     against the node count at {@link #start()})
     */
    public Builder ports(int firstClient, int firstHttp, int firstCluster) {
      for (int port : new int[] {firstClient, firstHttp, firstCluster}) {
        if (port < 1 || port > 65_535) {
          throw new IllegalArgumentException(
              String.format("ports must be within 1..65535, was %d", port));
        }
      }
      this.firstPorts = new int[] {firstClient, firstHttp, firstCluster};
      return this;
    }

    /**
     * Starts the nodes and returns without waiting for them to form a cluster; follow with
     * {@link LocalCluster#awaitReady()}. If a node cannot be started, those already started are
     * killed.
     */
    public LocalCluster start() {
      int nodes = count();
      if (replicationFactor > nodes) {
        throw new IllegalArgumentException(String.format(
            "replicationFactor %d exceeds nodes %d", replicationFactor, nodes));
      }
      int highest = firstPorts == null ? 0 : Arrays.stream(firstPorts).max().orElseThrow();
      if (highest + nodes - 1 > 65_535) {
        throw new IllegalArgumentException(String.format(
            "ports of %d nodes from %d reach %d, over 65535", nodes, highest, highest + nodes - 1));
      }
      LocalCluster cluster = new LocalCluster(this, existingJar(nodeJar));
      try {
        List<Integer> clusterPorts = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
          clusterPorts.add(port(2, i));
          seeds.add(HOST + ":" + clusterPorts.get(i));
        }
        for (int i = 0; i < nodes; i++) {
          cluster.launch("node-" + (i + 1), port(0, i), port(1, i), clusterPorts.get(i), seeds);
        }
        return cluster;
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }

    /** Node {@code i}'s (from 0) port of this kind (client, HTTP, cluster). */
    private int port(int kind, int i) {
      return firstPorts == null ? PortAllocator.NODES.next() : firstPorts[kind] + i;
    }
  }
}
