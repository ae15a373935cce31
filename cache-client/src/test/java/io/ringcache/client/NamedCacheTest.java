package io.ringcache.client;

import static io.ringcache.client.Clients.failure;
import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Named caches end to end on three in-JVM nodes with RF=2: admin, isolation, cache-wide ops. */
class NamedCacheTest {

  private static TestCluster cluster;
  private static CacheClient client;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(3);
    client = Clients.builderFor(cluster).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  private static String fresh() {
    return "c-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static NamedCache<String> created(CacheSettings settings) {
    join(client.caches().create(settings));
    return client.cache(settings.name()).typed(ValueCodec.utf8());
  }

  @Test
  void create_thenListedAndReadBack_everyNodeServesIt() {
    String name = fresh();
    CacheSettings s = CacheSettings.named(name).withStatistics(true)
        .withAttributes(Map.of("keyType", "java.lang.Long"));
    assertThat(join(client.caches().create(s))).isEqualTo(s);
    assertThat(join(client.caches().get(name))).contains(s);
    assertThat(join(client.caches().list())).extracting(CacheSettings::name)
        .contains("default", name);
    // A second create keeps the first definition.
    assertThat(join(client.caches().create(CacheSettings.named(name)))).isEqualTo(s);
    // Every node, not only the one that stored it, serves the cache at once.
    NamedCache<String> c = client.cache(name).typed(ValueCodec.utf8());
    for (int i = 0; i < 50; i++) {
      join(c.put("k" + i, "v" + i));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(join(c.get("k" + i)).orElseThrow().value()).isEqualTo("v" + i);
    }
  }

  @Test
  void sameKey_inTwoCachesAndDefault_neverCollides() {
    NamedCache<String> a = created(CacheSettings.named(fresh()));
    NamedCache<String> b = created(CacheSettings.named(fresh()));
    AsyncRingCache<String> def = client.typed(ValueCodec.utf8());
    join(def.put("shared", "default"));
    join(a.put("shared", "a"));
    join(b.put("shared", "b"));
    assertThat(join(def.get("shared")).orElseThrow().value()).isEqualTo("default");
    assertThat(join(a.get("shared")).orElseThrow().value()).isEqualTo("a");
    assertThat(join(b.get("shared")).orElseThrow().value()).isEqualTo("b");
    join(a.remove("shared"));
    assertThat(join(b.get("shared"))).isPresent();
    assertThat(join(def.get("shared"))).isPresent();
  }

  @Test
  void unknownCache_failsWithNoSuchCache() {
    NamedCache<byte[]> missing = client.cache(fresh());
    Throwable e = failure(missing.put("k", new byte[] {1}));
    assertThat(e).isInstanceOf(CacheRejectedException.class);
    assertThat(((CacheException) e).status()).isEqualTo(FailureStatus.NO_SUCH_CACHE);
    assertThat(((CacheException) failure(missing.get("k"))).status())
        .isEqualTo(FailureStatus.NO_SUCH_CACHE);
    assertThat(((CacheException) failure(missing.size())).status())
        .isEqualTo(FailureStatus.NO_SUCH_CACHE);
  }

  @Test
  void sizeClearAndScan_coverEveryOwner_onceEach() {
    NamedCache<String> c = created(CacheSettings.named(fresh()));
    NamedCache<String> other = created(CacheSettings.named(fresh()));
    Map<String, String> expected = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      expected.put("key-" + i, "value-" + i);
    }
    join(c.putAll(expected));
    join(other.put("key-1", "elsewhere"));
    assertThat(join(c.size())).isEqualTo(500);

    Map<String, String> seen = new HashMap<>();
    ScanCursor cursor = ScanCursor.START;
    int pages = 0;
    while (cursor != null) {
      ScanPage<String> page = join(c.scan(cursor, 37));
      for (Map.Entry<String, Versioned<String>> e : page.entries()) {
        assertThat(seen.put(e.getKey(), e.getValue().value())).isNull();
      }
      cursor = page.next();
      pages++;
    }
    assertThat(seen).isEqualTo(expected);
    assertThat(pages).isGreaterThan(1);
    Set<String> iterated = new HashSet<>();
    c.entries().forEachRemaining(e -> iterated.add(e.getKey()));
    assertThat(iterated).isEqualTo(expected.keySet());

    join(c.clear());
    assertThat(join(c.size())).isZero();
    assertThat(join(c.get("key-7"))).isEmpty();
    assertThat(c.entries().hasNext()).isFalse();
    assertThat(join(other.get("key-1")).orElseThrow().value()).isEqualTo("elsewhere");
    // The cache works after a clear.
    join(c.put("key-7", "again"));
    assertThat(join(c.get("key-7")).orElseThrow().value()).isEqualTo("again");
  }

  @Test
  void destroy_removesDefinitionAndEntries_recreatedCacheStartsEmpty() {
    String name = fresh();
    NamedCache<String> c = created(CacheSettings.named(name));
    join(c.put("k", "v"));
    assertThat(join(client.caches().destroy(name))).isTrue();
    assertThat(join(client.caches().get(name))).isEmpty();
    assertThat(((CacheException) failure(c.get("k"))).status())
        .isEqualTo(FailureStatus.NO_SUCH_CACHE);
    assertThat(join(client.caches().destroy(name))).isFalse();
    created(CacheSettings.named(name));
    assertThat(join(c.get("k"))).isEmpty();
  }

  @Test
  void conditionalWrites_byVersion() {
    NamedCache<String> c = created(CacheSettings.named(fresh()));
    long v1 = join(c.putIfVersion("k", 0, "one", 0));
    assertThat(((VersionMismatchException) failure(c.putIfVersion("k", 0, "two", 0)))
        .currentVersion()).isEqualTo(v1);
    long v2 = join(c.putIfVersion("k", v1, "two", NamedCache.KEEP_TTL));
    assertThat(v2).isGreaterThan(v1);
    assertThat(join(c.removeIfVersion("k", v1, false))).isFalse();
    assertThat(join(c.removeIfVersion("k", v2, false))).isTrue();
    assertThat(join(c.get("k"))).isEmpty();
    assertThat(join(c.removeIfVersion("k", 0, false))).isFalse();
  }

  @Test
  void cacheExpiry_appliesToWritesWithoutTtl_andTouchResetsIt() {
    NamedCache<String> c = created(CacheSettings.named(fresh())
        .withExpiry(Duration.ofMillis(300), null, null));
    join(c.put("short", "lived"));
    assertThat(join(c.get("short"))).isPresent();
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> join(c.get("short")).isEmpty());
    join(c.put("touched", "x", Duration.ofMillis(200)));
    assertThat(join(c.getAndTouch("touched", Duration.ofMinutes(5)))).isPresent();
    // Past the first TTL, the touch's TTL keeps it.
    Awaitility.await().pollDelay(400, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
        .until(() -> true);
    assertThat(join(c.get("touched"))).isPresent();
  }

  @Test
  void cacheLimits_refuseLargerValues_namingTheCache() {
    String name = fresh();
    NamedCache<String> c = created(CacheSettings.named(name).withLimits(8, 16));
    join(c.put("k", "0123456789abcdef"));
    CacheException e = (CacheException) failure(c.put("k", "0123456789abcdefX"));
    assertThat(e.status()).isEqualTo(FailureStatus.VALUE_TOO_LARGE);
    assertThat(e.getMessage()).contains(name).contains("16");
    assertThat(((CacheException) failure(c.put("123456789", "v"))).status())
        .isEqualTo(FailureStatus.KEY_TOO_LARGE);
  }

  @Test
  void events_fromPrimaryOwners_withOldValues_inVersionOrder() {
    NamedCache<String> c = created(CacheSettings.named(fresh()));
    List<EntryEvent<String>> events = new CopyOnWriteArrayList<>();
    List<String> missed = new CopyOnWriteArrayList<>();
    Subscription sub = join(c.subscribe(new EntryListener<>() {
      @Override
      public void onEvent(EntryEvent<String> event) {
        events.add(event);
      }

      @Override
      public void onEventsMissed(String reason) {
        missed.add(reason);
      }
    }, true));
    // A second client's writes reach the first client's listener.
    try (CacheClient writer = Clients.builderFor(cluster).build()) {
      NamedCache<String> w = writer.cache(c.name()).typed(ValueCodec.utf8());
      for (int i = 0; i < 20; i++) {
        join(w.put("k" + i, "a"));
      }
      for (int i = 0; i < 20; i++) {
        join(w.put("k" + i, "b"));
      }
      for (int i = 0; i < 10; i++) {
        join(w.remove("k" + i));
      }
      long v = join(w.get("k10")).orElseThrow().version();
      join(w.removeIfVersion("k10", v, true));
      join(w.putAll(Map.of("bulk-1", "x", "bulk-2", "y")));
      join(w.put("ttl", "soon", Duration.ofMillis(100)));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> join(w.get("ttl")).isEmpty());
    }
    try {
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() >= 20 + 20 + 10
          + 1 + 2 + 2);
    } catch (RuntimeException e) {
      throw new AssertionError("events: " + events + " missed " + missed, e);
    }
    Map<String, List<EntryEvent<String>>> byKey = new HashMap<>();
    events.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
    assertThat(byKey.get("k3")).extracting(EntryEvent::type).containsExactly(
        EntryEvent.Type.CREATED, EntryEvent.Type.UPDATED, EntryEvent.Type.REMOVED);
    assertThat(byKey.get("k3").get(1).oldValue()).isEqualTo("a");
    assertThat(byKey.get("k3").get(1).value()).isEqualTo("b");
    assertThat(byKey.get("k3").get(2).oldValue()).isEqualTo("b");
    assertThat(byKey.get("k15")).extracting(EntryEvent::type).containsExactly(
        EntryEvent.Type.CREATED, EntryEvent.Type.UPDATED);
    assertThat(byKey.get("k10")).extracting(EntryEvent::type).containsExactly(
        EntryEvent.Type.CREATED, EntryEvent.Type.UPDATED, EntryEvent.Type.EXPIRED);
    assertThat(byKey.get("ttl")).extracting(EntryEvent::type).containsExactly(
        EntryEvent.Type.CREATED, EntryEvent.Type.EXPIRED);
    // A bulk write tells subscribers of each entry, as single writes do.
    assertThat(byKey.get("bulk-2")).extracting(EntryEvent::type, EntryEvent::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EntryEvent.Type.CREATED, "y"));
    for (List<EntryEvent<String>> perKey : byKey.values()) {
      assertThat(perKey).extracting(EntryEvent::version).isSorted();
    }
    assertThat(missed).isEmpty();
    join(sub.cancel());
    int before = events.size();
    join(c.put("after", "cancel"));
    assertThat(events).hasSize(before);
  }

  @Test
  void removeAll_sendsRemovedEvents_clearDoesNot() {
    NamedCache<String> c = created(CacheSettings.named(fresh()));
    List<EntryEvent<String>> events = new CopyOnWriteArrayList<>();
    Subscription sub = join(c.subscribe(new EntryListener<>() {
      @Override
      public void onEvent(EntryEvent<String> event) {
        events.add(event);
      }

      @Override
      public void onEventsMissed(String reason) {}
    }, false));
    for (int i = 0; i < 30; i++) {
      join(c.put("k" + i, "v"));
    }
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 30);
    join(c.removeAll());
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 60);
    assertThat(events.subList(30, 60)).extracting(EntryEvent::type)
        .containsOnly(EntryEvent.Type.REMOVED);
    for (int i = 0; i < 5; i++) {
      join(c.put("k" + i, "v"));
    }
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 65);
    join(c.clear());
    join(c.put("marker", "m"));
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 66);
    assertThat(events.get(65).key()).isEqualTo("marker");
    sub.close();
  }
}
