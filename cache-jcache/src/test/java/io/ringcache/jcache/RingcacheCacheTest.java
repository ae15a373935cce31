package io.ringcache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.client.CacheClient;
import io.ringcache.client.NamedCache;
import io.ringcache.jcache.testing.InMemoryClientFactory;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's own behaviour beyond the TCK, over the in-memory double: cross-client
 * atomicity of the optimistic loops, cluster-wide cache definitions, key forms, unwrap.
 */
class RingcacheCacheTest {

  private final RingcacheCachingProvider provider = new RingcacheCachingProvider();
  private CacheManager manager;
  private final String name = "test-" + UUID.randomUUID();

  @BeforeEach
  void open() {
    manager = manager("ringcache://test-a");
  }

  @AfterEach
  void close() {
    provider.close();
  }

  private CacheManager manager(String uri) {
    Properties props = new Properties();
    props.setProperty(ClientFactory.PROPERTY, InMemoryClientFactory.class.getName());
    return provider.getCacheManager(URI.create(uri), getClass().getClassLoader(), props);
  }

  @Test
  void invoke_racingIncrementsFromTwoManagers_loseNoUpdate() throws Exception {
    Cache<String, Integer> a = manager.createCache(name,
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    Cache<String, Integer> b = manager("ringcache://test-b")
        .getCache(name, String.class, Integer.class);
    a.put("counter", 0);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (Cache<String, Integer> c : List.of(a, b)) {
        runs.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 300; i++) {
            c.invoke("counter", (entry, args) -> {
              entry.setValue(entry.getValue() + 1);
              return null;
            });
          }
        }, pool));
      }
      CompletableFuture.allOf(runs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(a.get("counter")).isEqualTo(600);
  }

  @Test
  void createCache_existingInClusterWithOtherTypes_fails() {
    manager.createCache(name,
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    CacheManager other = manager("ringcache://test-b");
    assertThatThrownBy(() -> other.createCache(name,
        new MutableConfiguration<Long, String>().setTypes(Long.class, String.class)))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("java.lang.Integer");
    assertThat(other.getCache(name, String.class, Integer.class)).isNotNull();
  }

  @Test
  void put_zeroCreationExpiry_storesNothing() {
    Cache<String, String> cache = manager.createCache(name,
        new MutableConfiguration<String, String>().setExpiryPolicyFactory(
            FactoryBuilder.factoryOf(new CreatedExpiryPolicy(Duration.ZERO))));
    cache.put("k", "v");
    NamedCache<?> named = cache.unwrap(NamedCache.class);
    assertThat(named.size().toCompletableFuture().join()).isZero();
    assertThat(cache.containsKey("k")).isFalse();
  }

  @Test
  void keys_ofEveryForm_comeBackFromIteration() {
    Cache<Object, String> cache = manager.createCache(name, new MutableConfiguration<>());
    List<Object> keys = List.of("text", 7, 7L, LocalDate.of(2026, 1, 2), "");
    for (Object k : keys) {
      cache.put(k, String.valueOf(k));
    }
    List<Object> seen = new ArrayList<>();
    cache.forEach(e -> seen.add(e.getKey()));
    assertThat(seen).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(cache.get(7)).isEqualTo("7");
    assertThat(cache.get(7L)).isEqualTo("7");
  }

  @Test
  void keyCodec_numbersAndStrings_areReadable() {
    KeyCodec codec = new KeyCodec(getClass().getClassLoader());
    assertThat(codec.encode("a:b")).isEqualTo("sa:b");
    assertThat(codec.encode(42)).isEqualTo("i42");
    assertThat(codec.encode(-42L)).isEqualTo("l-42");
    assertThat(codec.decode(codec.encode(LocalDate.of(2026, 1, 2))))
        .isEqualTo(LocalDate.of(2026, 1, 2));
    assertThatThrownBy(() -> codec.decode("x1")).isInstanceOf(CacheException.class)
        .hasMessageContaining("'x'");
  }

  @Test
  void unwrap_reachesTheNativeClient() {
    Cache<String, String> cache = manager.createCache(name, new MutableConfiguration<>());
    assertThat(cache.unwrap(NamedCache.class).name()).isEqualTo(name);
    assertThat(manager.unwrap(CacheClient.class)).isSameAs(cache.unwrap(CacheClient.class));
    assertThatThrownBy(() -> cache.unwrap(String.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cacheName_outsideRingcacheAlphabet_isEncodedAndKept() {
    String odd = "my cache/" + UUID.randomUUID();
    manager.createCache(odd, new MutableConfiguration<>());
    Cache<Object, Object> again = manager("ringcache://test-b").getCache(odd);
    assertThat(again.getName()).isEqualTo(odd);
    assertThat(again.unwrap(NamedCache.class).name()).startsWith(CacheDefinitions.ENCODED_PREFIX);
  }
}
