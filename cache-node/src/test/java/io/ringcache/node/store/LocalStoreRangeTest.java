package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.SetMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Range scans for transfers and drops after ownership moves, checked against brute force. */
class LocalStoreRangeTest {

  private final FakeTicker ticker = new FakeTicker();
  private final LocalStore store = LocalStore.create(
      new StoreConfig(64 << 20, Duration.ofSeconds(60)),
      HybridClock.withNodeId(1, () -> 1_750_000_000_000L),
      ticker);
  private final Set<StoreKey> stored = new HashSet<>();

  /**
   * Brute force, written independently of {@code Ranges}: {@code p} is in {@code (s, e]} on the
   * ring iff its clockwise distance from {@code s} is in {@code [1, e - s]}, with a zero-length
   * range meaning the whole ring.
   */
  private static boolean bruteForceContains(long start, long end, long position) {
    long length = end - start;
    long distance = position - start;
    return length == 0 || (distance != 0 && Long.compareUnsigned(distance, length) <= 0);
  }

  private void fill(SplittableRandom random, int count) {
    for (int i = 0; i < count; i++) {
      StoreKey key = StoreKey.of("k" + random.nextLong());
      stored.add(key);
      if (random.nextInt(5) == 0) {
        store.delete(key); // tombstones travel too
      } else {
        store.set(key, new byte[] {(byte) i}, 0, SetMode.ALWAYS);
      }
    }
  }

  static Stream<Arguments> ranges() {
    SplittableRandom random = new SplittableRandom(0xA11CE);
    Stream<Arguments> fixed = Stream.of(
        Arguments.of(0L, 0L),
        Arguments.of(Long.MIN_VALUE, Long.MIN_VALUE),
        Arguments.of(Long.MIN_VALUE, Long.MAX_VALUE),
        Arguments.of(Long.MAX_VALUE, Long.MIN_VALUE),
        Arguments.of(Long.MAX_VALUE, 0L),
        Arguments.of(0L, Long.MIN_VALUE),
        Arguments.of(-1L, 1L),
        Arguments.of(1L, -1L));
    Stream<Arguments> randomRanges =
        Stream.generate(() -> Arguments.of(random.nextLong(), random.nextLong())).limit(40);
    return Stream.concat(fixed, randomRanges);
  }

  @ParameterizedTest
  @MethodSource("ranges")
  void forEachInRange_returnsExactlyTheKeysInRange(long start, long end) {
    fill(new SplittableRandom(start ^ end), 2_000);

    Set<StoreKey> seen = new HashSet<>();
    store.forEachInRange(start, end, (key, entry) -> assertThat(seen.add(key)).isTrue());

    Set<StoreKey> expected = new HashSet<>();
    for (StoreKey key : stored) {
      if (bruteForceContains(start, end, key.position())) {
        expected.add(key);
      }
    }
    assertThat(seen).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("ranges")
  void ranges_agreeWithBruteForceOnEdges(long start, long end) {
    long[] probes = {start, start + 1, end, end + 1, end - 1, Long.MIN_VALUE, Long.MAX_VALUE, 0};
    for (long p : probes) {
      assertThat(Ranges.contains(start, end, p))
          .as("(%d, %d] contains %d", start, end, p)
          .isEqualTo(bruteForceContains(start, end, p));
    }
  }

  @Test
  void forEachInRange_ringSplitIntoTokens_coversEveryKeyExactlyOnce() {
    SplittableRandom random = new SplittableRandom(42);
    fill(random, 3_000);
    long[] tokens = LongStream.generate(random::nextLong).limit(64).sorted().toArray();

    Map<StoreKey, Integer> hits = new HashMap<>();
    for (int i = 0; i < tokens.length; i++) {
      long previous = tokens[(i + tokens.length - 1) % tokens.length];
      store.forEachInRange(previous, tokens[i], (key, entry) -> hits.merge(key, 1, Integer::sum));
    }

    assertThat(hits.keySet()).isEqualTo(stored);
    assertThat(hits.values()).containsOnly(1);
  }

  @Test
  void forEachInRange_skipsExpiredEntries() {
    store.set(StoreKey.of("short"), new byte[] {1}, 100, SetMode.ALWAYS);
    store.set(StoreKey.of("long"), new byte[] {2}, 10_000, SetMode.ALWAYS);
    ticker.advanceMillis(500);

    Set<StoreKey> seen = new HashSet<>();
    store.forEachInRange(0, 0, (key, entry) -> seen.add(key));

    assertThat(seen).containsExactly(StoreKey.of("long"));
  }

  @Test
  void removeIf_dropsExactlyTheKeysNoLongerOwned() {
    SplittableRandom random = new SplittableRandom(7);
    fill(random, 2_000);
    long start = Long.MAX_VALUE - (Long.MAX_VALUE / 3);
    long end = Long.MIN_VALUE + (Long.MAX_VALUE / 3); // wraps

    long removed = store.removeIf(position -> !bruteForceContains(start, end, position));

    Set<StoreKey> left = new HashSet<>();
    store.forEachInRange(0, 0, (key, entry) -> left.add(key));
    Set<StoreKey> owned = new HashSet<>();
    for (StoreKey key : stored) {
      if (bruteForceContains(start, end, key.position())) {
        owned.add(key);
      }
    }
    assertThat(left).isEqualTo(owned);
    assertThat(removed).isEqualTo(stored.size() - owned.size());
    assertThat(store.size()).isEqualTo(owned.size());
    assertThat(removed).isPositive();
  }
}
