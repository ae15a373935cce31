package io.ringcache.spring;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * One instance of the catalog application: a Spring context of {@link CatalogConfiguration}
 * with its own ringcache client, as a separate process of the application would have.
 *
 * <p>JSR-107 gives one {@code CacheManager} per (URI, class loader) in a JVM, so two instances
 * in one test JVM name the cluster with different URIs (the same seeds, in another order);
 * instances in separate JVMs would use the same URI.
 */
final class CatalogApp implements AutoCloseable {

  private final AnnotationConfigApplicationContext context;

  private CatalogApp(String uri) {
    context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test",
        Map.of(CatalogConfiguration.URI_PROPERTY, uri)));
    context.register(CatalogConfiguration.class);
    context.refresh();
  }

  /** Starts instance {@code instance} (0, 1, ...) of the application against {@code cluster}. */
  static CatalogApp start(TestCluster cluster, int instance) {
    List<String> seeds = new ArrayList<>();
    for (CacheNode n : cluster.nodes()) {
      seeds.add("127.0.0.1:" + n.settings().server().port());
    }
    for (int i = 0; i < instance; i++) {
      seeds.add(seeds.remove(0));
    }
    return new CatalogApp("ringcache://" + String.join(",", seeds));
  }

  ProductCatalog catalog() {
    return context.getBean(ProductCatalog.class);
  }

  ProductSource source() {
    return context.getBean(ProductSource.class);
  }

  /** The JCache cache under Spring's, to look at what the cluster holds without Spring. */
  Cache<Object, Object> jcache() {
    return context.getBean(CacheManager.class).getCache(ProductCatalog.CACHE);
  }

  @Override
  public void close() {
    context.close();
  }
}
