package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

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
}
