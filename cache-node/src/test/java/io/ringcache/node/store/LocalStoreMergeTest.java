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

/** Last-writer-wins by version: whatever the arrival order, replicas end in the same state. */
class LocalStoreMergeTest {

  private static final long T0 = 1_750_000_000_000L;

  private static LocalStore newStore() {
    return LocalStore.create(
        new StoreConfig(64 << 20, Duration.ofSeconds(60)),
        HybridClock.forNode("replica", () -> T0),
        new FakeTicker());
  }

  @RepeatedTest(30)
  void apply_anyArrivalOrder_endsWithHighestVersion(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(0x5EED_0000L + info.getCurrentRepetition());
    HybridClock writer = HybridClock.forNode("writer", () -> T0 - 1_000);
    Map<StoreKey, List<ReplicaEntry>> history = new HashMap<>();
    List<Map.Entry<StoreKey, ReplicaEntry>> deliveries = new ArrayList<>();
    for (int k = 0; k < 50; k++) {
      StoreKey key = StoreKey.of("key-" + k);
      int writes = 1 + random.nextInt(8);
      for (int w = 0; w < writes; w++) {
        long version = writer.next();
        ReplicaEntry entry = random.nextInt(4) == 0
            ? ReplicaEntry.tombstone(version, 0)
            : ReplicaEntry.value(randomBytes(random), version, 0);
        history.computeIfAbsent(key, x -> new ArrayList<>()).add(entry);
        deliveries.add(Map.entry(key, entry));
        if (random.nextInt(5) == 0) {
          deliveries.add(Map.entry(key, entry)); // duplicate delivery (a retried replication)
        }
      }
    }
    Collections.shuffle(deliveries, new Random(random.nextLong()));
    LocalStore store = newStore();

    for (Map.Entry<StoreKey, ReplicaEntry> delivery : deliveries) {
      store.apply(delivery.getKey(), delivery.getValue());
    }

    Map<StoreKey, ReplicaEntry> stored = new HashMap<>();
    store.forEach(position -> true, stored::put);
    for (Map.Entry<StoreKey, List<ReplicaEntry>> e : history.entrySet()) {
      ReplicaEntry newest = e.getValue().get(e.getValue().size() - 1);
      ReplicaEntry actual = stored.get(e.getKey());
      assertThat(actual.version()).isEqualTo(newest.version());
      assertThat(actual.tombstone()).isEqualTo(newest.tombstone());
      StoreResult read = store.get(e.getKey());
      if (newest.tombstone()) {
        assertThat(read.status()).isEqualTo(StoreStatus.NOT_FOUND);
      } else {
        assertThat(read.version()).isEqualTo(newest.version());
        assertThat(read.value()).isEqualTo(newest.value());
      }
    }
    assertThat(stored).hasSameSizeAs(history);
  }

  @RepeatedTest(10)
  void apply_equalVersions_convergeWhateverTheOrder(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(0x7E_0000L + info.getCurrentRepetition());
    long version = HybridClock.withNodeId(9, () -> T0).next();
    List<ReplicaEntry> rivals = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rivals.add(ReplicaEntry.value(randomBytes(random), version, 0));
    }
    boolean withTombstone = random.nextBoolean();
    if (withTombstone) {
      rivals.add(ReplicaEntry.tombstone(version, 0));
    }
    StoreKey key = StoreKey.of("contended");

    List<ReplicaEntry> finals = new ArrayList<>();
    for (int order = 0; order < 6; order++) {
      Collections.shuffle(rivals, new Random(random.nextLong()));
      LocalStore store = newStore();
      for (ReplicaEntry rival : rivals) {
        store.apply(key, rival);
      }
      store.forEach(position -> true, (k, entry) -> finals.add(entry));
    }

    assertThat(finals).hasSize(6);
    assertThat(finals).allSatisfy(entry -> assertThat(entry).isEqualTo(finals.get(0)));
    assertThat(finals.get(0).tombstone()).isEqualTo(withTombstone);
  }

  @Test
  void apply_olderValueOverNewerValue_isStale() {
    LocalStore store = newStore();
    StoreKey key = StoreKey.of("k");
    HybridClock writer = HybridClock.forNode("writer", () -> T0);
    long older = writer.next();
    long newer = writer.next();

    assertThat(store.apply(key, ReplicaEntry.value(new byte[] {2}, newer, 0)).ok()).isTrue();
    StoreResult result = store.apply(key, ReplicaEntry.value(new byte[] {1}, older, 0));

    assertThat(result.status()).isEqualTo(StoreStatus.STALE);
    assertThat(result.version()).isEqualTo(newer);
    assertThat(store.get(key).value()).containsExactly(2);
  }

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] bytes = new byte[1 + random.nextInt(16)];
    random.nextBytes(bytes);
    return bytes;
  }

  @Test
  void apply_versionFarInTheFuture_refusedWithClockOffset_clockAndStoreUnchanged() {
    LocalStore store = newStore();
    StoreKey key = StoreKey.of("k");
    long future = HybridClock.forNode("skewed", () -> T0 + 10_000).next();

    StoreResult value = store.apply(key, ReplicaEntry.value(new byte[] {1}, future, 0));
    StoreResult tombstone = store.apply(key, ReplicaEntry.tombstone(Long.MAX_VALUE, 0));

    assertThat(value.status()).isEqualTo(StoreStatus.CLOCK_OFFSET);
    assertThat(value.error()).contains("10000 ms ahead", "limit is 500 ms");
    assertThat(tombstone.status()).isEqualTo(StoreStatus.CLOCK_OFFSET);
    assertThat(store.replicaOf(key)).isNull();
    StoreResult written = store.set(key, new byte[] {2}, 0, SetMode.ALWAYS);
    assertThat(written.status()).isEqualTo(StoreStatus.OK);
    assertThat(HybridClock.physicalMillis(written.version())).isEqualTo(T0);
  }

  @Test
  void apply_versionWithinMaxClockOffset_isStored() {
    LocalStore store = newStore();
    long ahead = HybridClock.forNode("skewed", () -> T0 + 400).next();

    assertThat(store.apply(StoreKey.of("k"), ReplicaEntry.value(new byte[] {1}, ahead, 0))
        .status()).isEqualTo(StoreStatus.OK);
  }

  @Test
  void writes_clockExhausted_answerClockOffsetAndWriteNothing() {
    HybridClock clock = HybridClock.forNode("replica", () -> T0);
    LocalStore store = LocalStore.create(new StoreConfig(64 << 20, Duration.ofSeconds(60)),
        clock, new FakeTicker());
    StoreKey key = StoreKey.of("k");
    store.set(key, new byte[] {'1'}, 0, SetMode.ALWAYS);
    clock.observe(Long.MAX_VALUE);

    assertThat(store.set(key, new byte[] {2}, 0, SetMode.ALWAYS).status())
        .isEqualTo(StoreStatus.CLOCK_OFFSET);
    assertThat(store.delete(key).status()).isEqualTo(StoreStatus.CLOCK_OFFSET);
    assertThat(store.increment(key, 1, 0).status()).isEqualTo(StoreStatus.CLOCK_OFFSET);
    assertThat(store.get(key).value()).containsExactly('1');
  }
}
