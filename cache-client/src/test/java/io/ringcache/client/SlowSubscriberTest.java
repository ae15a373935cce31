package io.ringcache.client;

import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading: the node drops it at its event bound and tells it, the
 * writers are not held up, and once the subscriber reads again it is told events were missed and
 * gets the events of later writes, without subscribing again itself.
 */
class SlowSubscriberTest {

  @Test
  void stalledSubscriber_isToldOfMissedEvents_thenReceivesLaterEvents() throws Exception {
    try (TestCluster cluster = new TestCluster(1).start(1);
        CacheClient subscriber = Clients.builderFor(cluster).build();
        CacheClient writer = Clients.builderFor(cluster).build()) {
      join(writer.caches().create(CacheSettings.named("busy")));
      NamedCache<byte[]> cache = subscriber.cache("busy");
      CountDownLatch stall = new CountDownLatch(1);
      AtomicInteger events = new AtomicInteger();
      List<String> afterKeys = new CopyOnWriteArrayList<>();
      List<String> missed = new CopyOnWriteArrayList<>();
      join(cache.subscribe(new EntryListener<>() {
        @Override
        public void onEvent(EntryEvent<byte[]> event) {
          if (events.incrementAndGet() == 1) {
            // The client's only event loop stops: nothing more is read from the node.
            await(stall);
          }
          if (event.key().startsWith("after-")) {
            afterKeys.add(event.key());
          }
        }

        @Override
        public void onEventsMissed(String reason) {
          missed.add(reason);
        }
      }, false));

      // About 24 MiB of events while the subscriber reads nothing; the writer is not held up.
      NamedCache<byte[]> w = writer.cache("busy");
      byte[] value = new byte[1024];
      for (int round = 0; round < 24; round++) {
        Map<String, byte[]> batch = new HashMap<>();
        for (int i = 0; i < 1024; i++) {
          batch.put("k" + i, value);
        }
        join(w.putAll(batch));
      }
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() ->
          cluster.node(0).stats().eventSubscribersDropped.sum() == 1);

      stall.countDown();
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> !missed.isEmpty());
      // Subscribed again by the client: later writes reach the listener.
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() ->
          cluster.node(0).caches().events.subscriptions() == 1);
      for (int i = 0; i < 10; i++) {
        join(w.put("after-" + i, value));
      }
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> afterKeys.size() == 10);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
