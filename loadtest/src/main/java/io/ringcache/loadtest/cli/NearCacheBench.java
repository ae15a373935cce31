package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.client.NearCache;
import io.ringcache.client.NearCacheSettings;
import io.ringcache.client.NearCacheStats;
import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.peer.HazelcastCluster;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Summary;
import io.ringcache.loadtest.targets.HazelcastTarget;
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
 * {@code loadtest near-cache}: the read-heavy Zipfian workload (90% get, 10% put, skew 0.99 over
 * 100,000 keys, 100-byte values) against four cells at the same offered load: ringcache without
 * and with its near cache, Hazelcast IMap without and with its near cache. Each cell gets a fresh
 * client, its own warm-up and one measured run; {@code --runs} rounds alternate the order of the
 * cells within each system, and the table gives the median of each figure.
 *
 * <p>Both near caches hold at most {@value #NEAR_ENTRIES} entries, Hazelcast's default size;
 * ringcache's has a lease of {@code --lease} (default 1 s, the client's default). Writes go through the same client as reads, as an
 * application's would.
 */
@Command(name = "near-cache", mixinStandardHelpOptions = true,
    description = "read-heavy Zipfian load on ringcache and Hazelcast, each with and without a"
        + " near cache; medians over --runs rounds")
final class NearCacheBench implements Callable<Integer> {

  static final int NEAR_ENTRIES = 10_000;

  @Option(names = "--runs", defaultValue = "3", converter = Counts.AtLeastOne.class,
      description = "rounds; default ${DEFAULT-VALUE}")
  int runs;

  @Option(names = "--lease", defaultValue = "1s", converter = DurationConverter.class,
      description = "lease of ringcache's near cache (its staleness bound); default"
          + " ${DEFAULT-VALUE}")
  Duration lease;

  @Option(names = "--cells", split = ",",
      defaultValue = "ringcache,ringcache-near,hazelcast,hazelcast-near",
      description = "which cells to run; default ${DEFAULT-VALUE}")
  List<String> only;

  @Mixin
  Main.Common common;

  /** One cell's figures from one run. */
  record Cell(String name, double getOkPerSecond, long getP50, long getP99, long putP99,
      double nearHitRatio, double unvouchedRatio, long errors, double nodeRequestsPerSecond) {}

  @Override
  public Integer call() {
    Simulation sim = BuiltInSimulations.readHeavy(common.duration(), common.rate);
    Map<String, List<Cell>> cells = new LinkedHashMap<>();
    for (String name : List.of("ringcache", "ringcache-near", "hazelcast", "hazelcast-near")) {
      cells.put(name, new ArrayList<>());
    }
    for (String name : only) {
      if (!cells.containsKey(name)) {
        throw new BadInputException("--cells: unknown cell '" + name + "'; cells: "
            + String.join(", ", cells.keySet()));
      }
    }
    for (int run = 1; run <= runs; run++) {
      boolean nearFirst = run % 2 == 0;
      System.out.printf("== round %d of %d (near cache %s)%n", run, runs,
          nearFirst ? "first" : "second");
      List<Cell> round = new ArrayList<>();
      if (only.contains("ringcache") || only.contains("ringcache-near")) {
        round.addAll(ringcache(sim, nearFirst));
      }
      if (only.contains("hazelcast") || only.contains("hazelcast-near")) {
        round.addAll(hazelcast(sim, nearFirst));
      }
      for (Cell c : round) {
        cells.get(c.name()).add(c);
        System.out.println("== cell: " + c);
      }
    }
    System.out.println(table(cells));
    return 0;
  }

  private List<Cell> ringcache(Simulation sim, boolean nearFirst) {
    List<String> jvm = common.ringcacheJvm();
    List<Cell> out = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.builder().nodes(common.nodes).replicationFactor(2)
        .jvmOptions(jvm.toArray(String[]::new)).start()) {
      Main.awaitReady(cluster);
      for (boolean near : nearFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
        if (!only.contains(near ? "ringcache-near" : "ringcache")) {
          continue;
        }
        CacheClient client = BenchSupport.clientWithCache(cluster, CacheClient.builder());
        NearCache<byte[]> nearCache = near
            ? client.nearCache(BenchSupport.CACHE,
                NearCacheSettings.defaults().withMaxEntries(NEAR_ENTRIES)
                    .withLease(lease))
            : null;
        try (RingcacheTarget target = RingcacheTarget.over(client,
            near ? nearCache : client.cache(BenchSupport.CACHE),
            near ? "ringcache-near" : "ringcache")) {
          BenchSupport.warmUp(sim, common.rate, common.warmupDuration(), target);
          NearCacheStats before = near ? nearCache.nearCacheStats() : null;
          Map<String, Long> nodesBefore = BenchSupport.requestsByNode(cluster);
          RunResult result = BenchSupport.measure(sim, target).withJvmOptions(jvm);
          long nodeRequests = BenchSupport.delta(nodesBefore, BenchSupport.requestsByNode(cluster))
              .values().stream().mapToLong(Long::longValue).sum();
          double ratio = 0;
          double unvouched = 0;
          if (near) {
            NearCacheStats after = nearCache.nearCacheStats();
            long hits = after.hits() - before.hits();
            long lookups = hits + after.misses() - before.misses();
            ratio = lookups == 0 ? 0 : hits / (double) lookups;
            unvouched = lookups == 0 ? 0
                : (after.unvouched() - before.unvouched()) / (double) lookups;
            System.out.println("== near cache: " + after);
          }
          System.out.println(Summary.table(result));
          out.add(cell(target.name(), result, ratio, unvouched,
              nodeRequests * 1000.0 / Math.max(1, result.durationMillis())));
        }
      }
    }
    return out;
  }

  private List<Cell> hazelcast(Simulation sim, boolean nearFirst) {
    List<String> jvm = common.peerJvm();
    List<Cell> out = new ArrayList<>();
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(common.nodes)
        .backupCount(1).jvmOptions(jvm).start()) {
      Main.awaitReady(cluster);
      for (boolean near : nearFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
        if (!only.contains(near ? "hazelcast-near" : "hazelcast")) {
          continue;
        }
        try (HazelcastTarget target = HazelcastTarget.builder()
            .clusterName(cluster.clusterName()).members(cluster.addresses())
            .mapName(BenchSupport.CACHE + (near ? "-near" : ""))
            .nearCache(near ? NEAR_ENTRIES : 0).connect()) {
          BenchSupport.warmUp(sim, common.rate, common.warmupDuration(), target);
          long[] before = target.nearCacheHitsAndMisses();
          RunResult result = BenchSupport.measure(sim, target).withJvmOptions(jvm);
          long[] after = target.nearCacheHitsAndMisses();
          long hits = after[0] - before[0];
          long lookups = hits + after[1] - before[1];
          System.out.println(Summary.table(result));
          out.add(cell(target.name(), result, lookups == 0 ? 0 : hits / (double) lookups, 0,
              -1));
        }
      }
    }
    return out;
  }

  private static Cell cell(String name, RunResult result, double hitRatio,
      double unvouchedRatio, double nodeRequestsPerSecond) {
    RunResult.OpStats get = BenchSupport.op(result, "get");
    RunResult.OpStats put = BenchSupport.op(result, "put");
    return new Cell(name, BenchSupport.okPerSecond(result, "get"), get.p50Micros(),
        get.p99Micros(), put.p99Micros(), hitRatio, unvouchedRatio,
        get.errors() + put.errors(), nodeRequestsPerSecond);
  }

  static String table(Map<String, List<Cell>> cells) {
    StringBuilder out = new StringBuilder();
    out.append("| cell | runs | get ok/s | get p50 | get p99 | put p99 | near-cache hit ratio"
        + " | node requests/s | errors |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    cells.forEach((name, rows) -> {
      if (rows.isEmpty()) {
        return;
      }
      double nodeRequests = BenchSupport.median(rows, Cell::nodeRequestsPerSecond);
      out.append(String.format("| %s | %d | %,.0f | %s | %s | %s | %s | %s | %,.0f |%n", name,
          rows.size(), BenchSupport.median(rows, Cell::getOkPerSecond),
          BenchSupport.ms(BenchSupport.median(rows, Cell::getP50)),
          BenchSupport.ms(BenchSupport.median(rows, Cell::getP99)),
          BenchSupport.ms(BenchSupport.median(rows, Cell::putP99)),
          name.endsWith("-near")
              ? String.format("%.1f%%", 100 * BenchSupport.median(rows, Cell::nearHitRatio))
              : "-",
          nodeRequests < 0 ? "-" : String.format("%,.0f", nodeRequests),
          BenchSupport.median(rows, Cell::errors)));
    });
    return out.toString();
  }
}
