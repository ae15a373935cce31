package io.ringcache.spring;

import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The lines an application adds to cache through ringcache (docs/spring.md shows the same):
 * {@code @EnableCaching}, ringcache's JCache {@code CacheManager} for the cluster named by the
 * property {@value #URI_PROPERTY}, its caches, and Spring's {@link JCacheCacheManager} over it.
 *
 * <p>The JCache manager is a bean of its own so that the context closes it (Spring infers
 * {@code close()}), which closes its client's connections.
 */
@Configuration
@EnableCaching
public class CatalogConfiguration {

  /** The cluster: {@code ringcache://host:port,host:port} (the nodes' binary-protocol ports). */
  public static final String URI_PROPERTY = "ringcache.uri";
  static final String PROVIDER = "io.ringcache.jcache.RingcacheCachingProvider";

  @Bean
  public CacheManager jcacheManager(@Value("${" + URI_PROPERTY + "}") String uri) {
    CacheManager manager = Caching.getCachingProvider(PROVIDER)
        .getCacheManager(URI.create(uri), getClass().getClassLoader());
    openOrCreate(manager, ProductCatalog.CACHE);
    return manager;
  }

  @Bean
  public JCacheCacheManager cacheManager(CacheManager jcacheManager) {
    return new JCacheCacheManager(jcacheManager);
  }

  @Bean
  public ProductSource productSource() {
    return new ProductSource();
  }

  @Bean
  public ProductCatalog productCatalog(ProductSource productSource) {
    return new ProductCatalog(productSource);
  }

  /**
   * The cache {@code name}: created in the cluster by the first instance of the application,
   * opened (data included) by the others, since ringcache keeps cache definitions cluster-wide.
   */
  static Cache<Object, Object> openOrCreate(CacheManager manager, String name) {
    Cache<Object, Object> cache = manager.getCache(name);
    return cache != null ? cache : manager.createCache(name, new MutableConfiguration<>());
  }
}
