package io.ringcache.node.bench;

import io.ringcache.node.CacheNode;
import io.ringcache.node.snapshot.SnapshotFile;
import io.ringcache.node.snapshot.SnapshotReader;
import io.ringcache.node.snapshot.WarmRestart;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Snapshot throughput in MB/s of file, two ways. A benchmark, not a test: nothing is asserted.
 *
 * <p>{@code store}: one store of {@code --entries} entries of {@code --value-bytes} (12-byte keys,
 * a tenth with a TTL, seeded); each run writes its snapshot as a stopping node does ({@link
 * WarmRestart#writeStore}: scan, blocks, CRC32C, fsync, rename, directory fsync), checks it as a
 * starting node does ({@link SnapshotReader#verify}) and decodes every entry (what a replay
 * reads). The page cache is warm for the reads: the file was just written.
 *
 * <p>{@code cluster}: three in-JVM nodes at RF 2 hold {@code --entries} keys written through the
 * binary protocol; each run stops all three at once as SIGTERM does (drain finds everyone
 * draining, snapshot, leave), starts them again in another order and waits for every replay.
 * Reports the nodes' own figures: snapshot written (during the concurrent shutdown), file checked
 * at start, and replay (file bytes over the time until every owner acknowledged every copy).
 *
 * <pre>
 *   java -cp CP io.ringcache.node.bench.SnapshotThroughput store --entries 1000000 --runs 5
 *   java -cp CP io.ringcache.node.bench.SnapshotThroughput cluster --entries 100000 --runs 3
 * </pre>
 */
public final class SnapshotThroughput {

  private SnapshotThroughput() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "store";
    int entries = intArg(args, "--entries", mode.equals("store") ? 1_000_000 : 100_000);
    int valueBytes = intArg(args, "--value-bytes", 100);
    int runs = intArg(args, "--runs", mode.equals("store") ? 5 : 3);
    Path dir = Files.createTempDirectory("snapshot-bench");
    System.out.printf(Locale.ROOT, "== %s: %d entries of %d-byte values, %d runs, %d cores, %s%n",
        mode, entries, valueBytes, runs, Runtime.getRuntime().availableProcessors(), dir);
    if (mode.equals("store")) {
      store(dir, entries, valueBytes, runs);
    } else if (mode.equals("cluster")) {
      cluster(dir, entries, valueBytes, runs);
    } else {
      throw new IllegalArgumentException("mode must be store or cluster, was " + mode);
    }
  }

  private static void store(Path dir, int entries, int valueBytes, int runs) throws IOException {
    LocalStore store = LocalStore.create(new StoreConfig(8L << 30, Duration.ofSeconds(60)),
        HybridClock.forNode("bench"));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < entries; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      store.set(StoreKey.of(String.format("key:%08d", i)), value,
          i % 10 == 0 ? 3_600_000 : LocalStore.NO_TTL, SetMode.ALWAYS);
    }
    double[] write = new double[runs];
    double[] verify = new double[runs];
    double[] decode = new double[runs];
    for (int run = 0; run < runs; run++) {
      SnapshotFile.Written w = WarmRestart.writeStore(dir,
          new SnapshotFile.Header("bench", System.currentTimeMillis(), 1, 1), store, 60_000);
      SnapshotReader.Verified v = SnapshotReader.verify(dir).orElseThrow();
      long began = System.nanoTime();
      long decoded = 0;
      try (SnapshotReader r = SnapshotReader.open(w.file())) {
        for (List<SnapshotFile.Entry> b = r.nextBlock(); b != null; b = r.nextBlock()) {
          decoded += b.size();
        }
      }
      long nanos = System.nanoTime() - began;
      write[run] = w.megabytesPerSecond();
      verify[run] = v.megabytesPerSecond();
      decode[run] = w.bytes() / 1e6 / (nanos / 1e9);
      System.out.printf(Locale.ROOT, "run %d: %d entries, %.1f MB; write %.1f MB/s (%d ms),"
              + " verify %.1f MB/s (%d ms), decode %.1f MB/s (%d entries, %d ms)%n", run + 1,
          w.entries(), w.bytes() / 1e6, write[run], w.nanos() / 1_000_000, verify[run],
          v.nanos() / 1_000_000, decode[run], decoded, nanos / 1_000_000);
    }
    System.out.printf(Locale.ROOT, "== median of %d: write %.1f MB/s, verify %.1f MB/s,"
        + " decode %.1f MB/s%n", runs, median(write), median(verify), median(decode));
  }

  private static void cluster(Path dir, int entries, int valueBytes, int runs) throws Exception {
    double[] write = new double[runs];
    double[] verify = new double[runs];
    double[] replay = new double[runs];
    try (TestCluster cluster = new TestCluster(2, s -> s.withAntiEntropy(Duration.ZERO, 0)
        .withDataDir(dir.resolve(s.server().nodeName())))) {
      cluster.start(3);
      fill(cluster, entries, valueBytes);
      String[][] orders = {{"node-2", "node-0", "node-1"}, {"node-1", "node-2", "node-0"},
          {"node-0", "node-1", "node-2"}};
      for (int run = 0; run < runs; run++) {
        List<JsonObject> written = stopAll(cluster);
        for (String name : orders[run % orders.length]) {
          cluster.startNode(name);
        }
        cluster.awaitStable();
        Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .pollInterval(Duration.ofMillis(50)).until(() -> cluster.nodes().stream()
                .noneMatch(n -> n.warmRestart().replayPending()));
        List<JsonObject> loaded = new ArrayList<>();
        List<JsonObject> replayed = new ArrayList<>();
        for (CacheNode n : cluster.nodes()) {
          loaded.add(n.warmRestart().json().getJsonObject("loaded"));
          replayed.add(n.warmRestart().json().getJsonObject("replay"));
        }
        write[run] = total(written, "bytes") / 1e3 / max(written, "millis");
        verify[run] = total(loaded, "bytes") / 1e3 / max(loaded, "millis");
        replay[run] = total(loaded, "bytes") / 1e3 / max(replayed, "millis");
        System.out.printf(Locale.ROOT, "run %d: write %s%n       loaded %s%n       replay %s%n",
            run + 1, written, loaded, replayed);
        System.out.printf(Locale.ROOT, "run %d: write %.1f MB/s, verify %.1f MB/s, replay %.1f"
            + " MB/s (all three nodes' bytes over the slowest node's time)%n", run + 1,
            write[run], verify[run], replay[run]);
      }
    }
    System.out.printf(Locale.ROOT, "== median of %d: write %.1f MB/s, verify %.1f MB/s,"
        + " replay %.1f MB/s%n", runs, median(write), median(verify), median(replay));
  }

  private static void fill(TestCluster cluster, int entries, int valueBytes) {
    CacheNode n = cluster.node(0);
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    try (io.ringcache.node.testing.RawClient c = io.ringcache.node.testing.RawClient.connect(
        n.vertx(), n.settings().server().port())) {
      List<Future<io.ringcache.protocol.Response>> pending = new ArrayList<>();
      for (int i = 0; i < entries; i++) {
        pending.add(c.send(new io.ringcache.protocol.Request.Set(io.ringcache.protocol.Key.of(
            String.format("key:%08d", i).getBytes(StandardCharsets.UTF_8)),
            io.vertx.core.buffer.Buffer.buffer(value), 0, SetMode.ALWAYS)));
        if (pending.size() == 500 || i == entries - 1) {
          pending.forEach(TestCluster::await);
          pending.clear();
        }
      }
    }
  }

  /** Stops all nodes at once as SIGTERM does; their snapshots' reports. */
  private static List<JsonObject> stopAll(TestCluster cluster) throws Exception {
    List<CacheNode> nodes = new ArrayList<>(cluster.nodes());
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    // A thread per node, each blocking as each process's shutdown hook does. Not the common pool:
    // it has cores - 1 threads, and on a 3-core machine the third node would stop after the
    // others instead of at once.
    ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
    for (CacheNode n : nodes) {
      stops.add(CompletableFuture.runAsync(() -> {
        TestCluster.await(n.drain(Duration.ofSeconds(TestCluster.TIMEOUT_SECONDS)));
        TestCluster.await(n.snapshot());
        TestCluster.await(n.close());
      }, threads));
    }
    threads.shutdown();
    for (var s : stops) {
      s.get(TestCluster.TIMEOUT_SECONDS * 2, TimeUnit.SECONDS);
    }
    cluster.nodes().clear();
    List<JsonObject> out = new ArrayList<>();
    for (CacheNode n : nodes) {
      out.add(n.warmRestart().json().getJsonObject("written"));
    }
    return out;
  }

  private static double total(List<JsonObject> reports, String field) {
    return reports.stream().mapToLong(j -> j.getLong(field)).sum();
  }

  private static double max(List<JsonObject> reports, String field) {
    return Math.max(1, reports.stream().mapToLong(j -> j.getLong(field)).max().orElse(1));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
