package io.ringcache.client;

import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single-flight loading on three nodes with RF=2: a stampede of 1,000 callers over three clients
 * calls the loader once (and many times without single flight); a lease holder that dies hands the
 * load to a waiter; a late holder never overwrites a newer value.
 */
class SingleFlightTest {

  private static TestCluster cluster;
  private static final ScheduledExecutorService DB = Executors.newScheduledThreadPool(2);

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(3);
    try (CacheClient admin = Clients.builderFor(cluster).build()) {
      join(admin.caches().create(CacheSettings.named("loaded")));
    }
  }

  @AfterAll
  static void stop() {
    DB.shutdownNow();
    cluster.close();
  }

  /** A "database" read that takes {@code millis} and counts its calls. */
  private static Function<String, CompletionStage<String>> slowLoader(AtomicInteger calls,
      long millis) {
    return key -> {
      calls.incrementAndGet();
      CompletableFuture<String> out = new CompletableFuture<>();
      DB.schedule(() -> out.complete("loaded:" + key), millis, TimeUnit.MILLISECONDS);
      return out;
    };
  }

  @Test
  void stampede_onAColdKey_callsTheLoaderOnce() {
    List<CacheClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        clients.add(Clients.builderFor(cluster).maxPendingRequests(4096).build());
      }
      AtomicInteger calls = new AtomicInteger();
      Function<String, CompletionStage<String>> loader = slowLoader(calls, 300);
      List<CompletionStage<String>> results = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        NamedCache<String> c = clients.get(i % 3).cache("loaded").typed(ValueCodec.utf8());
        results.add(c.getOrLoad("cold", loader));
      }
      for (CompletionStage<String> r : results) {
        assertThat(join(r)).isEqualTo("loaded:cold");
      }
      assertThat(calls.get()).as("loader calls for 1,000 concurrent callers").isEqualTo(1);

      // Without single flight (read, then load on a miss), the same stampede loads many times.
      AtomicInteger naive = new AtomicInteger();
      Function<String, CompletionStage<String>> naiveLoader = slowLoader(naive, 300);
      List<CompletionStage<String>> plain = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        NamedCache<String> c = clients.get(i % 3).cache("loaded").typed(ValueCodec.utf8());
        plain.add(c.get("cold-naive").thenCompose(found -> found.isPresent()
            ? CompletableFuture.completedFuture(found.get().value())
            : naiveLoader.apply("cold-naive").thenCompose(v ->
                c.put("cold-naive", v).thenApply(x -> v))));
      }
      plain.forEach(Clients::join);
      assertThat(naive.get()).as("loader calls without single flight").isGreaterThan(100);
    } finally {
      clients.forEach(CacheClient::close);
    }
  }

  @Test
  void holderThatDies_handsTheLoadToAWaiter() {
    AtomicInteger calls = new AtomicInteger();
    CacheClient doomed = Clients.builderFor(cluster).loadLease(Duration.ofMillis(500)).build();
    try (CacheClient survivor = Clients.builderFor(cluster).loadLease(Duration.ofMillis(500))
        .build()) {
      // The first caller takes the lease and hangs in its loader; then its process "dies".
      CompletableFuture<String> never = new CompletableFuture<>();
      doomed.cache("loaded").typed(ValueCodec.utf8()).getOrLoad("orphan", k -> {
        calls.incrementAndGet();
        return never;
      });
      org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> calls.get() == 1);
      doomed.close();
      long start = System.nanoTime();
      String v = join(survivor.cache("loaded").typed(ValueCodec.utf8())
          .getOrLoad("orphan", slowLoader(calls, 10)));
      assertThat(v).isEqualTo("loaded:orphan");
      assertThat(calls.get()).isEqualTo(2);
      // It waited for the dead holder's lease, not the 30 s it would wait for a live one.
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
      long takeovers = cluster.nodes().stream()
          .mapToLong(n -> n.caches().leases.takeovers.sum()).sum();
      assertThat(takeovers).isPositive();
    } finally {
      doomed.close();
    }
  }

  @Test
  void lateLoader_neverOverwritesANewerValue() {
    try (CacheClient client = Clients.builderFor(cluster).build()) {
      NamedCache<String> c = client.cache("loaded").typed(ValueCodec.utf8());
      CompletableFuture<String> slow = new CompletableFuture<>();
      CompletionStage<String> loading = c.getOrLoad("raced", k -> slow);
      org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
          .until(() -> cluster.nodes().stream().mapToInt(n -> n.caches().leases.size()).sum()
              == 1);
      // Someone writes while the loader still runs: that value wins.
      join(c.put("raced", "written"));
      slow.complete("loaded-too-late");
      assertThat(join(loading)).isEqualTo("written");
      assertThat(join(c.get("raced")).orElseThrow().value()).isEqualTo("written");
    }
  }
}
