package io.ringcache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import org.junit.jupiter.api.Test;

/**
 * A node killed (no leave, no drain) while the application runs: with RF=2 every cached product
 * has a copy on a surviving node, so nothing is loaded again, and the cache keeps answering and
 * taking new entries.
 */
class SpringCachingNodeCrashTest {

  private static final int PRODUCTS = 60;

  @Test
  void nodeCrash_cachedValuesSurvive_andCachingGoesOn() {
    try (TestCluster cluster = new TestCluster(2).start(3);
        CatalogApp app = CatalogApp.start(cluster, 0)) {
      ProductCatalog catalog = app.catalog();
      for (int i = 0; i < PRODUCTS; i++) {
        catalog.product("p" + i);
      }
      Product renamed = new Product("p0", "renamed before the crash", 1);
      catalog.update(renamed);
      assertThat(app.source().totalLoads()).isEqualTo(PRODUCTS);

      // node-0: the client's first seed and the coordinator (the oldest member), the worst one.
      cluster.crash(cluster.node(0));

      for (int i = 0; i < PRODUCTS; i++) {
        catalog.product("p" + i);
      }
      assertThat(app.source().totalLoads()).as("loads after the crash: none lost")
          .isEqualTo(PRODUCTS);
      assertThat(catalog.product("p0")).isEqualTo(renamed);

      for (int i = PRODUCTS; i < 2 * PRODUCTS; i++) {
        catalog.product("p" + i);
        catalog.product("p" + i);
      }
      assertThat(app.source().totalLoads()).as("new products, each loaded once")
          .isEqualTo(2 * PRODUCTS);
      catalog.forget("p1");
      catalog.product("p1");
      assertThat(app.source().loads("p1")).isEqualTo(2);

      cluster.awaitStable();
      try (CatalogApp other = CatalogApp.start(cluster, 1)) {
        for (int i = 0; i < 2 * PRODUCTS; i++) {
          other.catalog().product("p" + i);
        }
        assertThat(other.source().totalLoads()).as("loads by an instance started after the crash")
            .isZero();
      }
    }
  }
}
