package io.ringcache.client;

import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The near cache's promise: a value it serves was the newest acknowledged one at most a lease
 * earlier, whatever happens to the events that invalidate it. Faults are put into the client's
 * event path (dropped, delayed, reordered, and "silent": dropped with the frame numbers rewritten
 * so that no gap shows), below the near cache, so nothing it does can hide them.
 */
class NearCacheTest {

  private static TestCluster cluster;
  private static CacheClient writer;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1).start(1);
    writer = Clients.builderFor(cluster).build();
    join(writer.caches().create(CacheSettings.named("near")));
  }

  @AfterAll
  static void stop() {
    writer.close();
    cluster.close();
  }

  private static Subscriptions subscriptions(CacheClient client) {
    return ((DefaultCacheClient) client).router.subscriptions;
  }

  @Test
  void hitsAfterTheStreamVouches_othersWritesInvalidate_ownWritesReadBack() {
    try (CacheClient reader = Clients.builderFor(cluster).build()) {
      NearCache<String> near = reader.nearCache("near",
          NearCacheSettings.defaults().withLease(Duration.ofSeconds(30))).typed(ValueCodec.utf8());
      join(near.subscribe(new EntryListener<>() {
        public void onEvent(EntryEvent<String> e) {}

        public void onEventsMissed(String reason) {}
      }, false));
      NamedCache<String> w = writer.cache("near").typed(ValueCodec.utf8());
      join(w.put("k", "v1"));
      assertThat(join(near.get("k")).orElseThrow().value()).isEqualTo("v1");
      // Served locally once the owner's stream has spoken since the read (a heartbeat).
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> {
        join(near.get("k"));
        return near.nearCacheStats().hits() > 0;
      });
      long hits = near.nearCacheStats().hits();
      for (int i = 0; i < 100; i++) {
        assertThat(join(near.get("k")).orElseThrow().value()).isEqualTo("v1");
      }
      assertThat(near.nearCacheStats().hits()).isEqualTo(hits + 100);

      // Another client's write reaches this one by its event, long before the 30 s lease.
      join(w.put("k", "v2"));
      Awaitility.await().atMost(2, TimeUnit.SECONDS)
          .until(() -> join(near.get("k")).orElseThrow().value().equals("v2"));
      assertThat(near.nearCacheStats().invalidations()).isPositive();

      // Own writes: read back at once, never the copy they replaced.
      for (int i = 0; i < 50; i++) {
        join(near.put("k", "own-" + i));
        assertThat(join(near.get("k")).orElseThrow().value()).isEqualTo("own-" + i);
      }
      join(near.remove("k"));
      assertThat(join(near.get("k"))).isEmpty();
    }
  }

  /**
   * Refresh-ahead: a key read without pause is read again in the background in the second half
   * of each lease and keeps its vouching point, so after the first fill it hardly misses; without
   * refresh-ahead every lease ends in misses (until the next fill is vouched for).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void refreshAhead_keyReadWithoutPause_staysNearOnlyWhenOn(boolean refreshAhead) {
    String key = "steady-" + refreshAhead;
    join(writer.cache("near").put(key, "v".getBytes(StandardCharsets.UTF_8)));
    try (CacheClient reader = Clients.builderFor(cluster).build()) {
      NearCache<byte[]> near = reader.nearCache("near", NearCacheSettings.defaults()
          .withLease(Duration.ofMillis(300)).withRefreshAhead(refreshAhead));
      join(near.subscribe(new EntryListener<>() {
        public void onEvent(EntryEvent<byte[]> e) {}

        public void onEventsMissed(String reason) {}
      }, false));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> {
        join(near.get(key));
        return near.nearCacheStats().hits() > 0;
      });
      long misses = near.nearCacheStats().misses();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_000);
      long reads = 0;
      while (System.nanoTime() - end < 0) {
        assertThat(join(near.get(key))).isPresent();
        reads++;
      }
      long missed = near.nearCacheStats().misses() - misses;
      if (refreshAhead) {
        // A refresh answered after its lease ran out (a scheduling stall) costs a miss or two.
        assertThat(missed).as("misses in %d reads over 6 leases", reads).isLessThanOrEqualTo(2);
      } else {
        assertThat(missed).as("misses in %d reads over 6 leases", reads).isGreaterThanOrEqualTo(5);
      }
    }
  }

  enum Fault {
    NONE, DROP, DELAY, REORDER, SILENT
  }

  /** Faults on data events only (heartbeats pass), so the stream never looks silent. */
  private static Subscriptions.EventPath faulty(Fault fault, CacheClient client) {
    Router router = ((DefaultCacheClient) client).router;
    AtomicLong renumber = new AtomicLong();
    Object[] held = new Object[1];
    return (from, id, e, deliver) -> {
      boolean data = e.type() != Response.EventType.HEARTBEAT
          && e.type() != Response.EventType.MISSED;
      switch (fault) {
        case NONE -> deliver.run();
        case DROP -> {
          if (!data) {
            deliver.run();
          }
        }
        case DELAY -> {
          if (data) {
            router.schedule(2_000, deliver);
          } else {
            deliver.run();
          }
        }
        case REORDER -> {
          synchronized (held) {
            if (data && held[0] == null) {
              held[0] = deliver;
            } else {
              deliver.run();
              if (held[0] != null) {
                ((Runnable) held[0]).run();
                held[0] = null;
              }
            }
          }
        }
        case SILENT -> {
          // A broken owner that sends no invalidations and no gap: only the lease protects.
          if (!data) {
            Response.Event renumbered = e.withSeq(renumber.incrementAndGet());
            subscriptions(client).arrivedForTest(from, id, renumbered);
          }
        }
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void staleness_neverExceedsTheLease_whateverHappensToEvents(Fault fault) throws Exception {
    long leaseMillis = 300;
    try (CacheClient reader = Clients.builderFor(cluster).build()) {
      subscriptions(reader).path = faulty(fault, reader);
      NearCache<String> near = reader.nearCache("near",
          NearCacheSettings.defaults().withLease(Duration.ofMillis(leaseMillis)))
          .typed(ValueCodec.utf8());
      NamedCache<String> w = writer.cache("near").typed(ValueCodec.utf8());
      String key = "stale-" + fault;
      join(w.put(key, "0"));
      // When each value stopped being the newest: the acknowledgement of the next one.
      Map<Long, Long> supersededAt = new ConcurrentHashMap<>();
      // Writes back to back for 1.5 s (five leases), each acknowledged before the next.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
      Thread writes = new Thread(() -> {
        for (long i = 1; System.nanoTime() - until < 0; i++) {
          join(w.put(key, Long.toString(i)));
          supersededAt.put(i - 1, System.nanoTime());
        }
      });
      writes.start();
      long worst = 0;
      List<Long> served = new ArrayList<>();
      while (writes.isAlive()) {
        // The near cache decides at some moment between asking and returning; measured from the
        // asking, so a descheduled test thread cannot count against it (a broken lease still
        // shows: its staleness grows without bound).
        long asked = System.nanoTime();
        long value = Long.parseLong(join(near.get(key)).orElseThrow().value());
        served.add(value);
        Long superseded = supersededAt.get(value);
        if (superseded != null) {
          worst = Math.max(worst, asked - superseded);
        }
      }
      writes.join();
      assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("worst staleness with %s", fault)
          .isLessThanOrEqualTo(leaseMillis);
      NearCacheStats stats = near.nearCacheStats();
      if (fault == Fault.NONE || fault == Fault.SILENT) {
        // With gaps every few writes the cache rightly vouches for little; without, it serves.
        assertThat(stats.hits()).as("the near cache served reads under %s: %s", fault, stats)
            .isPositive();
      } else {
        assertThat(stats.flushes()).as("a gap in the stream dropped the near cache: %s", stats)
            .isPositive();
      }
      assertThat(served).isNotEmpty();
    }
  }
}
