package io.ringcache.jcache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.CacheClient;
import io.ringcache.jcache.ClientFactory;
import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link JCacheQuickStart} against an in-JVM cluster so the example cannot rot, and checks
 * through the native client that its entry reached that cluster (the seeds it was given).
 */
class JCacheQuickStartTest {

  private String factory;

  /**
   * This module's build points every CacheManager at the TCK's cluster through the system
   * property {@value ClientFactory#PROPERTY}; the example must use the seeds it is given.
   */
  @BeforeEach
  void useTheSeedsOfTheUri() {
    factory = System.clearProperty(ClientFactory.PROPERTY);
  }

  @AfterEach
  void restoreFactory() {
    if (factory != null) {
      System.setProperty(ClientFactory.PROPERTY, factory);
    }
  }

  @Test
  void quickStart_putsAndReadsBackItsGreeting_inTheClusterItWasGiven() {
    try (TestCluster cluster = new TestCluster(2).start(2)) {
      List<String> seeds = new ArrayList<>();
      for (CacheNode n : cluster.nodes()) {
        seeds.add("127.0.0.1:" + n.settings().server().port());
      }

      assertThat(JCacheQuickStart.greet(seeds.toArray(String[]::new)))
          .isEqualTo("hello, ringcache");

      try (CacheClient client = CacheClient.builder().seeds(seeds).build()) {
        assertThat(client.caches().get("greetings").toCompletableFuture().join()).isPresent();
        assertThat(client.cache("greetings").size().toCompletableFuture().join()).isEqualTo(1);
      }
    }
  }
}
