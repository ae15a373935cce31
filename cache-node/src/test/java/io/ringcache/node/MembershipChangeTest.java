package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Membership changes publish new topologies and new writes follow them. (Moving existing data is
 * the rebalancing issue's; here only placement of new writes and topology agreement are checked.)
 */
class MembershipChangeTest {

  @Test
  void joinAndLeave_publishHigherEpochsAndNewWritesFollowTheRing() {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(2).start(2)) {
      long first = cluster.awaitStable().epoch();

      CacheNode joined = cluster.startNode();
      Topology afterJoin = cluster.awaitStable();
      assertThat(afterJoin.epoch()).isGreaterThan(first);
      assertThat(afterJoin.readRing().contains(joined.name())).isTrue();
      writeAndCheckPlacement(vertx, cluster, "after-join-");

      CacheNode leaving = cluster.node(0);
      boolean wasCoordinator = leaving.isCoordinator();
      cluster.stop(leaving);
      Topology afterLeave = cluster.awaitStable();
      assertThat(afterLeave.epoch()).isGreaterThan(afterJoin.epoch());
      assertThat(afterLeave.readRing().contains(leaving.name())).isFalse();
      assertThat(wasCoordinator).isTrue();
      assertThat(cluster.nodes().stream().filter(CacheNode::isCoordinator).count()).isEqualTo(1);
      // Survivors keep every token they had: a leave hands out only the leaver's ranges (to
      // survivors the balance score picks, cut into pieces where long), so no survivor's key moves.
      for (CacheNode n : cluster.nodes()) {
        assertThat(afterLeave.readRing().tokensOf(n.name()))
            .contains(afterJoin.readRing().tokensOf(n.name()));
      }
      writeAndCheckPlacement(vertx, cluster, "after-leave-");
    } finally {
      TestCluster.await(vertx.close());
    }
  }

  private static void writeAndCheckPlacement(Vertx vertx, TestCluster cluster, String prefix) {
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      for (int i = 0; i < 100; i++) {
        String key = prefix + i;
        Response r = c.call(new Request.Set(Key.of(key),
            Buffer.buffer("v"), 0, SetMode.ALWAYS));
        assertThat(r.status()).isEqualTo(Status.OK);
        List<String> owners = cluster.node(0).topology().writeReplicas(Key.of(key).position())
            .stream().map(Member::name).toList();
        for (CacheNode n : cluster.nodes()) {
          assertThat(n.store().get(StoreKey.of(key)).ok()).isEqualTo(owners.contains(n.name()));
        }
      }
    }
  }
}
