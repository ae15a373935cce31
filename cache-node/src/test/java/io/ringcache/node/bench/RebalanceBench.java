package io.ringcache.node.bench;

import io.ringcache.node.CacheNode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Rebalance cost in one JVM: a 3-node RF=2 cluster ({@link TestCluster}) is filled with
 * {@code --keys} keys of {@code --value-bytes} bytes, then one membership change is made and
 * timed: a fourth node joins, a node drains, a node crashes, and the join and the drain again
 * with {@code transferBytesPerSecond} set to {@code --rate}. Each scenario gets a fresh cluster.
 * A benchmark, not a test: nothing is asserted; {@code bin/rebalance-bench} runs it.
 *
 * <h2>What is measured</h2>
 * Phase times come from {@link InstallLog} (the instant each node installed each epoch). The
 * TRANSFER phase runs from its first installation to the first installation of SWITCH, which the
 * coordinator publishes once every node reported its transfers done. Entries and bytes moved are
 * the nodes' own {@code rebalance} STATS; the minimum the ring change needs is counted per key
 * from the rings before and after, and set beside the ideal of a perfectly balanced ring
 * (RF x keys / nodes: a join to 4 nodes gives the newcomer 1/4 of all copies, i.e. one copy of
 * half the keys).
 *
 * <h2>Limits</h2>
 * All nodes, the writer and the bench share one JVM and the machine's cores, so transfer rates
 * are those of four nodes competing for two cores, not of a network. Joining takes a Hazelcast
 * join first, and a crash is first noticed by Hazelcast's failure detector.
 */
public final class RebalanceBench {

  private static final int REPLICATION_FACTOR = 2;
  private static final int INITIAL_NODES = 3;
  private static final long STORE_BYTES = 512L << 20;
  private static final Duration TOMBSTONE_TTL = Duration.ofSeconds(60);
  private static final long WAIT_SECONDS = 600;
  /** Writes in flight: under a connection's maxInFlight (1024) even if one node gets them all. */
  private static final int WRITE_BATCH = 1000;

  /** The membership change a scenario makes. */
  enum Change { JOIN, DRAIN, CRASH }

  /** A named change, paced or not. */
  record Scenario(String name, Change change, boolean paced) {}

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("join", Change.JOIN, false),
      new Scenario("drain", Change.DRAIN, false),
      new Scenario("crash", Change.CRASH, false),
      new Scenario("join-paced", Change.JOIN, true),
      new Scenario("drain-paced", Change.DRAIN, true));

  static final String USAGE = String.join("\n",
      "usage: RebalanceBench [options]",
      "       RebalanceBench --summarize RESULTS.tsv",
      "",
      "  --keys N              keys written before each change (default 300000)",
      "  --value-bytes N       value size (default 100)",
      "  --rate BYTES          transferBytesPerSecond of the paced scenarios (default 1000000)",
      "  --window N            transferWindow (default "
          + CacheNode.Settings.DEFAULT_TRANSFER_WINDOW + ")",
      "  --scenarios LIST      from join,drain,crash,join-paced,drain-paced (default all)",
      "  --warmup N            unrecorded joins before the scenarios, to compile the hot paths"
          + " (default 1)",
      "  --run N               run number for the results file (default 1)",
      "  --results FILE        append tab-separated rows to FILE");

  /** Validated command line. */
  record Options(int keys, int valueBytes, long rate, int window, List<Scenario> scenarios,
      int warmups, int run, String results) {

    static Options parse(String[] args) {
      int keys = 300_000;
      int valueBytes = 100;
      long rate = 1_000_000;
      int window = CacheNode.Settings.DEFAULT_TRANSFER_WINDOW;
      List<Scenario> scenarios = SCENARIOS;
      int warmups = 1;
      int run = 1;
      String results = null;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--keys" -> keys = positive(flag, value);
          case "--value-bytes" -> valueBytes = positive(flag, value);
          case "--rate" -> rate = positive(flag, value);
          case "--window" -> window = positive(flag, value);
          case "--warmup" -> warmups = nonNegative(flag, value);
          case "--run" -> run = positive(flag, value);
          case "--results" -> results = value;
          case "--scenarios" -> {
            List<Scenario> chosen = new ArrayList<>();
            for (String name : value.split(",")) {
              chosen.add(SCENARIOS.stream().filter(s -> s.name().equals(name.trim()))
                  .findFirst().orElseThrow(() -> new IllegalArgumentException(
                      "--scenarios: unknown scenario '" + name + "'; known: "
                          + SCENARIOS.stream().map(Scenario::name).toList())));
            }
            scenarios = List.copyOf(chosen);
          }
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      return new Options(keys, valueBytes, rate, window, scenarios, warmups, run, results);
    }

    private static int positive(String flag, String value) {
      int n = nonNegative(flag, value);
      if (n < 1) {
        throw new IllegalArgumentException(flag + " must be at least 1, was " + n);
      }
      return n;
    }

    private static int nonNegative(String flag, String value) {
      int n;
      try {
        n = Integer.parseInt(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " is '" + value + "', expected a number");
      }
      if (n < 0) {
        throw new IllegalArgumentException(flag + " must be at least 0, was " + n);
      }
      return n;
    }
  }

  private RebalanceBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--summarize")) {
      System.out.print(RebalanceSummary.markdown(Files.readAllLines(Path.of(args[1]))));
      return;
    }
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("RebalanceBench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    List<RebalanceResult> results = new ArrayList<>();
    try {
      // The first rebalance in a JVM runs largely interpreted and took about 4x as long as the
      // same one later; a running node has long compiled these paths, so warm up first.
      for (int i = 0; i < options.warmups(); i++) {
        System.err.println("# warmup " + (i + 1) + ": " + run(vertx, options, SCENARIOS.get(0))
            .line().substring(2));
      }
      for (Scenario s : options.scenarios()) {
        RebalanceResult r = run(vertx, options, s);
        System.err.println(r.line());
        results.add(r);
        if (options.results() != null) {
          Files.writeString(Path.of(options.results()), r.tsv(options.run()) + "\n",
              StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
      }
    } finally {
      TestCluster.await(vertx.close());
    }
    List<String> lines = results.stream().map(r -> r.tsv(options.run())).toList();
    System.out.print(RebalanceSummary.markdown(lines));
    // Hazelcast leaves non-daemon threads behind for a while after shutdown.
    System.exit(0);
  }

  private static RebalanceResult run(Vertx vertx, Options o, Scenario s) {
    long limit = s.paced() ? o.rate() : 0;
    InstallLog log = new InstallLog();
    try (TestCluster cluster = new TestCluster(REPLICATION_FACTOR, d -> new CacheNode.Settings(
        d.cluster(), d.server(), new StoreConfig(STORE_BYTES, TOMBSTONE_TTL),
        REPLICATION_FACTOR, d.tokens(), d.eventLoops(), o.window(), limit))) {
      cluster.start(INITIAL_NODES);
      cluster.nodes().forEach(log::attach);
      Topology before = cluster.awaitStable();
      List<Key> keys = write(vertx, cluster, before, o.keys(), o.valueBytes());
      System.err.printf(Locale.ROOT, "# %s: %d nodes hold %,d keys of %d bytes; changing%n",
          s.name(), INITIAL_NODES, o.keys(), o.valueBytes());

      List<CacheNode> senders = new ArrayList<>(cluster.nodes());
      List<CacheNode> remaining;
      Map<String, JsonObject> reports = new HashMap<>();
      CacheNode leaver = cluster.node(INITIAL_NODES - 1);
      long failedBefore = InstallLog.failedTransfers();
      long changed = System.nanoTime();
      switch (s.change()) {
        case JOIN -> {
          CacheNode joined = cluster.startNode();
          log.attach(joined);
          senders.add(joined);
          remaining = List.copyOf(cluster.nodes());
        }
        case DRAIN -> {
          Future<Boolean> drained = leaver.drain(Duration.ofSeconds(WAIT_SECONDS));
          if (!await(drained)) {
            throw new IllegalStateException(leaver.name() + " did not drain");
          }
          remaining = cluster.nodes().stream().filter(n -> n != leaver).toList();
        }
        case CRASH -> {
          cluster.crash(leaver);
          senders.remove(leaver);
          remaining = List.copyOf(cluster.nodes());
        }
        default -> throw new IllegalStateException("unknown change " + s.change());
      }
      Topology after = awaitStable(remaining);
      long failed = InstallLog.failedTransfers() - failedBefore;
      for (CacheNode n : senders) {
        JsonObject r = n.report().json().getJsonObject("rebalance");
        reports.put(n.name(), r);
        System.err.printf(Locale.ROOT, "#   %s sent %,d entries, %,d bytes, in %,d ms%n", n.name(),
            r.getLong("outgoingEntriesSent"), r.getLong("outgoingBytesSent"),
            r.getLong("transferMillis"));
      }
      RebalanceResult result = measure(s, log, changed, failed, before, after, remaining,
          reports, keys, limit);
      if (s.change() == Change.DRAIN) {
        cluster.stop(leaver);
      }
      return result;
    }
  }

  private static RebalanceResult measure(Scenario s, InstallLog log, long changed,
      long failed, Topology before, Topology after, List<CacheNode> remaining,
      Map<String, JsonObject> reports, List<Key> keys, long limit) {
    List<String> names = remaining.stream().map(CacheNode::name).toList();
    long stable = after.epoch();
    long switchEpoch = stable - 1;
    long transferEpoch = stable - 2;
    if (log.phaseOf(switchEpoch) != Topology.Phase.SWITCH
        || log.phaseOf(transferEpoch) != Topology.Phase.TRANSFER) {
      throw new IllegalStateException(String.format("epochs %d and %d were %s and %s, expected"
          + " TRANSFER and SWITCH before STABLE %d", transferEpoch, switchEpoch,
          log.phaseOf(transferEpoch), log.phaseOf(switchEpoch), stable));
    }
    long transferAt = log.first(transferEpoch).orElseThrow();
    long switchAt = log.first(switchEpoch).orElseThrow();
    long stableAt = log.last(stable, names).orElseThrow();

    long entries = 0;
    long bytes = 0;
    long stream = 0;
    long slowestBytes = 0;
    long fastest = 0;
    for (JsonObject r : reports.values()) {
      long sent = r.getLong("outgoingBytesSent");
      long millis = r.getLong("transferMillis");
      entries += r.getLong("outgoingEntriesSent");
      bytes += sent;
      stream = Math.max(stream, millis);
      slowestBytes = Math.max(slowestBytes, sent);
      if (sent > 0 && millis > 0) {
        fastest = Math.max(fastest, sent * 1000 / millis);
      }
    }
    long copies = (long) keys.size() * REPLICATION_FACTOR;
    int largest = Math.max(before.readRing().size(), after.readRing().size());
    return new RebalanceResult(s.name(), keys.size(), copies, millis(stableAt - changed),
        millis(transferAt - changed), millis(switchAt - transferAt), stream,
        log.transferEpochsSince(changed), failed, entries, bytes, ringMinimum(before, after, keys),
        copies / largest, limit, limit == 0 ? 0 : slowestBytes * 1000 / limit, fastest,
        copiesHeld(remaining, copies));
  }

  /** Copies the ring change requires: for every key, the owners after that were not before. */
  private static long ringMinimum(Topology before, Topology after, List<Key> keys) {
    long moved = 0;
    for (Key k : keys) {
      List<String> old = before.readReplicas(k.position()).stream().map(Member::name).toList();
      for (Member m : after.readReplicas(k.position())) {
        if (!old.contains(m.name())) {
          moved++;
        }
      }
    }
    return moved;
  }

  /** Store entries over {@code nodes} once they dropped what they no longer own (or 30 s). */
  private static long copiesHeld(List<CacheNode> nodes, long expected) {
    try {
      Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
          .until(() -> held(nodes) == expected);
    } catch (ConditionTimeoutException e) {
      System.err.printf(Locale.ROOT, "# copies held stayed at %,d, expected %,d%n", held(nodes),
          expected);
    }
    return held(nodes);
  }

  private static long held(List<CacheNode> nodes) {
    return nodes.stream().mapToLong(n -> n.store().size()).sum();
  }

  /** Waits until every node in {@code nodes} installed one STABLE topology of exactly them. */
  private static Topology awaitStable(List<CacheNode> nodes) {
    Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5))
        .until(() -> {
          Topology first = nodes.get(0).topology();
          if (first.phase() != Topology.Phase.STABLE
              || first.readRing().size() != nodes.size()) {
            return false;
          }
          for (CacheNode n : nodes) {
            if (n.topology().epoch() != first.epoch()
                || !first.readRing().contains(n.name())) {
              return false;
            }
          }
          return true;
        });
    return nodes.get(0).topology();
  }

  /**
   * Writes {@code count} keys, each straight to its primary owner in {@code t}, {@value
   * #WRITE_BATCH} in flight; every write must be acknowledged OK.
   */
  private static List<Key> write(Vertx vertx, TestCluster cluster, Topology t, int count,
      int valueBytes) {
    Map<String, RawClient> clients = new HashMap<>();
    for (CacheNode n : cluster.nodes()) {
      clients.put(n.name(), RawClient.connect(vertx, n.settings().server().port()));
    }
    byte[] value = new byte[valueBytes];
    new SplittableRandom(valueBytes).nextBytes(value);
    List<Key> keys = new ArrayList<>(count);
    try {
      List<Future<Response>> batch = new ArrayList<>(WRITE_BATCH);
      for (int i = 0; i < count; i++) {
        Key key = Key.of(String.format(Locale.ROOT, "key:%08d", i));
        keys.add(key);
        RawClient c = clients.get(t.readReplicas(key.position()).get(0).name());
        batch.add(c.send(new Request.Set(key, Buffer.buffer(value), 0, SetMode.ALWAYS)));
        if (batch.size() == WRITE_BATCH || i == count - 1) {
          for (Response r : await(Future.all(batch)).<Response>list()) {
            if (r.status() != Status.OK) {
              throw new IllegalStateException("a write was answered " + r);
            }
          }
          batch.clear();
        }
      }
    } finally {
      clients.values().forEach(RawClient::close);
    }
    return keys;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("no answer within " + WAIT_SECONDS + " s", e);
    }
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
