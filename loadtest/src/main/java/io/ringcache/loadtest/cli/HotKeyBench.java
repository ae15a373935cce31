package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.KeyFeeder;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.ValueSizes;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Summary;
import io.ringcache.loadtest.targets.RingcacheTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code loadtest hot-key}: a read-heavy load (90% get, 10% put, 100-byte values) in which one
 * key takes half of all requests and the rest spread uniformly over 100,000 keys, with the
 * client's hot-key replica reads off and on. Measures each node's routed requests per second
 * ({@code /v1/stats} requests.total, before and after the measured run) and the clients'
 * latency. With replica reads on, the key's reads spread over its RF owners once the nodes'
 * sketches mark it hot (the warm-up gives them time); its writes still go to its primary.
 */
@Command(name = "hot-key", mixinStandardHelpOptions = true,
    description = "per-node load with one key at 50%% of requests, hot-key replica reads off and"
        + " on; medians over --runs rounds")
final class HotKeyBench implements Callable<Integer> {

  @Option(names = "--runs", defaultValue = "3", converter = Counts.AtLeastOne.class,
      description = "rounds; default ${DEFAULT-VALUE}")
  int runs;

  @Mixin
  Main.Common common;

  /**
   * One cell of one round.
   *
   * @param nodeShares each node's share of the routed requests, largest first
   */
  record Cell(String mode, double totalPerSecond, List<Double> nodeShares, double maxOverMean,
      long getP50, long getP99, long errors) {}

  @Override
  public Integer call() {
    Simulation sim = simulation(common.duration(), common.rate);
    Map<String, List<Cell>> cells = new LinkedHashMap<>();
    cells.put("replica reads off", new ArrayList<>());
    cells.put("replica reads on", new ArrayList<>());
    List<String> jvm = common.ringcacheJvm();
    for (int run = 1; run <= runs; run++) {
      System.out.printf("== round %d of %d%n", run, runs);
      try (LocalCluster cluster = LocalCluster.builder().nodes(common.nodes).replicationFactor(2)
          .jvmOptions(jvm.toArray(String[]::new)).start()) {
        Main.awaitReady(cluster);
        for (boolean on : run % 2 == 1 ? new boolean[] {false, true}
            : new boolean[] {true, false}) {
          Cell c = cell(cluster, sim, on);
          cells.get(c.mode()).add(c);
          System.out.println("== cell: " + c);
        }
      }
    }
    System.out.println(table(cells));
    return 0;
  }

  /** One key (key:0) at 50% of the requests, the rest uniform over the other 99,999. */
  static Simulation simulation(Duration duration, double rate) {
    return Simulation.named("hot-key")
        .scenario(Scenario.mix().get(90).put(10)
            .keys(KeyFeeder.hotSet(100_000, 0.00001, 0.5))
            .values(ValueSizes.fixed(100)))
        .inject(Injection.constantRate(rate, duration))
        .seed(46);
  }

  private Cell cell(LocalCluster cluster, Simulation sim, boolean replicaReads) {
    CacheClient client = CacheClient.builder().seeds(cluster.seeds())
        .hotKeyReplicaReads(replicaReads).build();
    String mode = replicaReads ? "replica reads on" : "replica reads off";
    try (RingcacheTarget target = RingcacheTarget.over(client, client, "ringcache")) {
      BenchSupport.warmUp(sim, common.rate, common.warmupDuration(), target);
      Map<String, Long> before = BenchSupport.requestsByNode(cluster);
      RunResult result = BenchSupport.measure(sim, target);
      Map<String, Long> served = BenchSupport.delta(before, BenchSupport.requestsByNode(cluster));
      System.out.println(Summary.table(result));
      System.out.println("== requests per node (" + mode + "): " + served);
      long total = served.values().stream().mapToLong(Long::longValue).sum();
      List<Double> shares = served.values().stream()
          .map(n -> total == 0 ? 0 : n / (double) total)
          .sorted((a, b) -> Double.compare(b, a)).toList();
      double mean = 1.0 / Math.max(1, shares.size());
      RunResult.OpStats get = BenchSupport.op(result, "get");
      long errors = result.ops().stream().mapToLong(RunResult.OpStats::errors).sum();
      return new Cell(mode, total * 1000.0 / Math.max(1, result.durationMillis()), shares,
          shares.isEmpty() ? 0 : shares.get(0) / mean, get.p50Micros(), get.p99Micros(), errors);
    }
  }

  static String table(Map<String, List<Cell>> cells) {
    StringBuilder out = new StringBuilder();
    out.append("| client | runs | node requests/s (all) | busiest node | 2nd | 3rd | busiest /"
        + " mean | get p50 | get p99 | errors |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    cells.forEach((mode, rows) -> {
      if (rows.isEmpty()) {
        return;
      }
      StringBuilder shares = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        int at = i;
        shares.append(String.format("%.1f%% | ", 100 * BenchSupport.median(rows,
            c -> at < c.nodeShares().size() ? c.nodeShares().get(at) : 0)));
      }
      out.append(String.format("| %s | %d | %,.0f | %s%.2f | %s | %s | %,.0f |%n", mode,
          rows.size(), BenchSupport.median(rows, Cell::totalPerSecond), shares,
          BenchSupport.median(rows, Cell::maxOverMean),
          BenchSupport.ms(BenchSupport.median(rows, Cell::getP50)),
          BenchSupport.ms(BenchSupport.median(rows, Cell::getP99)),
          BenchSupport.median(rows, Cell::errors)));
    });
    return out.toString();
  }
}
