package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.SetMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Range digests stay equal to a digest recomputed from what the store holds, whatever mix of
 * writes, deletes, merges, expiry, eviction and drops came before, and equal on two stores that
 * received the same entries in different orders.
 */
class LocalStoreDigestTest {

  private static final long T0 = 1_750_000_000_000L;

  private static LocalStore store(long maxBytes, FakeTicker ticker, String node) {
    return LocalStore.create(new StoreConfig(maxBytes, Duration.ofSeconds(60)),
        HybridClock.forNode(node, () -> T0), ticker);
  }

  /** The digest of {@code first..last} recomputed from every entry the store returns. */
  private static RangeDigest recomputed(LocalStore store, long first, long last) {
    long[] acc = new long[2];
    store.forEach(p -> p >= first && p <= last, (key, e) -> {
      acc[0] += DigestSlices.entryHash(key.position(), e.version(), e.tombstone());
      acc[1]++;
    });
    return new RangeDigest(acc[0], acc[1]);
  }

  private static RangeDigest digestIndexing(LocalStore store, long first, long last) {
    store.indexSlices(store.unindexedSlices(first, last, false));
    RangeDigest d = store.digest(first, last);
    assertThat(d).as("digest after indexing").isNotNull();
    return d;
  }

  @RepeatedTest(20)
  void randomOperations_digestEqualsRecomputedForAnyRange(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(0xD16E57L + info.getCurrentRepetition());
    FakeTicker ticker = new FakeTicker();
    // Small enough that some repetitions evict: eviction must leave the digest exact too.
    LocalStore store = store(random.nextBoolean() ? 64 << 20 : 120_000, ticker, "a");
    HybridClock other = HybridClock.forNode("b", () -> T0 + 5);
    // Index a few slices up front so that writes also go through the index path.
    store.indexSlices(new int[] {0, 1, DigestSlices.COUNT / 2, DigestSlices.COUNT - 1});
    for (int i = 0; i < 4_000; i++) {
      StoreKey key = StoreKey.of("k-" + random.nextInt(600));
      switch (random.nextInt(10)) {
        case 0, 1, 2 -> store.set(key, bytes(random), random.nextInt(3) == 0 ? 50 : 0,
            SetMode.ALWAYS);
        case 3 -> store.delete(key);
        case 4 -> store.apply(key, random.nextInt(3) == 0
            ? ReplicaEntry.tombstone(other.next(), 30)
            : ReplicaEntry.value(bytes(random), other.next(), random.nextInt(3) == 0 ? 40 : 0));
        case 5 -> store.increment(key, 1, 0);
        case 6 -> store.compareAndSet(key, 0, bytes(random), 0);
        case 7 -> store.deleteIf(key, 0);
        case 8 -> store.get(key);
        default -> ticker.advanceMillis(random.nextInt(20));
      }
      if (i % 997 == 0) {
        store.sweep(100);
      }
      if (i % 1_499 == 0) {
        long cut = random.nextLong();
        store.removeIf(p -> p > cut);
      }
    }
    store.removeBelow(k -> k.length() == 5, T0 << 22, (k, v) -> { });
    store.cleanUp();

    assertThat(store.digest(Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(recomputed(store, Long.MIN_VALUE, Long.MAX_VALUE));
    for (int r = 0; r < 50; r++) {
      long a = random.nextLong();
      long b = random.nextInt(4) == 0 ? a + random.nextInt(1 << 20) : random.nextLong();
      long first = Math.min(a, b);
      long last = Math.max(a, b);
      assertThat(digestIndexing(store, first, last)).as("range %d..%d", first, last)
          .isEqualTo(recomputed(store, first, last));
    }
  }

  @RepeatedTest(10)
  void sameEntriesInAnyOrder_sameDigests(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(0x0DE2L + info.getCurrentRepetition());
    HybridClock writer = HybridClock.forNode("writer", () -> T0 - 1_000);
    List<Map.Entry<StoreKey, ReplicaEntry>> deliveries = new ArrayList<>();
    for (int k = 0; k < 300; k++) {
      StoreKey key = StoreKey.of("key-" + k);
      for (int w = 1 + random.nextInt(4); w > 0; w--) {
        long version = writer.next();
        deliveries.add(Map.entry(key, random.nextInt(4) == 0 ? ReplicaEntry.tombstone(version, 0)
            : ReplicaEntry.value(bytes(random), version, 0)));
      }
    }
    LocalStore one = store(64 << 20, new FakeTicker(), "one");
    LocalStore two = store(64 << 20, new FakeTicker(), "two");
    deliveries.forEach(d -> one.apply(d.getKey(), d.getValue()));
    Collections.shuffle(deliveries, new Random(random.nextLong()));
    deliveries.forEach(d -> two.apply(d.getKey(), d.getValue()));

    for (int s = 0; s < DigestSlices.COUNT; s += 997) {
      long first = DigestSlices.first(s);
      long last = DigestSlices.last(s + 300 < DigestSlices.COUNT ? s + 300 : s);
      assertThat(two.digest(first, last)).isEqualTo(one.digest(first, last));
    }
    assertThat(two.digest(Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(one.digest(Long.MIN_VALUE, Long.MAX_VALUE));
    assertThat(one.digest(Long.MIN_VALUE, Long.MAX_VALUE).count()).isEqualTo(300);
  }

  @Test
  void oneEntryMissingOrOlder_digestsDiffer() {
    LocalStore one = store(64 << 20, new FakeTicker(), "one");
    LocalStore two = store(64 << 20, new FakeTicker(), "two");
    HybridClock writer = HybridClock.forNode("writer", () -> T0 - 1_000);
    StoreKey key = StoreKey.of("only-here");
    ReplicaEntry v1 = ReplicaEntry.value(new byte[] {1}, writer.next(), 0);
    ReplicaEntry v2 = ReplicaEntry.value(new byte[] {2}, writer.next(), 0);
    long all = Long.MIN_VALUE;

    one.apply(key, v1);
    assertThat(one.digest(all, Long.MAX_VALUE)).isNotEqualTo(two.digest(all, Long.MAX_VALUE));
    two.apply(key, v1);
    assertThat(one.digest(all, Long.MAX_VALUE)).isEqualTo(two.digest(all, Long.MAX_VALUE));
    one.apply(key, v2);
    assertThat(one.digest(all, Long.MAX_VALUE)).isNotEqualTo(two.digest(all, Long.MAX_VALUE));
    two.apply(key, ReplicaEntry.tombstone(v2.version(), 0));
    assertThat(one.digest(all, Long.MAX_VALUE)).as("a tombstone is not the value it replaces")
        .isNotEqualTo(two.digest(all, Long.MAX_VALUE));
  }

  @Test
  void expiryAndTombstoneExpiry_leaveTheDigestWhenRemoved() {
    FakeTicker ticker = new FakeTicker();
    LocalStore store = store(64 << 20, ticker, "a");
    store.set(StoreKey.of("ttl"), new byte[] {1}, 100, SetMode.ALWAYS);
    store.delete(StoreKey.of("gone"));
    store.set(StoreKey.of("kept"), new byte[] {1}, 0, SetMode.ALWAYS);
    assertThat(store.digest(Long.MIN_VALUE, Long.MAX_VALUE).count()).isEqualTo(3);

    ticker.advance(Duration.ofSeconds(61));
    assertThat(store.digest(Long.MIN_VALUE, Long.MAX_VALUE).count())
        .as("expired entries count until removed").isEqualTo(3);
    store.cleanUp();
    assertThat(store.digest(Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(recomputed(store, Long.MIN_VALUE, Long.MAX_VALUE))
        .extracting(RangeDigest::count).isEqualTo(1L);
  }

  @Test
  void versionsIn_indexedSlice_listsExactlyItsLiveEntriesIncludingLaterWrites() {
    FakeTicker ticker = new FakeTicker();
    LocalStore store = store(64 << 20, ticker, "a");
    Map<StoreKey, Long> all = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      StoreKey key = StoreKey.of("v-" + i);
      all.put(key, store.set(key, new byte[] {1}, 0, SetMode.ALWAYS).version());
    }
    StoreKey probe = StoreKey.of("v-7");
    int slice = DigestSlices.of(probe.position());
    long first = DigestSlices.first(slice);
    long last = DigestSlices.last(slice);
    assertThat(store.versionsIn(first, last, (k, p, v, t) -> { })).as("not indexed").isFalse();
    assertThat(store.indexSlices(new int[] {slice})).isEqualTo(1);

    StoreKey late = null;
    for (int i = 0; late == null; i++) {
      StoreKey k = StoreKey.of("late-" + i);
      if (DigestSlices.of(k.position()) == slice) {
        late = k;
      }
    }
    all.put(late, store.set(late, new byte[] {2}, 0, SetMode.ALWAYS).version());
    all.put(probe, store.delete(probe).version());

    Map<StoreKey, Long> listed = new HashMap<>();
    assertThat(store.versionsIn(first, last, (k, p, v, t) -> {
      assertThat(p).isBetween(first, last);
      listed.put(k, v);
    })).isTrue();
    Map<StoreKey, Long> expected = new HashMap<>();
    all.forEach((k, v) -> {
      if (DigestSlices.of(k.position()) == slice) {
        expected.put(k, v);
      }
    });
    assertThat(listed).isEqualTo(expected).containsKey(late).containsKey(probe);

    ticker.advance(Duration.ofMinutes(10));
    assertThat(store.forgetIdleIndexes(Duration.ofMinutes(5).toNanos())).isEqualTo(1);
    assertThat(store.indexedSlices()).isZero();
  }

  @Test
  void slicesAndEntryHash_goldenValues() {
    assertThat(DigestSlices.of(Long.MIN_VALUE)).isZero();
    assertThat(DigestSlices.of(Long.MAX_VALUE)).isEqualTo(DigestSlices.COUNT - 1);
    assertThat(DigestSlices.of(0)).isEqualTo(DigestSlices.COUNT / 2);
    assertThat(DigestSlices.last(7) + 1).isEqualTo(DigestSlices.first(8));
    assertThat(DigestSlices.of(DigestSlices.last(7))).isEqualTo(7);
    // Pinned: nodes of different releases must compute the same digests.
    assertThat(DigestSlices.entryHash(0, 1, false)).isEqualTo(GOLDEN_0_1_VALUE);
    assertThat(DigestSlices.entryHash(0, 1, true)).isEqualTo(GOLDEN_0_1_TOMBSTONE);
    assertThat(DigestSlices.entryHash(-42, 1L << 40, false)).isEqualTo(GOLDEN_M42_2P40);
  }

  private static final long GOLDEN_0_1_VALUE = 4866693179956613761L;
  private static final long GOLDEN_0_1_TOMBSTONE = 7035541609182473407L;
  private static final long GOLDEN_M42_2P40 = 429532231736775763L;

  private static byte[] bytes(SplittableRandom random) {
    byte[] b = new byte[1 + random.nextInt(40)];
    random.nextBytes(b);
    return b;
  }
}
