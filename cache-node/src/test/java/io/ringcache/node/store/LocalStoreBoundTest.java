package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.SetMode;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte bound holds under a write flood far larger than the store. */
class LocalStoreBoundTest {

  private static final long MAX_BYTES = 1 << 20;
  private static final long FLOOD_BYTES = 20L << 20;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void flood_twentyTimesTheBound_staysWithinBoundAndCountsEvictions(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    LocalStore store = LocalStore.create(
        new StoreConfig(MAX_BYTES, Duration.ofSeconds(60)),
        HybridClock.withNodeId(1, () -> 1_750_000_000_000L),
        new FakeTicker());

    long written = 0;
    long weightWritten = 0;
    int i = 0;
    while (written < FLOOD_BYTES) {
      byte[] value = new byte[16 + random.nextInt(8_192)];
      random.nextBytes(value);
      StoreKey key = StoreKey.of("flood-" + seed + "-" + i++);
      if (random.nextInt(10) == 0) {
        store.delete(key);
        weightWritten += LocalStore.weightOf(key.length(), -1);
      } else {
        store.set(key, value, random.nextInt(3) == 0 ? 60_000 : 0, SetMode.ALWAYS);
        weightWritten += LocalStore.weightOf(key.length(), value.length);
      }
      written += value.length;
    }
    // Maintenance runs on the writing thread: a single writer leaves nothing pending.
    assertThat(store.stats().weightedBytes()).isLessThanOrEqualTo(MAX_BYTES);
    store.cleanUp();

    StoreStats stats = store.stats();
    assertThat(stats.weightedBytes()).isPositive().isLessThanOrEqualTo(MAX_BYTES);
    assertThat(stats.evictions()).isPositive();
    // Every byte written is either still weighed or was evicted.
    assertThat(stats.evictedBytes() + stats.weightedBytes()).isEqualTo(weightWritten);

    LongAdder live = new LongAdder();
    store.forEach(position -> true,
        (key, entry) -> live.add(LocalStore.weightOf(key.length(),
            entry.tombstone() ? -1 : entry.value().length)));
    assertThat(live.sum()).isEqualTo(stats.weightedBytes());
  }

  @Test
  void set_entryLargerThanBound_acceptedThenEvictedByTheWriter() {
    LocalStore store = LocalStore.create(
        new StoreConfig(4_096, Duration.ofSeconds(60)),
        HybridClock.withNodeId(1, () -> 1_750_000_000_000L),
        new FakeTicker());
    StoreKey key = StoreKey.of("huge");

    StoreResult result = store.set(key, new byte[8_192], 0, SetMode.ALWAYS);

    // No cleanUp(): eviction already ran on this thread, inside the write.
    assertThat(result.ok()).isTrue();
    assertThat(store.stats().evictions()).isEqualTo(1);
    assertThat(store.stats().evictedBytes())
        .isEqualTo((16 + 16 + 8_192) + 32 + LocalStore.ENTRY_OVERHEAD_BYTES)
        .isEqualTo(LocalStore.weightOf(key.length(), 8_192));
    assertThat(store.get(key).status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(store.stats().weightedBytes()).isZero();
  }
}
