package io.ringcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringcache.client.CacheClient;
import io.ringcache.node.CacheNode;
import io.ringcache.node.caches.LeaseTable;
import io.ringcache.node.testing.TestCluster;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-through is single flight across the cluster: three JCache caches, each of its own
 * provider, CacheManager and client (three application instances), on one real 2-node cluster.
 * A stampede of {@code get}s on a cold key calls the loader once, one of {@code getAll}s on cold
 * keys loads each key once; a holder whose loader hangs past its lease, or whose loader throws,
 * hands the load to a caller of another client. Each test waits until the callers are queued on
 * a lease before it lets the first loader finish, so without single flight (every miss loading by
 * itself) it fails.
 */
class ReadThroughSingleFlightTest {

  /** Manager property read by {@link LeaseClientFactory}: the client's load lease, in ms. */
  static final String LEASE_MILLIS = "test.loadLeaseMillis";

  private static TestCluster cluster;
  private static String uri;

  private final List<RingcacheCachingProvider> providers = new ArrayList<>();
  private final String name = "single-flight-" + UUID.randomUUID();

  /** Seeds from the URI, as {@link SeedClientFactory}, and the lease from the properties. */
  public static final class LeaseClientFactory implements ClientFactory {
    @Override
    public CacheClient create(URI uri, Properties properties) {
      return CacheClient.builder()
          .seeds(SeedClientFactory.seeds(uri, properties))
          .clientName("jcache-single-flight")
          .loadLease(Duration.ofMillis(Long.parseLong(properties.getProperty(LEASE_MILLIS))))
          .build();
    }
  }

  /**
   * A "database" shared by the three caches: counts its calls; the first waits for {@link #open}
   * and then answers {@code late:<key>} or, if {@code firstFails}, throws; later calls answer
   * {@code loaded:<key>} at once.
   */
  static final class GatedLoader implements CacheLoader<String, String> {
    final AtomicInteger calls = new AtomicInteger();
    final Map<String, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
    final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final boolean firstFails;

    GatedLoader(boolean firstFails) {
      this.firstFails = firstFails;
    }

    void open() {
      gate.complete(null);
    }

    @Override
    public String load(String key) {
      int call = calls.incrementAndGet();
      callsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (call > 1) {
        return "loaded:" + key;
      }
      gate.orTimeout(60, TimeUnit.SECONDS).join();
      if (firstFails) {
        throw new IllegalStateException("the database went away");
      }
      return "late:" + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> all = new HashMap<>();
      keys.forEach(k -> all.put(k, load(k)));
      return all;
    }
  }

  @BeforeAll
  static void startCluster() {
    cluster = new TestCluster(2).start(2);
    List<String> seeds = new ArrayList<>();
    for (CacheNode n : cluster.nodes()) {
      seeds.add("127.0.0.1:" + n.settings().server().port());
    }
    uri = "ringcache://" + String.join(",", seeds);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void closeProviders() {
    providers.forEach(RingcacheCachingProvider::close);
  }

  /**
   * The read-through cache {@code name} of a new provider, manager and client whose load lease is
   * {@code leaseMillis}: a minute where the test holds the first loader for as long as the
   * callers take to queue up, so that no lease expires on a slow machine.
   */
  private Cache<String, String> instance(GatedLoader loader, long leaseMillis) {
    RingcacheCachingProvider provider = new RingcacheCachingProvider();
    providers.add(provider);
    Properties props = new Properties();
    props.setProperty(ClientFactory.PROPERTY, LeaseClientFactory.class.getName());
    props.setProperty(LEASE_MILLIS, Long.toString(leaseMillis));
    return provider.getCacheManager(URI.create(uri), getClass().getClassLoader(), props)
        .createCache(name, new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setReadThrough(true)
            .setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader)));
  }

  private static long leases(ToLongFunction<LeaseTable> counter) {
    return cluster.nodes().stream().mapToLong(n -> counter.applyAsLong(n.caches().leases)).sum();
  }

  @Test
  void get_stampedeOnAColdKeyOverThreeClients_callsTheLoaderOnce() throws Exception {
    GatedLoader loader = new GatedLoader(false);
    List<Cache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      caches.add(instance(loader, 60_000));
    }
    int callers = 300;
    long waitsBefore = leases(t -> t.waits.sum());
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch started = new CountDownLatch(callers);
      List<Future<String>> gets = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Cache<String, String> cache = caches.get(i % 3);
        gets.add(pool.submit(() -> {
          started.countDown();
          return cache.get("cold");
        }));
      }
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      // Every other caller has missed and asked the key's primary for the lease.
      await().atMost(30, TimeUnit.SECONDS)
          .until(() -> leases(t -> t.waits.sum()) - waitsBefore >= callers - 1);
      loader.open();
      for (Future<String> get : gets) {
        assertThat(get.get(30, TimeUnit.SECONDS)).isEqualTo("late:cold");
      }
    } finally {
      loader.open();
      pool.shutdownNow();
    }
    assertThat(loader.calls.get()).as("loader calls for %d concurrent gets", callers)
        .isEqualTo(1);
    for (Cache<String, String> cache : caches) {
      assertThat(cache.get("cold")).isEqualTo("late:cold");
    }
    assertThat(loader.calls.get()).isEqualTo(1);
  }

  @Test
  void getAll_stampedeOnColdKeysOverThreeClients_loadsEachKeyOnce() throws Exception {
    GatedLoader loader = new GatedLoader(false);
    List<Cache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      caches.add(instance(loader, 60_000));
    }
    Set<String> keys = Set.of("k1", "k2", "k3", "k4", "k5");
    int callers = 30;
    long waitsBefore = leases(t -> t.waits.sum());
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Map<String, String>> results = new ArrayList<>();
    try {
      List<Future<Map<String, String>>> gets = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Cache<String, String> cache = caches.get(i % 3);
        gets.add(pool.submit(() -> cache.getAll(keys)));
      }
      // Every caller but the first loader's waits for the key that loader holds.
      await().atMost(30, TimeUnit.SECONDS)
          .until(() -> leases(t -> t.waits.sum()) - waitsBefore >= callers - 1);
      loader.open();
      for (Future<Map<String, String>> get : gets) {
        results.add(get.get(30, TimeUnit.SECONDS));
      }
    } finally {
      loader.open();
      pool.shutdownNow();
    }
    assertThat(loader.callsByKey.keySet()).isEqualTo(keys);
    loader.callsByKey.forEach((key, calls) ->
        assertThat(calls.get()).as("loads of %s", key).isEqualTo(1));
    assertThat(results.get(0)).containsOnlyKeys(keys);
    assertThat(results).allSatisfy(r -> assertThat(r).isEqualTo(results.get(0)));
    assertThat(caches.get(2).getAll(keys)).isEqualTo(results.get(0));
    assertThat(loader.calls.get()).isEqualTo(keys.size());
  }

  @Test
  void get_holderHangsPastItsLease_anotherClientTakesOverAndTheLateValueIsDropped()
      throws Exception {
    GatedLoader loader = new GatedLoader(false);
    Cache<String, String> a = instance(loader, 500);
    Cache<String, String> b = instance(loader, 500);
    Cache<String, String> c = instance(loader, 500);
    long takeoversBefore = leases(t -> t.takeovers.sum());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> hung = pool.submit(() -> a.get("orphan"));
      await().atMost(30, TimeUnit.SECONDS).until(() -> loader.calls.get() == 1);

      assertThat(b.get("orphan")).isEqualTo("loaded:orphan");
      assertThat(loader.calls.get()).isEqualTo(2);
      assertThat(leases(t -> t.takeovers.sum()) - takeoversBefore)
          .as("leases taken over from the hung holder").isPositive();

      // The hung loader finishes late: its value does not replace the one stored since.
      loader.open();
      assertThat(hung.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:orphan");
      assertThat(c.get("orphan")).isEqualTo("loaded:orphan");
      assertThat(a.get("orphan")).isEqualTo("loaded:orphan");
      assertThat(loader.calls.get()).isEqualTo(2);
    } finally {
      loader.open();
      pool.shutdownNow();
    }
  }

  @Test
  void get_holdersLoaderThrows_callerGetsCacheLoaderException_aWaiterLoadsInstead()
      throws Exception {
    GatedLoader loader = new GatedLoader(true);
    Cache<String, String> a = instance(loader, 60_000);
    Cache<String, String> b = instance(loader, 60_000);
    Cache<String, String> c = instance(loader, 60_000);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<String> failing = pool.submit(() -> a.get("flaky"));
      await().atMost(30, TimeUnit.SECONDS).until(() -> loader.calls.get() == 1);
      long waitsBefore = leases(t -> t.waits.sum());
      Future<String> fromB = pool.submit(() -> b.get("flaky"));
      Future<String> fromC = pool.submit(() -> c.get("flaky"));
      await().atMost(30, TimeUnit.SECONDS)
          .until(() -> leases(t -> t.waits.sum()) - waitsBefore >= 2);

      loader.open();
      assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(CacheLoaderException.class)
          .rootCause().hasMessage("the database went away");
      assertThat(fromB.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:flaky");
      assertThat(fromC.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:flaky");
      assertThat(loader.calls.get()).as("the failed call and one more").isEqualTo(2);
    } finally {
      loader.open();
      pool.shutdownNow();
    }
  }
}
