package io.ringcache.spring.tck;

import java.net.URI;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import manager.CacheNameOnEachMethodBlogManagerImpl;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import manager.UsingDefaultCacheNameBlogManagerImpl;
import org.springframework.cache.Cache;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCache;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring context the TCK's annotation tests get their beans from: the TCK's three blog
 * managers, proxied by Spring's JSR-107 interceptors ({@code @EnableCaching} with
 * {@code javax.cache:cache-api} and spring-context-support present), over ringcache.
 *
 * <p>Class proxies, since the TCK asks for the implementation classes, which also implement an
 * interface. Caches are created on first use: the TCK names them in its annotations (or, for
 * the default name, through the method's signature) and never creates them.
 */
@Configuration
@EnableCaching(proxyTargetClass = true)
public class TckConfiguration {

  @Bean
  public CacheManager jcacheManager() {
    return Caching.getCachingProvider("io.ringcache.jcache.RingcacheCachingProvider")
        .getCacheManager(URI.create(TckCluster.uri()), getClass().getClassLoader());
  }

  @Bean
  public JCacheCacheManager cacheManager(CacheManager jcacheManager) {
    return new JCacheCacheManager(jcacheManager) {
      @Override
      protected Cache getMissingCache(String name) {
        CacheManager manager = getCacheManager();
        javax.cache.Cache<Object, Object> cache = manager.getCache(name);
        if (cache == null) {
          cache = manager.createCache(name, new MutableConfiguration<>());
        }
        return new JCacheCache(cache, isAllowNullValues());
      }
    };
  }

  @Bean
  public ClassLevelCacheConfigBlogManagerImpl classLevelCacheConfigBlogManager() {
    return new ClassLevelCacheConfigBlogManagerImpl();
  }

  @Bean
  public CacheNameOnEachMethodBlogManagerImpl cacheNameOnEachMethodBlogManager() {
    return new CacheNameOnEachMethodBlogManagerImpl();
  }

  @Bean
  public UsingDefaultCacheNameBlogManagerImpl usingDefaultCacheNameBlogManager() {
    return new UsingDefaultCacheNameBlogManagerImpl();
  }
}
