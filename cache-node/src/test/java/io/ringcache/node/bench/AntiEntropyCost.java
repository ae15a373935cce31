package io.ringcache.node.bench;

import io.ringcache.node.CacheNode;
import io.ringcache.node.replication.AntiEntropyStats;
import io.ringcache.node.store.DigestSlices;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.ring.KeyHash;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What anti-entropy costs. A benchmark, not a test: nothing is asserted.
 *
 * <ul>
 *   <li>{@code write}: ns per {@code LocalStore.set} over 100,000 keys of 12 bytes with
 *       100-byte values, on one thread (4 rounds of 2,000,000 writes dropped, 10 measured, the
 *       median printed). Uses only APIs older than the digests, so the same class runs against
 *       a build without them: the difference is what keeping digests costs a write.
 *   <li>{@code digest}: the digest work a write adds, alone, in ns per write (same keys).
 *   <li>{@code round}: two nodes in this JVM (RF=2, 64 tokens each, so each holds every entry),
 *       both stores loaded with the same {@code entries} (default 1,000,000) entries; then one
 *       round on each node (the first indexes the slices the ring's tokens cut: one scan per
 *       store), 50 more rounds, one after dropping the indexes, and a round after {@code drops}
 *       (default 1,000) entries were removed from one store, then 20 more. Prints wall time, process CPU (minus the idle rate measured
 *       beforehand: Hazelcast and timers), frame bytes, ranges compared and entries repaired.
 * </ul>
 *
 * <pre>
 *   java -Xmx3g -cp CP io.ringcache.node.bench.AntiEntropyCost write
 *   java -Xmx3g -cp CP io.ringcache.node.bench.AntiEntropyCost digest
 *   java -Xmx3g -cp CP io.ringcache.node.bench.AntiEntropyCost round [entries] [drops]
 * </pre>
 */
public final class AntiEntropyCost {

  private static final int KEYS = 100_000;
  private static final int OPS = 2_000_000;

  private AntiEntropyCost() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "round";
    if (mode.equals("write")) {
      write();
    } else if (mode.equals("digest")) {
      digest();
    } else {
      round(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000,
          args.length > 2 ? Integer.parseInt(args[2]) : 1_000);
    }
    System.exit(0);
  }

  private static StoreKey key(int i) {
    return StoreKey.of(String.format(Locale.ROOT, "key:%08d", i));
  }

  private static void write() {
    LocalStore store = LocalStore.create(new StoreConfig(2L << 30, Duration.ofSeconds(60)),
        HybridClock.forNode("bench"));
    StoreKey[] keys = new StoreKey[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = key(i);
      store.set(keys[i], new byte[100], 0, SetMode.ALWAYS);
    }
    SplittableRandom random = new SplittableRandom(7);
    int[] order = new int[OPS];
    for (int i = 0; i < OPS; i++) {
      order[i] = random.nextInt(KEYS);
    }
    byte[] value = new byte[100];
    List<Double> rounds = new ArrayList<>();
    for (int round = 0; round < 14; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        store.set(keys[order[i]], value, 0, SetMode.ALWAYS);
      }
      double ns = (System.nanoTime() - t0) / (double) OPS;
      if (round >= 4) {
        rounds.add(ns);
      }
    }
    Collections.sort(rounds);
    System.out.printf(Locale.ROOT, "write: set over %,d keys: median %.1f ns/op (rounds %s)%n",
        KEYS, rounds.get(rounds.size() / 2), rounds);
  }

  /**
   * The digest work a write adds, alone: the key's position (packed, no allocation), the hashes
   * of the entry replaced and of the new one, and the atomic add on the slice's sum, as {@code
   * DigestTable.replace} does for an update (the count does not change).
   */
  private static void digest() {
    StoreKey[] keys = new StoreKey[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = key(i);
    }
    java.util.concurrent.atomic.AtomicLongArray table =
        new java.util.concurrent.atomic.AtomicLongArray(2 * DigestSlices.COUNT);
    SplittableRandom random = new SplittableRandom(7);
    int[] order = new int[OPS];
    for (int i = 0; i < OPS; i++) {
      order[i] = random.nextInt(KEYS);
    }
    List<Double> rounds = new ArrayList<>();
    List<Double> touches = new ArrayList<>();
    long version = 1L << 40;
    long sink = 0;
    for (int round = 0; round < 14; round++) {
      // The same walk over the keys without the digest work: what the loop itself costs (the
      // keys are scattered on the heap; a write has its key at hand already).
      long t0 = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        sink += keys[order[i]].length();
      }
      double touch = (System.nanoTime() - t0) / (double) OPS;
      t0 = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        long p = keys[order[i]].position();
        long delta = DigestSlices.entryHash(p, version + 1, false)
            - DigestSlices.entryHash(p, version, false);
        table.getAndAdd(DigestSlices.of(p) << 1, delta);
        version++;
      }
      double ns = (System.nanoTime() - t0) / (double) OPS;
      if (round >= 4) {
        rounds.add(ns);
        touches.add(touch);
      }
    }
    Collections.sort(rounds);
    Collections.sort(touches);
    System.out.printf(Locale.ROOT, "digest: per write %.1f ns, of which %.1f ns walking to the"
            + " key (medians; check %d)%n", rounds.get(rounds.size() / 2),
        touches.get(touches.size() / 2), table.get(0) + sink);
  }

  private static void round(int entries, int drops) throws Exception {
    try (TestCluster cluster = new TestCluster(2, s -> new CacheNode.Settings(s.cluster(),
        s.server(), s.store().withMaxBytes(1L << 30), 2, 64, 2, s.transferWindow(),
        s.transferBytesPerSecond(), s.caches(), Duration.ZERO, 0)).start(2)) {
      CacheNode a = cluster.node(0);
      CacheNode b = cluster.node(1);
      HybridClock writer = HybridClock.forNode("bench-writer");
      byte[] value = new byte[100];
      for (int i = 0; i < entries; i++) {
        StoreKey k = key(i);
        ReplicaEntry e = ReplicaEntry.value(value, writer.next(), 0);
        a.store().apply(k, e);
        b.store().apply(k, e);
      }
      System.out.printf(Locale.ROOT, "round: %,d entries on each of 2 nodes, %d tokens each%n",
          entries, a.topology().readRing().tokensOf(a.name()).length);
      double idle = idleCpuRate();
      System.out.printf(Locale.ROOT, "idle: %.1f ms CPU per s%n", idle * 1000);

      measure("first round (indexes cut slices)", cluster, idle, 1);
      measure("steady round", cluster, idle, 50);
      for (CacheNode n : cluster.nodes()) {
        n.store().forgetIdleIndexes(0);
      }
      measure("round after the indexes were dropped (warm JVM)", cluster, idle, 1);

      SplittableRandom random = new SplittableRandom(11);
      Set<Long> lost = new HashSet<>();
      while (lost.size() < drops) {
        lost.add(KeyHash.of(key(random.nextInt(entries)).bytes()));
      }
      b.store().removeIf(lost::contains);
      measure("round after " + drops + " entries lost on one node", cluster, idle, 1);
      measure("steady round again", cluster, idle, 20);
    }
  }

  private static void measure(String what, TestCluster cluster, double idleRate, int rounds) {
    long cpu0 = cpuNanos();
    long wall0 = System.nanoTime();
    long ranges = 0;
    long repaired = 0;
    long mismatches = 0;
    long bytes0 = bytes(cluster);
    for (int r = 0; r < rounds; r++) {
      for (CacheNode n : cluster.nodes()) {
        JsonObject report = TestCluster.await(n.antiEntropy().runNow());
        ranges += report.getLong("rangesCompared", 0L);
        repaired += report.getLong("entriesRepaired", 0L);
        mismatches += report.getLong("mismatches", 0L);
      }
    }
    long wall = System.nanoTime() - wall0;
    double cpu = (cpuNanos() - cpu0) - idleRate * wall;
    long bytes = bytes(cluster) - bytes0;
    System.out.printf(Locale.ROOT, "%s: per round (both nodes) %.1f ms wall, %.2f ms CPU,"
            + " %,d bytes, %.1f ranges compared, %.1f mismatches, %.1f entries repaired;"
            + " per compared range %.1f us CPU, %.1f bytes%n", what, wall / 1e6 / rounds,
        cpu / 1e6 / rounds, bytes / rounds, ranges / (double) rounds, mismatches / (double) rounds,
        repaired / (double) rounds, cpu / 1e3 / ranges, bytes / (double) ranges);
  }

  private static long bytes(TestCluster cluster) {
    long n = 0;
    for (CacheNode node : cluster.nodes()) {
      AntiEntropyStats s = node.antiEntropy().stats();
      n += s.bytesSent.sum() + s.bytesReceived.sum();
    }
    return n;
  }

  /** Process CPU nanoseconds per wall nanosecond while nothing but the nodes' timers run. */
  private static double idleCpuRate() throws InterruptedException {
    long cpu0 = cpuNanos();
    long wall0 = System.nanoTime();
    Thread.sleep(3_000);
    return (cpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
