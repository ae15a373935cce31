package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.ring.Member;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A write whose second owner cannot be reached is never acknowledged as OK. */
class ReplicaFailureTest {

  @Test
  void unreachableReplica_turnsTheAnswerIntoAnErrorNeverOk() {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      CacheNode silent = cluster.node(2);
      TestCluster.await(silent.stopServing());
      int checked = 0;
      for (int i = 0; checked < 20; i++) {
        String key = "lost-replica-" + i;
        List<String> owners = cluster.node(0).topology().writeReplicas(Key.of(key).position())
            .stream().map(Member::name).toList();
        if (!owners.get(1).equals(silent.name())) {
          continue;
        }
        CacheNode primary = cluster.node(owners.get(0));
        try (RawClient c = RawClient.connect(vertx, primary.settings().server().port())) {
          Response r = c.call(new Request.Set(Key.of(key), Buffer.buffer("v"), 0,
              SetMode.ALWAYS));
          assertThat(r.status()).isIn(Status.UNAVAILABLE, Status.TIMEOUT);
          assertThat(((Response.Failure) r).message()).contains(silent.name());
        }
        checked++;
      }
      assertThat(cluster.node(0).stats().replicationFailures.sum()
          + cluster.node(1).stats().replicationFailures.sum()).isGreaterThanOrEqualTo(20);
    } finally {
      TestCluster.await(vertx.close());
    }
  }
}
