package io.ringcache.client;

import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Named caches through membership changes: a join moves every cache's entries and the joiner
 * learns every cache; a scan that spans a rebalance still returns every key; subscriptions reach
 * the new owner; a crash of the coordinator keeps the definitions and loses no acknowledged
 * entry (RF=2), and the subscriber is told events may have been missed; a drain hands every
 * cache's entries over.
 */
class NamedCacheRebalanceTest {

  @Test
  void joinAndCoordinatorCrash_keepEveryCacheAndEntry() {
    try (TestCluster cluster = new TestCluster(2).start(2);
        CacheClient client = Clients.builderFor(cluster).maxRetries(20).build()) {
      join(client.caches().create(CacheSettings.named("orders")));
      NamedCache<String> orders = client.cache("orders").typed(ValueCodec.utf8());
      AsyncRingCache<String> plain = client.typed(ValueCodec.utf8());
      Map<String, String> expected = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        expected.put("o" + i, "order-" + i);
      }
      join(orders.putAll(expected));
      join(plain.put("o1", "not-an-order"));

      Map<String, EntryEvent.Type> lastEvent = new ConcurrentHashMap<>();
      List<String> missed = new CopyOnWriteArrayList<>();
      join(orders.subscribe(new EntryListener<>() {
        @Override
        public void onEvent(EntryEvent<String> event) {
          lastEvent.put(event.key(), event.type());
        }

        @Override
        public void onEventsMissed(String reason) {
          missed.add(reason);
        }
      }, false));

      // A scan that spans a join returns every key at least once.
      ScanPage<String> first = join(orders.scan(ScanCursor.START, 40));
      Set<String> scanned = new HashSet<>();
      first.entries().forEach(e -> scanned.add(e.getKey()));
      CacheNode joined = cluster.startNode();
      cluster.awaitStable();
      ScanCursor cursor = first.next();
      while (cursor != null) {
        ScanPage<String> page = join(orders.scan(cursor, 40));
        page.entries().forEach(e -> scanned.add(e.getKey()));
        cursor = page.next();
      }
      assertThat(scanned).isEqualTo(expected.keySet());

      assertThat(joined.caches().registry.find("orders")).isNotNull();
      assertThat(join(orders.size())).isEqualTo(300);
      assertThat(join(orders.getAll(expected.keySet())).keySet()).isEqualTo(expected.keySet());
      // Its share of every cache moved to the joiner.
      assertThat(joined.store().size()).isGreaterThan(100);

      // Writes the joiner now coordinates reach the subscriber.
      Awaitility.await().atMost(10, TimeUnit.SECONDS)
          .until(() -> client.topology().epoch() >= joined.topology().epoch());
      for (int i = 0; i < 60; i++) {
        join(orders.put("new-" + i, "n"));
      }
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() ->
          lastEvent.keySet().stream().filter(k -> k.startsWith("new-")).count() == 60);

      // The coordinator (the oldest member) crashes.
      cluster.crash(cluster.node(0));
      cluster.awaitStable();
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !missed.isEmpty());
      assertThat(join(orders.size())).isEqualTo(360);
      assertThat(join(orders.getAll(expected.keySet()))).hasSize(300);
      assertThat(join(plain.get("o1")).orElseThrow().value()).isEqualTo("not-an-order");
      CacheNode later = cluster.startNode();
      cluster.awaitStable();
      assertThat(later.caches().registry.find("orders")).isNotNull();

      // A drain hands every cache's entries over before the node leaves.
      cluster.drain(joined);
      cluster.awaitStable();
      assertThat(join(orders.size())).isEqualTo(360);
      assertThat(join(orders.getAll(expected.keySet()))).hasSize(300);

      // Events keep flowing after the crash, from every remaining and new owner.
      for (int i = 0; i < 60; i++) {
        join(orders.remove("new-" + i));
      }
      Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> lastEvent.entrySet().stream()
          .filter(e -> e.getKey().startsWith("new-"))
          .allMatch(e -> e.getValue() == EntryEvent.Type.REMOVED));
    }
  }
}
