package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.client.NearCache;
import io.ringcache.client.NearCacheSettings;
import io.ringcache.client.NearCacheStats;
import io.ringcache.loadtest.check.ConsistencyChecker;
import io.ringcache.loadtest.check.ConsistencyChecker.Outcome;
import io.ringcache.loadtest.check.ConsistencyChecker.Staleness;
import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.dsl.ChaosStep;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.KeyFeeder;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.ValueSizes;
import io.ringcache.loadtest.peer.HazelcastCluster;
import io.ringcache.loadtest.run.ChaosHandler;
import io.ringcache.loadtest.run.ReadWriteObserver;
import io.ringcache.loadtest.run.RunOptions;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Runner;
import io.ringcache.loadtest.run.Summary;
import io.ringcache.loadtest.targets.HazelcastTarget;
import io.ringcache.loadtest.targets.RingcacheTarget;
import io.ringcache.loadtest.targets.SplitTarget;
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
 * {@code loadtest staleness}: how stale near-cache reads get while the cluster loses a member to
 * {@code kill -9} (at a third of the run) and gains one (at a half), for ringcache and for
 * Hazelcast. One client reads through its near cache; a second client, without one, does every
 * write, so every fresh value reaches the reader only through its near cache's invalidations.
 * Load: 90% get / 10% put over 100,000 Zipfian (0.99) keys.
 *
 * <p>Every value carries the id of the write that produced it, and the {@link ConsistencyChecker}
 * measures each read's staleness: how long after the first acknowledgement of a newer write the
 * read began ({@link ConsistencyChecker#staleness()}). ringcache's promise is that no near-cache
 * read is staler than its lease ({@code --lease}, default 1 s); the command exits 1 if one is.
 */
@Command(name = "staleness", mixinStandardHelpOptions = true,
    description = "near-cache staleness across a kill -9 and a join, ringcache and Hazelcast;"
        + " medians over --runs rounds")
final class StalenessBench implements Callable<Integer> {

  @Option(names = "--runs", defaultValue = "3", converter = Counts.AtLeastOne.class,
      description = "rounds; default ${DEFAULT-VALUE}")
  int runs;

  @Option(names = "--lease", defaultValue = "1s", converter = DurationConverter.class,
      description = "ringcache's near-cache lease, the promised bound; default ${DEFAULT-VALUE}")
  Duration lease;

  @Option(names = "--systems", split = ",", defaultValue = "ringcache,hazelcast",
      description = "which systems to run; default ${DEFAULT-VALUE}")
  List<String> systems;

  @Mixin
  Main.Common common;

  /** One system's figures from one run. */
  record Row(String system, long reads, double nearHitRatio, long staleReads, long maxMicros,
      long p999Micros, long p9999Micros, long errors) {}

  @Override
  public Integer call() {
    Simulation sim = simulation(common.duration(), common.rate);
    Map<String, List<Row>> rows = new LinkedHashMap<>();
    rows.put("ringcache", new ArrayList<>());
    rows.put("hazelcast", new ArrayList<>());
    for (String system : systems) {
      if (!rows.containsKey(system)) {
        throw new BadInputException("--systems: unknown system '" + system + "'; systems: "
            + String.join(", ", rows.keySet()));
      }
    }
    boolean withinBound = true;
    for (int run = 1; run <= runs; run++) {
      System.out.printf("== round %d of %d%n", run, runs);
      if (systems.contains("ringcache")) {
        Row r = ringcache(sim, lease);
        rows.get("ringcache").add(r);
        System.out.println("== row: " + r);
        withinBound &= r.maxMicros() <= lease.toNanos() / 1_000;
      }
      if (systems.contains("hazelcast")) {
        Row h = hazelcast(sim);
        rows.get("hazelcast").add(h);
        System.out.println("== row: " + h);
      }
    }
    System.out.println(table(rows, lease));
    System.out.println(withinBound
        ? "== every ringcache near-cache read was within its " + DurationConverter.format(lease)
            + " lease"
        : "== FAILED: a ringcache near-cache read was staler than its "
            + DurationConverter.format(lease) + " lease");
    return withinBound ? 0 : 1;
  }

  /** The workload, with a member killed at a third and one joining at a half. */
  static Simulation simulation(Duration duration, double rate) {
    return Simulation.named("near-cache-staleness")
        .scenario(Scenario.mix().get(90).put(10)
            .keys(KeyFeeder.zipfian(100_000, 0.99))
            .values(ValueSizes.fixed(100)))
        .inject(Injection.constantRate(rate, duration))
        .chaos(ChaosStep.at(duration.dividedBy(3)).kill("node-2"),
            ChaosStep.at(duration.dividedBy(2)).start("node-4"))
        .seed(45);
  }

  private Row ringcache(Simulation sim, Duration bound) {
    List<String> jvm = common.ringcacheJvm();
    try (LocalCluster cluster = LocalCluster.builder().nodes(common.nodes).replicationFactor(2)
        .jvmOptions(jvm.toArray(String[]::new)).start()) {
      Main.awaitReady(cluster);
      CacheClient readerClient = BenchSupport.clientWithCache(cluster, CacheClient.builder());
      CacheClient writerClient = BenchSupport.clientWithCache(cluster, CacheClient.builder());
      NearCache<byte[]> near = readerClient.nearCache(BenchSupport.CACHE,
          NearCacheSettings.defaults().withMaxEntries(NearCacheBench.NEAR_ENTRIES)
              .withLease(bound));
      try (SplitTarget target = SplitTarget.of("ringcache-near",
          RingcacheTarget.over(readerClient, near, "ringcache-near"),
          RingcacheTarget.over(writerClient, writerClient.cache(BenchSupport.CACHE),
              "ringcache"))) {
        Recorder recorder = new Recorder();
        RunResult result = run(sim, target, new ClusterChaos(cluster), recorder);
        NearCacheStats stats = near.nearCacheStats();
        long lookups = stats.hits() + stats.misses();
        return row("ringcache", result, recorder,
            lookups == 0 ? 0 : stats.hits() / (double) lookups);
      }
    }
  }

  private Row hazelcast(Simulation sim) {
    List<String> jvm = common.peerJvm();
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(common.nodes)
        .backupCount(1).jvmOptions(jvm).start()) {
      Main.awaitReady(cluster);
      HazelcastTarget reader = HazelcastTarget.builder().clusterName(cluster.clusterName())
          .members(cluster.addresses()).mapName(BenchSupport.CACHE)
          .nearCache(NearCacheBench.NEAR_ENTRIES).connect();
      HazelcastTarget writer = HazelcastTarget.builder().clusterName(cluster.clusterName())
          .members(cluster.addresses()).mapName(BenchSupport.CACHE).connect();
      try (SplitTarget target = SplitTarget.of("hazelcast-near", reader, writer)) {
        Recorder recorder = new Recorder();
        ChaosHandler chaos = step -> {
          // The simulation names ringcache's nodes; member-N plays node-N.
          String member = step.node().replace("node-", "member-");
          return switch (step.action()) {
            case KILL -> "killed " + member + " (exit " + cluster.kill(member) + ")";
            case START -> "started " + member + " (pid " + cluster.start(member).pid() + ")";
            case DRAIN -> "stopped " + member + " (exit " + cluster.stop(member) + ")";
          };
        };
        RunResult result = run(sim, target, chaos, recorder);
        long[] hm = reader.nearCacheHitsAndMisses();
        long lookups = hm[0] + hm[1];
        return row("hazelcast", result, recorder, lookups == 0 ? 0 : hm[0] / (double) lookups);
      }
    }
  }

  private static RunResult run(Simulation sim, SplitTarget target, ChaosHandler chaos,
      Recorder recorder) {
    System.out.printf("== %s against %s%n", sim.name(), target.name());
    RunResult result = Runner.run(sim, target, RunOptions.builder()
        .progress(System.out::println).chaosHandler(chaos).observer(recorder).build());
    System.out.println(Summary.table(result));
    return result;
  }

  private static Row row(String system, RunResult result, Recorder recorder, double hitRatio) {
    Staleness s = recorder.checker.staleness();
    long errors = result.ops().stream().mapToLong(RunResult.OpStats::errors).sum();
    return new Row(system, s.reads(), hitRatio, s.staleReads(), s.maxNanos() / 1_000,
        s.quantileNanos(0.999) / 1_000, s.quantileNanos(0.9999) / 1_000, errors);
  }

  static String table(Map<String, List<Row>> rows, Duration bound) {
    StringBuilder out = new StringBuilder();
    out.append("| system | runs | reads | near-cache hit ratio | stale reads | staleness p99.9"
        + " | p99.99 | max | max of runs | errors |\n");
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    rows.forEach((system, list) -> {
      if (list.isEmpty()) {
        return;
      }
      out.append(String.format("| %s | %d | %,.0f | %.1f%% | %,.0f | %s | %s | %s | %s | %,.0f |%n",
          system + (system.equals("ringcache") ? " (lease " + bound.toMillis() + " ms)" : ""),
          list.size(), BenchSupport.median(list, Row::reads),
          100 * BenchSupport.median(list, Row::nearHitRatio),
          BenchSupport.median(list, Row::staleReads),
          BenchSupport.ms(BenchSupport.median(list, Row::p999Micros)),
          BenchSupport.ms(BenchSupport.median(list, Row::p9999Micros)),
          BenchSupport.ms(BenchSupport.median(list, Row::maxMicros)),
          BenchSupport.ms(list.stream().mapToLong(Row::maxMicros).max().orElse(0)),
          BenchSupport.median(list, Row::errors)));
    });
    return out.toString();
  }

  /** Feeds the checker; it judges staleness only, so nothing is read back at the end. */
  private static final class Recorder implements ReadWriteObserver {
    final ConsistencyChecker checker = new ConsistencyChecker();

    @Override
    public void onWrite(String key, long writeId, long startNanos, long endNanos,
        boolean acknowledged) {
      checker.recordWrite(key, writeId, startNanos, endNanos,
          acknowledged ? Outcome.ACKNOWLEDGED : Outcome.MAYBE_APPLIED);
    }

    @Override
    public void onDelete(String key, long startNanos, long endNanos, boolean acknowledged) {
      checker.recordDelete(key, startNanos, endNanos,
          acknowledged ? Outcome.ACKNOWLEDGED : Outcome.MAYBE_APPLIED);
    }

    @Override
    public void onRead(String key, long writeId, long startNanos, long endNanos) {
      checker.recordRead(key, writeId, startNanos, endNanos);
    }
  }
}
