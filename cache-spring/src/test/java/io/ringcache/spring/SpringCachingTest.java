package io.ringcache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spring's caching annotations through {@code JCacheCacheManager} over ringcache, on a real
 * in-JVM cluster (3 nodes, RF=2): what an application relies on. The source's load counts tell
 * a value served from the cache from one loaded again.
 */
class SpringCachingTest {

  private static TestCluster cluster;
  private static CatalogApp app;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(3);
    app = CatalogApp.start(cluster, 0);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void emptyCache() {
    app.jcache().clear();
  }

  @Test
  void cacheable_secondCall_servedFromCacheWithoutLoading() {
    Product first = app.catalog().product("p1");
    Product second = app.catalog().product("p1");

    assertThat(second).isEqualTo(first);
    assertThat(app.source().loads("p1")).isEqualTo(1);
    assertThat(app.jcache().get("p1")).as("what the cluster holds").isEqualTo(first);
  }

  @Test
  void cachePut_updatesWhatTheNextCacheableReturns() {
    app.catalog().product("p2");
    Product renamed = new Product("p2", "renamed", 250);

    assertThat(app.catalog().update(renamed)).isEqualTo(renamed);

    assertThat(app.catalog().product("p2")).isEqualTo(renamed);
    assertThat(app.source().loads("p2")).as("served from the cache, not the source")
        .isEqualTo(1);
  }

  @Test
  void cacheEvict_removesTheEntry_nextCallLoadsAgain() {
    Product cached = app.catalog().product("p3");
    Product changed = new Product("p3", "changed behind the cache", 300);
    app.source().save(changed);
    assertThat(app.catalog().product("p3")).as("stale until evicted").isEqualTo(cached);

    app.catalog().forget("p3");

    assertThat(app.jcache().containsKey("p3")).isFalse();
    assertThat(app.catalog().product("p3")).isEqualTo(changed);
    assertThat(app.source().loads("p3")).isEqualTo(2);
  }

  @Test
  void cacheEvictAllEntries_clearsEveryEntry() {
    for (int i = 0; i < 20; i++) {
      app.catalog().product("all-" + i);
    }
    assertThat(StreamSupport.stream(app.jcache().spliterator(), false).count()).isEqualTo(20);

    app.catalog().forgetAll();

    assertThat(app.jcache().iterator().hasNext()).as("entries left in the cluster").isFalse();
    for (int i = 0; i < 20; i++) {
      app.catalog().product("all-" + i);
      assertThat(app.source().loads("all-" + i)).isEqualTo(2);
    }
  }

  @Test
  void secondApplicationInstance_seesTheFirstOnesCache() {
    try (CatalogApp other = CatalogApp.start(cluster, 1)) {
      Product cached = app.catalog().product("p5");

      assertThat(other.catalog().product("p5")).isEqualTo(cached);
      assertThat(other.source().loads("p5")).as("loads by the second instance").isZero();

      Product updated = new Product("p5", "updated by the other instance", 500);
      other.catalog().update(updated);
      assertThat(app.catalog().product("p5")).isEqualTo(updated);

      other.catalog().forget("p5");
      app.catalog().product("p5");
      assertThat(app.source().loads("p5")).as("the first instance loads after the eviction")
          .isEqualTo(2);
    }
  }
}
