package io.ringcache.node.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.SetMode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What {@link LocalStore#apply} reports (stored, kept a newer entry and which, or already held)
 * and {@link LocalStore#restamp}, the write-too-old push a coordinating owner makes when a
 * replica kept a newer entry.
 */
class LocalStoreRestampTest {

  private static final long T0 = 1_750_000_000_000L;
  private static final StoreKey KEY = StoreKey.of("k");

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicLong wall = new AtomicLong(T0);
  private final HybridClock clock = HybridClock.forNode("coordinator", wall::get);
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60), Duration.ofMillis(500)), clock, ticker);

  private static byte[] bytes(String value) {
    return value.getBytes(US_ASCII);
  }

  /** A version from a peer whose clock runs {@code aheadMillis} ahead of this store's. */
  private static long peerVersion(long aheadMillis) {
    return HybridClock.forNode("peer", () -> T0 + aheadMillis).next();
  }

  @Test
  void apply_sameEntryTwice_isDuplicate_andKeepsIt() {
    ReplicaEntry entry = ReplicaEntry.value(bytes("v"), peerVersion(0), 0);
    assertThat(store.apply(KEY, entry).status()).isEqualTo(StoreStatus.OK);

    StoreResult again = store.apply(KEY, entry);

    assertThat(again.status()).isEqualTo(StoreStatus.DUPLICATE);
    assertThat(again.version()).isEqualTo(entry.version());
    assertThat(store.replicaOf(KEY)).isEqualTo(entry);
  }

  @Test
  void apply_sameTombstoneTwice_isDuplicate() {
    ReplicaEntry tombstone = ReplicaEntry.tombstone(peerVersion(0), 0);
    store.apply(KEY, tombstone);

    assertThat(store.apply(KEY, tombstone).status()).isEqualTo(StoreStatus.DUPLICATE);
  }

  @Test
  void apply_equalVersionThatLosesTheTieBreak_isStaleWithHeldVersion() {
    long version = peerVersion(0);
    store.apply(KEY, ReplicaEntry.value(bytes("b"), version, 0));

    StoreResult res = store.apply(KEY, ReplicaEntry.value(bytes("a"), version, 0));

    assertThat(res.status()).isEqualTo(StoreStatus.STALE);
    assertThat(res.version()).isEqualTo(version);
  }

  @Test
  void apply_olderOverNewer_isStaleWithHeldVersion() {
    long written = store.set(KEY, bytes("mine"), 0, SetMode.ALWAYS).version();
    long newer = peerVersion(300);
    store.apply(KEY, ReplicaEntry.value(bytes("theirs"), newer, 0));

    StoreResult res = store.apply(KEY, ReplicaEntry.value(bytes("mine"), written, 0));

    assertThat(res.status()).isEqualTo(StoreStatus.STALE);
    assertThat(res.version()).isEqualTo(newer);
  }

  @Test
  void restamp_valueAboveHeldVersion_sameValueHigherVersion() {
    StoreResult written = store.set(KEY, bytes("mine"), 0, SetMode.ALWAYS);
    long held = peerVersion(300);
    assertThat(held).isGreaterThan(written.version());

    StoreResult res = store.restamp(KEY, written.replica(), held);

    assertThat(res.status()).isEqualTo(StoreStatus.OK);
    assertThat(res.version()).isGreaterThan(held);
    assertThat(res.value()).isEqualTo(bytes("mine"));
    assertThat(res.replica()).isEqualTo(ReplicaEntry.value(bytes("mine"), res.version(), 0));
    assertThat(store.get(KEY).version()).isEqualTo(res.version());
    assertThat(store.get(KEY).value()).isEqualTo(bytes("mine"));
  }

  @Test
  void restamp_afterTheHeldEntryArrivedHere_writesOwnValueAboveIt() {
    StoreResult written = store.set(KEY, bytes("mine"), 0, SetMode.ALWAYS);
    long held = peerVersion(300);
    store.apply(KEY, ReplicaEntry.value(bytes("theirs"), held, 0));

    StoreResult res = store.restamp(KEY, written.replica(), held);

    assertThat(res.ok()).isTrue();
    assertThat(store.get(KEY).value()).isEqualTo(bytes("mine"));
    assertThat(store.get(KEY).version()).isGreaterThan(held);
  }

  @Test
  void restamp_afterALaterWriteOfThisNode_writesNothing_isStaleWithThatVersion() {
    StoreResult first = store.increment(KEY, 5, 0);
    StoreResult later = store.increment(KEY, 1, 0);

    StoreResult res = store.restamp(KEY, first.replica(), peerVersion(300));

    assertThat(res.status()).isEqualTo(StoreStatus.STALE);
    assertThat(res.version()).isEqualTo(later.version());
    assertThat(res.replica()).isNull();
    assertThat(store.get(KEY).value()).as("the later increment, built on the first")
        .isEqualTo(bytes("6"));
  }

  @Test
  void restamp_tombstone_staysATombstone() {
    store.set(KEY, bytes("v"), 0, SetMode.ALWAYS);
    StoreResult deleted = store.delete(KEY);
    long held = peerVersion(300);

    StoreResult res = store.restamp(KEY, deleted.replica(), held);

    assertThat(res.ok()).isTrue();
    assertThat(res.replica().tombstone()).isTrue();
    assertThat(res.replica().version()).isEqualTo(res.version()).isGreaterThan(held);
    assertThat(store.get(KEY).status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(store.apply(KEY, ReplicaEntry.value(bytes("late"), held, 0)).status())
        .isEqualTo(StoreStatus.STALE);
  }

  @Test
  void restamp_keepsTheRemainingTtl() {
    StoreResult written = store.set(KEY, bytes("v"), 1_000, SetMode.ALWAYS);
    ticker.advanceMillis(400);

    StoreResult res = store.restamp(KEY, written.replica(), peerVersion(300));

    assertThat(res.replica().ttlMillis()).isEqualTo(600);
    ticker.advanceMillis(601);
    assertThat(store.get(KEY).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void restamp_heldVersionBeyondMaxOffset_refused_clockAndStoreUnchanged() {
    StoreResult written = store.set(KEY, bytes("v"), 0, SetMode.ALWAYS);

    StoreResult res = store.restamp(KEY, written.replica(), peerVersion(60_000));

    assertThat(res.status()).isEqualTo(StoreStatus.CLOCK_OFFSET);
    assertThat(res.replica()).isNull();
    assertThat(res.error()).contains("max-clock-offset");
    assertThat(store.get(KEY).version()).isEqualTo(written.version());
    assertThat(HybridClock.physicalMillis(clock.next())).isLessThan(T0 + 1_000);
  }
}
