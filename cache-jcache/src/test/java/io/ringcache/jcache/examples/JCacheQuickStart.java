package io.ringcache.jcache.examples;

import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;

/**
 * The smallest JCache (JSR-107) program on ringcache: a cache manager for the cluster, a cache,
 * put, get, close. Run a node first (see the README), then
 * {@code java ... JCacheQuickStart [host:port ...]}. The native-client twin is
 * {@code io.ringcache.client.examples.QuickStart}.
 */
public final class JCacheQuickStart {

  public static void main(String[] args) {
    String[] seeds = args.length > 0 ? args : new String[] {"127.0.0.1:7101"};
    System.out.println(greet(seeds));
  }

  /** Puts a greeting in the cluster of {@code seeds} and reads it back. */
  static String greet(String... seeds) {
    CachingProvider provider =
        Caching.getCachingProvider("io.ringcache.jcache.RingcacheCachingProvider");
    URI cluster = URI.create("ringcache://" + String.join(",", seeds));
    // Closing the manager closes its connections; the cache and its entries stay in the cluster.
    try (CacheManager manager = provider.getCacheManager(cluster, null)) {
      Cache<String, String> greetings = manager.createCache("greetings",
          new MutableConfiguration<String, String>()
              .setTypes(String.class, String.class)
              .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
      greetings.put("greeting", "hello, ringcache");
      return greetings.get("greeting");
    }
  }
}
