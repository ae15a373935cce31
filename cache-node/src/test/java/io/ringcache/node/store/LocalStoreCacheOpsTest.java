package io.ringcache.node.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.SetMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The store operations named caches and JCache build on: TTL by create or update (and kept),
 * touch, delete at a version, compare-and-set on absence, removal below a clear's version, live
 * keys of a cache, and the expiry listener behind EXPIRED events.
 */
class LocalStoreCacheOpsTest {

  private final FakeTicker ticker = new FakeTicker();
  private final AtomicLong wall = new AtomicLong(1_750_000_000_000L);
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode("n", wall::get),
      ticker);

  private static StoreKey key(String name) {
    return StoreKey.of(name);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(US_ASCII);
  }

  @Test
  void set_ttlByCreateOrUpdate_andKeep() {
    store.set(key("a"), bytes("1"), 1_000, LocalStore.KEEP_TTL, SetMode.ALWAYS);
    ticker.advanceMillis(600);
    // An update that keeps the TTL: still 400 ms left, not 1000 again, not none.
    store.set(key("a"), bytes("2"), 1_000, LocalStore.KEEP_TTL, SetMode.ALWAYS);
    assertThat(store.get(key("a")).ttlMillis()).isEqualTo(400);
    ticker.advanceMillis(401);
    assertThat(store.get(key("a")).ok()).isFalse();

    store.set(key("b"), bytes("1"), 1_000, 5_000, SetMode.ALWAYS);
    assertThat(store.get(key("b")).ttlMillis()).isEqualTo(1_000);
    store.set(key("b"), bytes("2"), 1_000, 5_000, SetMode.ALWAYS);
    assertThat(store.get(key("b")).ttlMillis()).isEqualTo(5_000);
  }

  @Test
  void compareAndSet_versionZeroMeansAbsent_keepTtl() {
    StoreResult created = store.compareAndSet(key("k"), 0, bytes("1"), 2_000);
    assertThat(created.ok()).isTrue();
    StoreResult again = store.compareAndSet(key("k"), 0, bytes("x"), 0);
    assertThat(again.status()).isEqualTo(StoreStatus.VERSION_MISMATCH);
    assertThat(again.version()).isEqualTo(created.version());
    ticker.advanceMillis(500);
    assertThat(store.compareAndSet(key("k"), created.version(), bytes("2"), LocalStore.KEEP_TTL)
        .ok()).isTrue();
    assertThat(store.get(key("k")).ttlMillis()).isEqualTo(1_500);
  }

  @Test
  void touch_rewritesWithNewTtlAndVersion_absentIsNotFound() {
    long v = store.set(key("t"), bytes("v"), 100, SetMode.ALWAYS).version();
    StoreResult touched = store.touch(key("t"), 10_000);
    assertThat(touched.ok()).isTrue();
    assertThat(touched.version()).isGreaterThan(v);
    assertThat(touched.value()).isEqualTo(bytes("v"));
    assertThat(touched.replica().ttlMillis()).isEqualTo(10_000);
    ticker.advanceMillis(5_000);
    assertThat(store.get(key("t")).ok()).isTrue();
    assertThat(store.touch(key("missing"), 1).status()).isEqualTo(StoreStatus.NOT_FOUND);
  }

  @Test
  void deleteIf_onlyAtTheVersion_leavesNoTombstoneWhenAbsent() {
    long v = store.set(key("d"), bytes("v"), 0, SetMode.ALWAYS).version();
    StoreResult wrong = store.deleteIf(key("d"), v + 1);
    assertThat(wrong.status()).isEqualTo(StoreStatus.VERSION_MISMATCH);
    assertThat(wrong.version()).isEqualTo(v);
    StoreResult done = store.deleteIf(key("d"), v);
    assertThat(done.ok()).isTrue();
    assertThat(done.replica().tombstone()).isTrue();
    assertThat(store.get(key("d")).ok()).isFalse();
    StoreResult absent = store.deleteIf(key("never"), 0);
    assertThat(absent.status()).isEqualTo(StoreStatus.NOT_FOUND);
    assertThat(absent.replica()).isNull();
    assertThat(store.replicaOf(key("never"))).isNull();
  }

  @Test
  void removeBelow_removesOnlyTheCacheAndOnlyOlderVersions() {
    byte[] prefix = {(byte) 0xFF, 'c', (byte) 0xFF};
    for (int i = 0; i < 10; i++) {
      store.set(StoreKey.wrap(new byte[] {(byte) 0xFF, 'c', (byte) 0xFF, (byte) ('0' + i)}),
          bytes("v" + i), 0, SetMode.ALWAYS);
      store.set(key("plain" + i), bytes("p"), 0, SetMode.ALWAYS);
    }
    StoreKey late = StoreKey.wrap(new byte[] {(byte) 0xFF, 'c', (byte) 0xFF, 'z'});
    long mark = store.set(key("marker"), bytes("m"), 0, SetMode.ALWAYS).version() + 1;
    store.set(late, bytes("after"), 0, SetMode.ALWAYS);
    List<String> told = new ArrayList<>();
    long removed = store.removeBelow(k -> k.startsWith(prefix), mark,
        (k, v) -> told.add(new String(v.array(), v.offset(), v.length(), US_ASCII)));
    assertThat(removed).isEqualTo(10);
    assertThat(told).hasSize(10).allMatch(s -> s.startsWith("v"));
    assertThat(store.get(late).ok()).isTrue();
    assertThat(store.get(key("plain3")).ok()).isTrue();

    Set<Integer> live = new HashSet<>();
    store.forEachLiveKey(k -> k.startsWith(prefix), (k, position) -> live.add(k.length()));
    assertThat(live).containsExactly(4);
  }

  @Test
  void expiredListener_hearsLazyAndSweptRemovals_notTombstones() {
    List<String> expired = new ArrayList<>();
    store.expiredListener((k, v) -> expired.add(new String(k.bytes(), US_ASCII)));
    store.set(key("lazy"), bytes("1"), 100, SetMode.ALWAYS);
    store.set(key("swept"), bytes("1"), 100, SetMode.ALWAYS);
    store.delete(key("gone"));
    ticker.advanceMillis(70_000);
    assertThat(store.get(key("lazy")).ok()).isFalse();
    store.cleanUp();
    assertThat(expired).containsExactlyInAnyOrder("lazy", "swept");
  }
}
