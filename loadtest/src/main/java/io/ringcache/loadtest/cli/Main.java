package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.cluster.PortAllocator;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.SimulationFactory;
import io.ringcache.loadtest.peer.HazelcastCluster;
import io.ringcache.loadtest.peer.RedisServer;
import io.ringcache.loadtest.report.ReportFiles;
import io.ringcache.loadtest.run.ChaosHandler;
import io.ringcache.loadtest.run.ReadWriteObserver;
import io.ringcache.loadtest.run.RunOptions;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Runner;
import io.ringcache.loadtest.run.Summary;
import io.ringcache.loadtest.targets.HazelcastTarget;
import io.ringcache.loadtest.targets.RespTarget;
import io.ringcache.loadtest.targets.RingcacheTarget;
import io.ringcache.loadtest.targets.Target;
import io.ringcache.protocol.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar loadtest/target/loadtest.jar run|compare|demo|list}. Every cluster this
 * command starts runs on 127.0.0.1 and is stopped (its processes, by their handles) before the
 * command returns; every run is bounded in time and in requests.
 *
 * <p>Exit codes: 0 when every run passed its assertions (and, where checked, saw no stale read or
 * lost write), 1 when one did not, 2 for bad arguments (one line on standard error, no stack
 * trace: {@link OneLineErrors}).
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = "Gatling-style load tests for ringcache and its peers.",
    subcommands = {Main.Run.class, Main.Compare.class, Main.Demo.class, Main.ListSimulations.class,
        NearCacheBench.class, StalenessBench.class, StampedeBench.class, HotKeyBench.class,
        LocalClusterCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.setProperty("hazelcast.phone.home.enabled", "false");
    System.exit(commandLine().execute(args));
  }

  /** The command line with its subcommands, answering bad input in one line with exit code 2. */
  static CommandLine commandLine() {
    return OneLineErrors.install(new CommandLine(new Main()));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Options every command shares. */
  static final class Common {
    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
        description = "how long load is applied (500ms, 30s, 2m); default ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--rate", defaultValue = "5000",
        description = "offered requests per second (open model); default ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--nodes", defaultValue = "3", converter = Counts.Nodes.class,
        description = "size of a cluster this command starts; default ${DEFAULT-VALUE}")
    int nodes;

    @Option(names = "--jvm-options", converter = JvmOptions.Converter.class,
        description = "JVM flags of every node and member this command starts, both systems"
            + " (quote them as one argument; \"\" for the JVM's defaults); when absent each"
            + " system has its own default")
    JvmOptions jvmOptions;

    @Option(names = "--ringcache-jvm-options", converter = JvmOptions.Converter.class,
        description = "JVM flags of the ringcache nodes, over --jvm-options; default "
            + JvmOptions.RINGCACHE_DEFAULT_TEXT)
    JvmOptions ringcacheJvmOptions;

    @Option(names = "--peer-jvm-options", converter = JvmOptions.Converter.class,
        description = "JVM flags of the Hazelcast members, over --jvm-options; default "
            + JvmOptions.PEER_DEFAULT_TEXT)
    JvmOptions peerJvmOptions;

    @Option(names = "--report-dir", defaultValue = "loadtest-reports",
        description = "where HTML reports and JSON summaries go; default ${DEFAULT-VALUE}")
    Path reportDir;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
        description = "load at the same rate before the measured run, on the same cluster and"
            + " connections, left out of every figure (0s: none); default ${DEFAULT-VALUE}")
    Duration warmup = Duration.ofSeconds(10);

    /**
     * The warm-up run, or {@code null} for none: set by a command that warms up, from the same
     * factory as the measured run, before any cluster starts, so a factory that fails for the
     * warm-up's duration is reported as bad input rather than half-way through.
     */
    Simulation warmupSimulation;

    Duration duration() {
      return duration;
    }

    Duration warmupDuration() {
      return warmup;
    }

    /** Sets {@link #warmupSimulation} from {@code choice} at {@code --warmup}, unless that is 0. */
    void planWarmup(SimulationChoice choice) {
      Duration d = warmupDuration();
      warmupSimulation = d.isZero() ? null : choice.create(d, rate);
    }

    /** The ringcache nodes' flags: their own option, else the shared one, else the default. */
    List<String> ringcacheJvm() {
      return chosen(ringcacheJvmOptions, JvmOptions.RINGCACHE_DEFAULT);
    }

    /** The Hazelcast members' flags: their own option, else the shared one, else the default. */
    List<String> peerJvm() {
      return chosen(peerJvmOptions, JvmOptions.PEER_DEFAULT);
    }

    private List<String> chosen(JvmOptions own, JvmOptions systemDefault) {
      return (own != null ? own : jvmOptions != null ? jvmOptions : systemDefault).flags();
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs a simulation against ringcache (a local cluster, or --seeds) or a peer.")
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<simulation>", description = SIMULATION_HELP,
        completionCandidates = Names.class)
    String simulation;

    @Option(names = "--classpath", split = ",", paramLabel = "<jar-or-dir>",
        description = CLASSPATH_HELP)
    List<String> classpath = new ArrayList<>();

    @Option(names = "--target", defaultValue = "ringcache",
        description = "ringcache or hazelcast; default ${DEFAULT-VALUE}")
    String target;

    @Option(names = "--seeds", split = ",",
        description = "client addresses of a running ringcache cluster (loopback); when absent a"
            + " local cluster is started")
    List<String> seeds;

    @Mixin
    Common common;

    @Override
    public Integer call() {
      try (SimulationChoice choice = SimulationChoice.of(simulation, classpath)) {
        Simulation sim = choice.create(common.duration(), common.rate);
        if (sim.chaos().isEmpty()) {
          // A chaos run's steps are timed from its start; a warm-up would only shift them.
          common.planWarmup(choice);
        }
        return finish(against(sim), common);
      }
    }

    private RunResult against(Simulation sim) {
      RunResult result;
      if (target.equals("hazelcast")) {
        result = onHazelcast(sim, common);
      } else if (!target.equals("ringcache")) {
        throw new BadInputException(
            "--target must be ringcache or hazelcast, was '" + target + "'");
      } else if (seeds != null && !seeds.isEmpty()) {
        requireLoopback(seeds);
        try (RingcacheTarget t = RingcacheTarget.connect(seeds, 1)) {
          // No chaos handler for a cluster this command did not start: its steps are skipped,
          // the cluster is not changed, so the final check needs no wait for stability.
          warmUp(common, t);
          result = run(sim, t, null,
              sim.chaos().isEmpty() ? null : new CheckerObserver(t.client(), () -> {}));
        }
      } else {
        result = onLocalRingcache(sim, common);
      }
      return result;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Runs one simulation against ringcache (its smart client) and against the"
          + " --peers: ringcache through a Redis client on its RESP port, Hazelcast IMap, and"
          + " Redis (a redis-server it starts, when installed); each on its own cluster of --nodes"
          + " (RF=2 / backup count 1; Redis is one process, no replica), and prints every result,"
          + " the flags and the ratios against ringcache.")
  static final class Compare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<simulation>", description = SIMULATION_HELP,
        completionCandidates = Names.class)
    String simulation;

    @Option(names = "--classpath", split = ",", paramLabel = "<jar-or-dir>",
        description = CLASSPATH_HELP)
    List<String> classpath = new ArrayList<>();

    @Option(names = "--peers", split = ",", defaultValue = "resp,hazelcast,redis",
        paramLabel = "<peer>", description = "what to run beside ringcache's smart client, in"
            + " order: resp (ringcache through Lettuce on its RESP ports), hazelcast (IMap),"
            + " redis (a redis-server started here; skipped with a note when not installed);"
            + " default ${DEFAULT-VALUE}")
    List<String> peers;

    @Mixin
    Common common;

    @Override
    public Integer call() {
      try (SimulationChoice choice = SimulationChoice.of(simulation, classpath)) {
        for (String peer : peers) {
          if (!PEERS.contains(peer)) {
            throw new BadInputException("unknown peer '" + peer + "' in --peers; known: "
                + String.join(", ", PEERS));
          }
        }
        Simulation sim = choice.create(common.duration(), common.rate);
        if (!sim.chaos().isEmpty()) {
          throw new BadInputException(
              "compare runs simulations without chaos steps; '" + simulation + "' has some");
        }
        common.planWarmup(choice);
        List<RunResult> results = new ArrayList<>();
        RunResult ringcache = onLocalRingcache(sim, common);
        int exit = finish(ringcache, common);
        results.add(ringcache);
        for (String peer : peers) {
          RunResult r = switch (peer) {
            case "resp" -> onLocalRingcacheResp(sim, common);
            case "hazelcast" -> onHazelcast(sim, common);
            default -> onRedis(sim, common);
          };
          if (r != null) {
            exit = Math.max(exit, finish(r, common));
            results.add(r);
          }
        }
        System.out.println(Ratios.table(results));
        return exit;
      }
    }
  }

  /** The peers {@code compare --peers} knows. */
  static final List<String> PEERS = List.of("resp", "hazelcast", "redis");

  @Command(name = "demo", mixinStandardHelpOptions = true,
      description = "Starts a local 3-node cluster, runs a mixed workload for --duration"
          + " (default 60s) with node-2 killed at a third and node-4 joining at a half, checks"
          + " every read for staleness, prints the summary and the report's path.")
  static final class Demo implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
        description = "default ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--rate", defaultValue = "2000", description = "default ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--report-dir", defaultValue = "loadtest-reports")
    Path reportDir;

    @Override
    public Integer call() {
      Common common = new Common();
      common.duration = duration;
      common.rate = rate;
      common.nodes = 3;
      // The demo checks consistency under chaos, not latency: it keeps the launcher's serial
      // collector, the lightest on a small shared machine.
      common.jvmOptions = JvmOptions.parse("-Xmx256m -XX:+UseSerialGC");
      common.reportDir = reportDir;
      Simulation sim = BuiltInSimulations.rebalanceUnderLoad(common.duration(), rate);
      return finish(onLocalRingcache(sim, common), common);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the built-in simulations and how to run your own.")
  static final class ListSimulations implements Runnable {
    @Override
    public void run() {
      BuiltInSimulations.NAMES.forEach(System.out::println);
      System.out.println();
      System.out.println("Your own: a public class implementing "
          + SimulationFactory.class.getName() + " (public no-argument constructor),");
      System.out.println("run as: loadtest run com.example.MySimulation --classpath my.jar"
          + " (see loadtest/examples/)");
    }
  }

  private static final String SIMULATION_HELP = "a built-in simulation (${COMPLETION-CANDIDATES})"
      + " or the fully qualified name of a class implementing "
      + "io.ringcache.loadtest.dsl.SimulationFactory";

  private static final String CLASSPATH_HELP = "jars and class directories to load a simulation"
      + " class from, separated by commas or the path separator (loadtest's own classes win over"
      + " any copy in them)";

  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return BuiltInSimulations.NAMES.iterator();
    }
  }

  // ------------------------------------------------------------------ running

  static RunResult onLocalRingcache(Simulation sim, Common common) {
    if (common.nodes < 2) {
      throw new BadInputException("--nodes was " + common.nodes
          + ", a local ringcache cluster needs at least 2 (replication factor 2)");
    }
    List<String> jvm = common.ringcacheJvm();
    System.out.printf("== starting %d ringcache nodes on 127.0.0.1 (RF=2, JVM options: %s)%n",
        common.nodes, Summary.jvmOptions(jvm));
    try (LocalCluster cluster = LocalCluster.builder().nodes(common.nodes).replicationFactor(2)
        .jvmOptions(jvm.toArray(String[]::new)).start()) {
      awaitReady(cluster);
      try (RingcacheTarget t = RingcacheTarget.connect(cluster.seeds(), 1)) {
        warmUp(common, t);
        boolean chaos = !sim.chaos().isEmpty();
        return run(sim, t, chaos ? new ClusterChaos(cluster) : null,
            chaos ? new CheckerObserver(t.client(), cluster::awaitReady) : null)
            .withJvmOptions(jvm);
      }
    }
  }

  /**
   * ringcache again, on a cluster of its own whose nodes also serve RESP, driven through Lettuce
   * (one connection per node's RESP port): what an application that keeps its Redis client sees.
   */
  static RunResult onLocalRingcacheResp(Simulation sim, Common common) {
    List<String> jvm = common.ringcacheJvm();
    System.out.printf("== starting %d ringcache nodes with RESP ports on 127.0.0.1 (RF=2, JVM"
        + " options: %s)%n", common.nodes, Summary.jvmOptions(jvm));
    LocalCluster.Builder builder = LocalCluster.builder().nodes(common.nodes).replicationFactor(2)
        .jvmOptions(jvm.toArray(String[]::new));
    List<String> endpoints = new ArrayList<>();
    for (int i = 1; i <= common.nodes; i++) {
      int port = PortAllocator.NODES.next();
      builder.nodeOptionsFor("node-" + i, "--resp-port", Integer.toString(port));
      endpoints.add("127.0.0.1:" + port);
    }
    try (LocalCluster cluster = builder.start()) {
      awaitReady(cluster);
      try (Target t = RespTarget.connect(RingcacheTarget.NAME + "-resp", endpoints)) {
        warmUp(common, t);
        return run(sim, t, null, null).withJvmOptions(jvm);
      }
    }
  }

  /**
   * Redis on one {@code redis-server} process with a memory bound equal to the ringcache nodes'
   * together, or {@code null} (with a line saying so) when Redis is not installed.
   */
  static RunResult onRedis(Simulation sim, Common common) {
    if (RedisServer.executable().isEmpty()) {
      System.out.println("== redis: redis-server is not installed (Debian: apt-get install"
          + " redis-server); the Redis run is skipped");
      return null;
    }
    long maxMemory = common.nodes * REDIS_MEMORY_PER_NODE;
    System.out.printf("== starting redis-server on 127.0.0.1 (one process, no replica,"
        + " maxmemory %d MiB with LRU eviction)%n", maxMemory >> 20);
    try (RedisServer redis = RedisServer.start(maxMemory,
        Path.of(System.getProperty("java.io.tmpdir"), "ringcache-local", "redis"));
        Target t = RespTarget.connect("redis", List.of(redis.endpoint()))) {
      warmUp(common, t);
      return run(sim, t, null, null);
    }
  }

  /** The store bound of each ringcache node {@link LocalCluster} starts (its --max-memory). */
  static final long REDIS_MEMORY_PER_NODE = 64L << 20;

  static RunResult onHazelcast(Simulation sim, Common common) {
    List<String> jvm = common.peerJvm();
    System.out.printf("== starting %d Hazelcast members on 127.0.0.1 (backup count 1, JVM"
        + " options: %s)%n", common.nodes, Summary.jvmOptions(jvm));
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(common.nodes)
        .backupCount(1).jvmOptions(jvm).start()) {
      awaitReady(cluster);
      try (Target t = HazelcastTarget.builder().clusterName(cluster.clusterName())
          .members(cluster.addresses()).connect()) {
        warmUp(common, t);
        return run(sim, t, null, null).withJvmOptions(jvm);
      }
    }
  }

  /**
   * Waits until the local ringcache cluster agrees on one topology, with a line every few
   * seconds: node JVMs take seconds to start and join.
   */
  static void awaitReady(LocalCluster cluster) {
    int nodes = cluster.names().size();
    try (Heartbeat beat = Heartbeat.of("waiting for " + nodes + " ringcache nodes to start"
        + " and agree on one topology")) {
      cluster.awaitReady();
      System.out.printf("== %d ringcache nodes ready in %.1f s%n", nodes,
          beat.elapsedMillis() / 1000.0);
    }
  }

  /** Waits until every Hazelcast member sees all the others, with a line every few seconds. */
  static void awaitReady(HazelcastCluster cluster) {
    int members = cluster.members().size();
    try (Heartbeat beat = Heartbeat.of("waiting for " + members + " Hazelcast members to start"
        + " and see each other")) {
      cluster.awaitReady();
      System.out.printf("== %d Hazelcast members ready in %.1f s%n", members,
          beat.elapsedMillis() / 1000.0);
    }
  }

  /**
   * Runs the warm-up simulation, if any, against {@code target} and prints one line about it; its
   * figures are dropped, so JIT compilation, connection set-up and first allocations of both the
   * system and the load generator fall outside the measured run.
   */
  static void warmUp(Common common, Target target) {
    Simulation warmup = common.warmupSimulation;
    if (warmup == null) {
      return;
    }
    System.out.printf("== warm-up: %s against %s, %s at %.0f/s, not measured%n", warmup.name(),
        target.name(), DurationConverter.format(common.warmup), common.rate);
    RunResult result = Runner.run(warmup, target,
        RunOptions.builder().progress(line -> System.out.println("warm-up " + line)).build());
    long requests = result.ops().stream().mapToLong(RunResult.OpStats::count).sum();
    long errors = result.ops().stream().mapToLong(RunResult.OpStats::errors).sum();
    System.out.printf("== warm-up done: %,d requests, %,d errors%n", requests, errors);
  }

  static RunResult run(Simulation sim, Target target, ChaosHandler chaos,
      ReadWriteObserver observer) {
    System.out.printf("== %s against %s%n", sim.name(), target.name());
    RunOptions.Builder options = RunOptions.builder().progress(System.out::println);
    if (chaos != null) {
      options.chaosHandler(chaos);
    }
    if (observer != null) {
      options.observer(observer);
    }
    return Runner.run(sim, target, options.build());
  }

  static int finish(RunResult result, Common common) {
    System.out.println(Summary.table(result));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String base = fileName(result.simulation()) + "-" + result.target() + "-" + stamp;
    ReportFiles.Written files = ReportFiles.writeAll(result, common.reportDir, base);
    System.out.println("== report: " + files.html());
    System.out.println("== summary: " + files.json());
    System.out.println("== histograms: " + files.hlog());
    System.out.println(result.passed() ? "== PASSED" : "== FAILED");
    return result.passed() ? 0 : 1;
  }

  /**
   * A simulation's name as part of a file name: a user's class may name its simulation anything,
   * and a slash or a colon in it must not send the report elsewhere or fail the write.
   */
  static String fileName(String simulation) {
    String safe = simulation.replaceAll("[^A-Za-z0-9._-]+", "_");
    return safe.length() > 80 ? safe.substring(0, 80) : safe;
  }

  /** Refuses a seed that does not parse or is not a loopback address: bad input, exit 2. */
  static void requireLoopback(List<String> seeds) {
    for (String seed : seeds) {
      HostPort address;
      try {
        address = HostPort.parse("seed", seed);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--seeds: " + e.getMessage());
      }
      if (!address.isLoopback()) {
        throw new BadInputException(
            "--seeds: load is only sent to loopback addresses; '" + seed + "' is not one");
      }
    }
  }
}
