package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/rebalancing.md, "Graceful leave": when every live member drains (the whole cluster is
 * being stopped), nobody could take the data, so the drains end at once instead of waiting out
 * their timeout. The drain timeout here is ten minutes and the wait for the drains is {@value
 * TestCluster#TIMEOUT_SECONDS} s, so a drain that waited for its timeout fails the test.
 */
class AllMembersDrainingTest {

  @Test
  void everyMemberDrainsAtOnce_everyDrainEndsWithoutItsTimeout() {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      AntiEntropyTest.write(vertx, cluster, "all-", 300, 50);

      List<Future<Boolean>> drains = cluster.nodes().stream()
          .map(n -> n.drain(Duration.ofMinutes(10))).toList();

      for (Future<Boolean> d : drains) {
        assertThat(TestCluster.await(d)).isTrue();
      }
      assertThat(cluster.nodes()).allMatch(CacheNode::draining);
    } finally {
      TestCluster.await(vertx.close());
    }
  }
}
