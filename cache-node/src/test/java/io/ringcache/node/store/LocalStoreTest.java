package io.ringcache.node.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.protocol.SetMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalStoreTest {

  private static final long T0 = 1_750_000_000_000L;

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicLong wall = new AtomicLong(T0);
  private final HybridClock clock = HybridClock.forNode("test-node", wall::get);
  private final LocalStore store =
      LocalStore.create(
          new StoreConfig(8 << 20, Duration.ofSeconds(60)), clock, ticker);

  private static StoreKey key(String name) {
    return StoreKey.of(name);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(US_ASCII);
  }

  @Test
  void get_absent_notFound() {
    StoreResult result = store.get(key("nope"));

    assertThat(result.status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(result.value()).isNull();
  }

  @Test
  void set_thenGet_returnsValueAndVersion() {
    StoreResult written = store.set(key("a"), bytes("1"), LocalStore.NO_TTL, SetMode.ALWAYS);
    StoreResult read = store.get(key("a"));

    assertThat(written.ok()).isTrue();
    assertThat(written.replica()).isEqualTo(ReplicaEntry.value(bytes("1"), written.version(), 0));
    assertThat(read.ok()).isTrue();
    assertThat(read.value()).isEqualTo(bytes("1"));
    assertThat(read.version()).isEqualTo(written.version());
  }

  @Test
  void set_overwrite_versionGrows() {
    long first = store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS).version();
    long second = store.set(key("a"), bytes("2"), 0, SetMode.ALWAYS).version();

    assertThat(second).isGreaterThan(first);
    assertThat(store.get(key("a")).value()).isEqualTo(bytes("2"));
  }

  @Test
  void setIfAbsent_existing_reportsExistsWithCurrentVersionAndKeepsValue() {
    long version = store.set(key("a"), bytes("old"), 0, SetMode.ALWAYS).version();

    StoreResult result = store.set(key("a"), bytes("new"), 0, SetMode.IF_ABSENT);

    assertThat(result.status()).isEqualTo(StoreStatus.EXISTS);
    assertThat(result.version()).isEqualTo(version);
    assertThat(result.replica()).isNull();
    assertThat(store.get(key("a")).value()).isEqualTo(bytes("old"));
  }

  @Test
  void setIfAbsent_absentOrTombstone_writes() {
    assertThat(store.set(key("a"), bytes("1"), 0, SetMode.IF_ABSENT).ok()).isTrue();
    store.delete(key("a"));

    StoreResult overTombstone = store.set(key("a"), bytes("2"), 0, SetMode.IF_ABSENT);

    assertThat(overTombstone.ok()).isTrue();
    assertThat(store.get(key("a")).value()).isEqualTo(bytes("2"));
  }

  @Test
  void setIfPresent_absent_notFoundAndNothingStored() {
    StoreResult result = store.set(key("a"), bytes("1"), 0, SetMode.IF_PRESENT);

    assertThat(result.status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(result.replica()).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void setIfPresent_existing_replaces() {
    store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS);

    assertThat(store.set(key("a"), bytes("2"), 0, SetMode.IF_PRESENT).ok()).isTrue();
    assertThat(store.get(key("a")).value()).isEqualTo(bytes("2"));
  }

  @Test
  void compareAndSet_matchingVersion_writesNewVersion() {
    long version = store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS).version();

    StoreResult result = store.compareAndSet(key("a"), version, bytes("2"), 0);

    assertThat(result.ok()).isTrue();
    assertThat(result.version()).isGreaterThan(version);
    assertThat(store.get(key("a")).value()).isEqualTo(bytes("2"));
  }

  @Test
  void compareAndSet_otherVersion_reportsCurrentVersionAndKeepsValue() {
    long stale = store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS).version();
    long current = store.set(key("a"), bytes("2"), 0, SetMode.ALWAYS).version();

    StoreResult result = store.compareAndSet(key("a"), stale, bytes("3"), 0);

    assertThat(result.status()).isEqualTo(StoreStatus.VERSION_MISMATCH);
    assertThat(result.version()).isEqualTo(current);
    assertThat(store.get(key("a")).value()).isEqualTo(bytes("2"));
  }

  @Test
  void compareAndSet_absentOrDeleted_notFound() {
    assertThat(store.compareAndSet(key("a"), 1, bytes("x"), 0).status())
        .isEqualTo(StoreStatus.NOT_FOUND);
    long version = store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS).version();
    long tombstone = store.delete(key("a")).version();

    assertThat(store.compareAndSet(key("a"), version, bytes("x"), 0).status())
        .isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(store.compareAndSet(key("a"), tombstone, bytes("x"), 0).status())
        .isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void delete_live_removesAndReturnsTombstoneToReplicate() {
    long version = store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS).version();

    StoreResult result = store.delete(key("a"));

    assertThat(result.ok()).isTrue();
    assertThat(result.version()).isGreaterThan(version);
    assertThat(result.replica()).isEqualTo(ReplicaEntry.tombstone(result.version(), 60_000));
    assertThat(store.get(key("a")).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void delete_absent_notFoundButStillLeavesTombstone() {
    StoreResult result = store.delete(key("a"));

    assertThat(result.status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(result.replica()).isNotNull();
    // A write older than the delete, still in flight, must not bring the key back.
    long older = result.version() - (1 << 12);
    assertThat(store.apply(key("a"), ReplicaEntry.value(bytes("late"), older, 0)).status())
        .isEqualTo(StoreStatus.STALE);
    assertThat(store.get(key("a")).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void increment_absent_startsAtZeroWithTtl() {
    StoreResult result = store.increment(key("n"), 5, 1_000);

    assertThat(result.ok()).isTrue();
    assertThat(result.value()).isEqualTo(bytes("5"));
    assertThat(result.replica().ttlMillis()).isEqualTo(1_000);
    ticker.advanceMillis(1_001);
    assertThat(store.get(key("n")).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void increment_existing_addsAndKeepsRemainingTtl() {
    store.set(key("n"), bytes("40"), 10_000, SetMode.ALWAYS);
    ticker.advanceMillis(4_000);

    StoreResult up = store.increment(key("n"), 2, 999_999);
    StoreResult down = store.increment(key("n"), -50, 0);

    assertThat(up.value()).isEqualTo(bytes("42"));
    assertThat(up.replica().ttlMillis()).isEqualTo(6_000);
    assertThat(down.value()).isEqualTo(bytes("-8"));
    assertThat(down.version()).isGreaterThan(up.version());
    ticker.advanceMillis(6_001);
    assertThat(store.get(key("n")).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void increment_nonInteger_reportsNotANumberNamingTheValue() {
    long version = store.set(key("n"), bytes("12ab"), 0, SetMode.ALWAYS).version();

    StoreResult result = store.increment(key("n"), 1, 0);

    assertThat(result.status()).isEqualTo(StoreStatus.NOT_A_NUMBER);
    assertThat(result.version()).isEqualTo(version);
    assertThat(result.replica()).isNull();
    assertThat(result.error()).contains("\"12ab\"").contains(Long.toString(Long.MAX_VALUE));
    assertThat(store.get(key("n")).value()).isEqualTo(bytes("12ab"));
  }

  @Test
  void increment_rejectsEveryNonDecimalForm() {
    for (String bad : List.of("", "-", "+1", " 1", "1 ", "1.0", "0x10", "99999999999999999999")) {
      store.set(key("n"), bytes(bad), 0, SetMode.ALWAYS);
      assertThat(store.increment(key("n"), 1, 0).status()).as(bad)
          .isEqualTo(StoreStatus.NOT_A_NUMBER);
    }
  }

  @Test
  void increment_overflow_reportsOverflowAndKeepsValue() {
    store.set(key("n"), bytes(Long.toString(Long.MAX_VALUE - 1)), 0, SetMode.ALWAYS);

    StoreResult result = store.increment(key("n"), 2, 0);
    StoreResult underflow = store.increment(key("m"), Long.MIN_VALUE, 0);

    assertThat(result.status()).isEqualTo(StoreStatus.OVERFLOW);
    assertThat(result.error()).contains(Long.toString(Long.MAX_VALUE - 1))
        .contains(Long.toString(Long.MAX_VALUE));
    assertThat(store.get(key("n")).value()).isEqualTo(bytes(Long.toString(Long.MAX_VALUE - 1)));
    assertThat(underflow.value()).isEqualTo(bytes(Long.toString(Long.MIN_VALUE)));
    assertThat(store.increment(key("m"), -1, 0).status()).isEqualTo(StoreStatus.OVERFLOW);
  }

  @Test
  void increment_twoThreads_noLostUpdates() throws InterruptedException {
    int perThread = 10_000;
    Runnable work = () -> {
      for (int i = 0; i < perThread; i++) {
        store.increment(key("counter"), 1, 0);
      }
    };
    Thread a = new Thread(work);
    Thread b = new Thread(work);
    a.start();
    b.start();
    a.join();
    b.join();

    assertThat(store.get(key("counter")).value()).isEqualTo(bytes(Integer.toString(2 * perThread)));
  }

  @Test
  void ttl_expiresOnTheTickerWithoutSleeping() {
    store.set(key("a"), bytes("1"), 1_000, SetMode.ALWAYS);
    store.set(key("b"), bytes("2"), LocalStore.NO_TTL, SetMode.ALWAYS);

    ticker.advanceMillis(999);
    assertThat(store.get(key("a")).ok()).isTrue();
    ticker.advanceMillis(2);
    store.cleanUp();

    assertThat(store.get(key("a")).status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(store.get(key("b")).ok()).isTrue();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.stats().expirations()).isEqualTo(1);
  }

  @Test
  void ttl_expiredEntryMetByARead_isRemovedWithoutASweep() {
    store.set(key("a"), bytes("1"), 1_000, SetMode.ALWAYS);
    ticker.advanceMillis(1_000);

    assertThat(store.read(key("a"))).isNull();
    assertThat(store.size()).isZero();
    assertThat(store.stats().expirations()).isEqualTo(1);
    assertThat(store.stats().weightedBytes()).isZero();
  }

  @Test
  void ttl_expiredEntryMetByAWrite_isReplacedAndCounted() {
    store.set(key("a"), bytes("1"), 1_000, SetMode.ALWAYS);
    ticker.advanceMillis(1_001);

    assertThat(store.increment(key("a"), 5, 0).ok()).isTrue();

    assertThat(store.get(key("a")).value()).isEqualTo(bytes("5"));
    assertThat(store.get(key("a")).ttlMillis()).isEqualTo(ReplicaEntry.NO_TTL);
    assertThat(store.stats().expirations()).isEqualTo(1);
  }

  @Test
  void sweep_partial_walksOnFromWhereItStoppedAndRemovesOnlyExpiredEntries() {
    for (int i = 0; i < 100; i++) {
      store.set(key("ttl-" + i), bytes("v"), 500, SetMode.ALWAYS);
      store.set(key("keep-" + i), bytes("v"), LocalStore.NO_TTL, SetMode.ALWAYS);
    }
    ticker.advanceMillis(500);

    long first = store.sweep(50);
    assertThat(first).isBetween(1L, 49L);
    assertThat(store.size()).isEqualTo(200 - first);

    long total = first;
    for (int call = 0; call < 3; call++) {
      total += store.sweep(50);
    }
    // Four slices of 50 cover the 200 entries once: every expired entry was met exactly once.
    assertThat(total).isEqualTo(100);
    assertThat(store.size()).isEqualTo(100);
    assertThat(store.stats().expirations()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(store.get(key("keep-" + i)).ok()).isTrue();
    }
  }

  @Test
  void forEachKey_givesLiveValuesAndTombstonesWithTheirPositions_notExpiredEntries() {
    store.set(key("value"), bytes("1"), LocalStore.NO_TTL, SetMode.ALWAYS);
    store.set(key("gone"), bytes("2"), 100, SetMode.ALWAYS);
    store.set(key("deleted"), bytes("3"), LocalStore.NO_TTL, SetMode.ALWAYS);
    store.delete(key("deleted"));
    ticker.advanceMillis(100);

    java.util.Map<String, Long> seen = new java.util.TreeMap<>();
    store.forEachKey((k, position) -> seen.put(new String(k.bytes(), US_ASCII), position));

    assertThat(seen).containsOnlyKeys("deleted", "value");
    assertThat(seen.get("value")).isEqualTo(key("value").position());
    assertThat(seen.get("deleted")).isEqualTo(key("deleted").position());
  }

  @Test
  void sweep_nonPositiveBudget_isRefusedNamingIt() {
    assertThatThrownBy(() -> store.sweep(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries must be > 0 but was 0");
  }

  @Test
  void ttl_setAgain_replacesTtl() {
    store.set(key("a"), bytes("1"), 1_000, SetMode.ALWAYS);
    store.set(key("a"), bytes("2"), LocalStore.NO_TTL, SetMode.ALWAYS);

    ticker.advance(Duration.ofDays(400));

    assertThat(store.get(key("a")).value()).isEqualTo(bytes("2"));
  }

  @Test
  void ttl_expiredKey_behavesAsAbsentForConditionalWrites() {
    store.set(key("a"), bytes("1"), 100, SetMode.ALWAYS);
    ticker.advanceMillis(101);

    assertThat(store.set(key("a"), bytes("2"), 0, SetMode.IF_PRESENT).status())
        .isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(store.set(key("a"), bytes("3"), 0, SetMode.IF_ABSENT).ok()).isTrue();
  }

  @Test
  void tombstone_blocksOlderApplyThenExpires() {
    long valueVersion = store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS).version();
    store.delete(key("a"));

    StoreResult late = store.apply(key("a"), ReplicaEntry.value(bytes("1"), valueVersion, 0));
    assertThat(late.status()).isEqualTo(StoreStatus.STALE);
    assertThat(store.get(key("a")).status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(store.size()).isEqualTo(1);

    ticker.advance(Duration.ofSeconds(60).plusMillis(1));
    store.cleanUp();

    assertThat(store.size()).isZero();
    assertThat(store.stats().expirations()).isEqualTo(1);
  }

  @Test
  void apply_expiredIncoming_storesNothing() {
    StoreResult result = store.apply(key("a"), ReplicaEntry.value(bytes("1"), clock.next(), 5)
        .aged(5));

    assertThat(result.status()).isEqualTo(StoreStatus.EXPIRED);
    assertThat(store.size()).isZero();
  }

  @Test
  void apply_newerExpiredIncoming_removesOlderValue() {
    store.set(key("a"), bytes("old"), 0, SetMode.ALWAYS);

    StoreResult result = store.apply(key("a"),
        new ReplicaEntry(bytes("new"), clock.next(), ReplicaEntry.EXPIRED, false));

    assertThat(result.status()).isEqualTo(StoreStatus.EXPIRED);
    assertThat(store.get(key("a")).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void apply_remoteVersionAhead_nextLocalWriteOrdersAfterIt() {
    // Ahead, but within the default 500 ms max-clock-offset (further ahead is refused).
    HybridClock remote = HybridClock.forNode("remote", () -> T0 + 400);
    long remoteVersion = remote.next();
    store.apply(key("a"), ReplicaEntry.value(bytes("remote"), remoteVersion, 0));

    StoreResult local = store.set(key("b"), bytes("local"), 0, SetMode.ALWAYS);

    assertThat(local.version()).isGreaterThan(remoteVersion);
  }

  @Test
  void apply_tombstoneTtl_clampedToLocalTombstoneTtl() {
    store.apply(key("a"), ReplicaEntry.tombstone(clock.next(), Duration.ofHours(1).toMillis()));
    store.apply(key("b"), ReplicaEntry.tombstone(clock.next(), ReplicaEntry.NO_TTL));

    List<ReplicaEntry> seen = new ArrayList<>();
    store.forEach(position -> true, (k, entry) -> seen.add(entry));

    assertThat(seen).extracting(ReplicaEntry::ttlMillis).containsOnly(60_000L);
  }

  @Test
  void forEach_reportsRemainingTtl() {
    store.set(key("a"), bytes("1"), 10_000, SetMode.ALWAYS);
    ticker.advanceMillis(3_000);

    List<ReplicaEntry> seen = new ArrayList<>();
    store.forEach(position -> true, (k, entry) -> seen.add(entry));

    assertThat(seen).singleElement().extracting(ReplicaEntry::ttlMillis).isEqualTo(7_000L);
  }

  @Test
  void getAll_keepsRequestOrder() {
    store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS);
    store.set(key("c"), bytes("3"), 0, SetMode.ALWAYS);

    List<StoreResult> results = store.getAll(List.of(key("c"), key("b"), key("a")));

    assertThat(results).extracting(StoreResult::status)
        .containsExactly(StoreStatus.OK, StoreStatus.NOT_FOUND, StoreStatus.OK);
    assertThat(results.get(0).value()).isEqualTo(bytes("3"));
    assertThat(results.get(2).value()).isEqualTo(bytes("1"));
  }

  @Test
  void stats_countReadsWritesAndDeletes() {
    store.set(key("a"), bytes("1"), 0, SetMode.ALWAYS);
    store.set(key("b"), bytes("2"), 0, SetMode.ALWAYS);
    store.get(key("a"));
    store.get(key("a"));
    store.get(key("zz"));
    store.delete(key("b"));
    store.get(key("b"));
    store.delete(key("never"));

    StoreStats stats = store.stats();

    assertThat(stats.hits()).isEqualTo(2);
    assertThat(stats.misses()).isEqualTo(2);
    assertThat(stats.hitRatio()).isEqualTo(0.5);
    assertThat(stats.puts()).isEqualTo(2);
    assertThat(stats.deletes()).isEqualTo(1);
    assertThat(stats.entries()).isEqualTo(3);
    assertThat(stats.maxBytes()).isEqualTo(8 << 20);
    store.cleanUp();
    // "a" holds a 1-byte value; "b" and "never" hold tombstones. Short keys are packed into a
    // 32-byte StoreKey; an entry array is a 16-byte array header, 16 bytes of version and
    // deadline and the value, rounded up to 8 bytes.
    assertThat(store.stats().weightedBytes())
        .isEqualTo(32 + 40 + 32 + 32 + 32 + 32 + 3L * LocalStore.ENTRY_OVERHEAD_BYTES)
        .isEqualTo(LocalStore.weightOf(1, 1) + LocalStore.weightOf(1, -1)
            + LocalStore.weightOf(5, -1));
  }

  @Test
  void negativeTtl_rejectedWithValue() {
    assertThatThrownBy(() -> store.set(key("a"), bytes("1"), -5, SetMode.ALWAYS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
  }

  @Test
  void storeKey_equalBytesAreEqual_andKeyIsImmutable() {
    byte[] raw = bytes("k");
    StoreKey copy = StoreKey.of(raw);
    raw[0] = 'x';

    assertThat(copy).isEqualTo(StoreKey.of("k")).hasSameHashCodeAs(StoreKey.of("k"));
    assertThat(copy).isNotEqualTo(StoreKey.of("x"));
    assertThat(copy.position()).isEqualTo(io.ringcache.ring.KeyHash.of("k"));
  }
}
