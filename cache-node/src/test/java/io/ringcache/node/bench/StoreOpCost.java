package io.ringcache.node.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentMap;

/**
 * What Caffeine's variable expiry adds to the store's two hot operations: {@code asMap().compute}
 * (every write) and {@code getIfPresent} (every read), in ns per operation on one thread, over
 * 100,000 keys picked at random (seeded) with 120-byte values, the way the store is built (a
 * weigher, inline maintenance). Variants: {@code plain} (what the store uses), {@code expiry} (an
 * {@code expireAfter} whose entries never expire, as the store had before issue 12), {@code
 * stats} ({@code recordStats}), and {@code hashmap} (a {@code HashMap}, the floor). Four rounds of
 * 2,000,000 operations each are dropped, four are measured; prints each variant's median round.
 * A benchmark, not a test: nothing is asserted.
 *
 * <pre>
 *   for v in plain expiry stats hashmap; do java -cp CP io.ringcache.node.bench.StoreOpCost $v; done
 * </pre>
 */
public final class StoreOpCost {

  private static final int KEYS = 100_000;
  private static final int OPS = 2_000_000;

  private StoreOpCost() {}

  public static void main(String[] args) {
    // One variant per JVM gives each the same JIT history; default: all, in this JVM.
    for (String variant : args.length > 0 ? List.of(args)
        : List.of("plain", "expiry", "stats", "hashmap")) {
      measure(variant);
    }
  }

  private static void measure(String variant) {
    Caffeine<Object, Object> b = Caffeine.newBuilder().maximumWeight(1L << 30)
        .weigher((k, v) -> ((byte[]) v).length + 100).executor(Runnable::run);
    if (variant.equals("expiry")) {
      b = b.expireAfter(new Expiry<Object, Object>() {
        @Override
        public long expireAfterCreate(Object k, Object v, long now) {
          return Long.MAX_VALUE;
        }

        @Override
        public long expireAfterUpdate(Object k, Object v, long now, long current) {
          return Long.MAX_VALUE;
        }

        @Override
        public long expireAfterRead(Object k, Object v, long now, long current) {
          return current;
        }
      });
    } else if (variant.equals("stats")) {
      b = b.recordStats();
    }
    Cache<Object, Object> cache = b.build();
    ConcurrentMap<Object, Object> map = cache.asMap();
    java.util.HashMap<Object, Object> hash = new java.util.HashMap<>();
    boolean plainMap = variant.equals("hashmap");
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key:" + i;
    }
    List<double[]> rounds = new ArrayList<>();
    long sink = 0;
    for (int round = 0; round < 8; round++) {
      SplittableRandom random = new SplittableRandom(round);
      long t0 = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        String k = keys[random.nextInt(KEYS)];
        if (plainMap) {
          hash.compute(k, (key, old) -> new byte[120]);
        } else {
          map.compute(k, (key, old) -> new byte[120]);
        }
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        String k = keys[random.nextInt(KEYS)];
        Object v = plainMap ? hash.get(k) : cache.getIfPresent(k);
        sink += v == null ? 0 : 1;
      }
      long t2 = System.nanoTime();
      if (round >= 4) {
        rounds.add(new double[] {(t1 - t0) / (double) OPS, (t2 - t1) / (double) OPS});
      }
    }
    List<Double> writes = new ArrayList<>();
    List<Double> reads = new ArrayList<>();
    for (double[] r : rounds) {
      writes.add(r[0]);
      reads.add(r[1]);
    }
    Collections.sort(writes);
    Collections.sort(reads);
    System.out.printf(Locale.ROOT, "%-8s compute %5.0f ns/op  getIfPresent %5.0f ns/op  (%d)%n",
        variant, writes.get(writes.size() / 2), reads.get(reads.size() / 2), sink);
  }
}
