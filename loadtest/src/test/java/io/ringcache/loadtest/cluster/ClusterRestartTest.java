package io.ringcache.loadtest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.CacheClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole cluster restarts on the same addresses, and its epochs start over: a client that
 * lived through it must follow the new cluster's topology (a lower epoch, another cluster id)
 * instead of routing by the dead cluster's ring forever.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterRestartTest {

  @Test
  void wholeClusterRestart_clientFollowsTheNewClustersTopology_andKeepsWorking() {
    try (LocalCluster cluster = LocalCluster.builder().nodes(2).replicationFactor(1)
        .logRoot(LocalClusterTest.LOG_ROOT).start()) {
      cluster.awaitReady();
      List<LocalNode> before = new ArrayList<>();
      for (String name : cluster.names()) {
        before.add(cluster.node(name).orElseThrow());
      }
      try (CacheClient client = CacheClient.builder().seeds(cluster.seeds())
          .requestTimeout(Duration.ofSeconds(2)).build()) {
        // Walk the old cluster's epochs up, so the new cluster starts below them.
        LocalNode extra = cluster.start("node-9");
        cluster.awaitReady();
        cluster.stop(extra.name());
        cluster.awaitReady();
        client.blocking().put("before-restart", new byte[] {1});
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> client.topology().epoch() > 3);
        long oldEpoch = client.topology().epoch();

        for (LocalNode n : before) {
          cluster.kill(n.name());
        }
        for (LocalNode n : before) {
          cluster.restartOnSamePorts(n);
        }
        cluster.awaitReady();

        // The data is gone with the old cluster (in memory only); the client must work again
        // and follow the new topology, whose epoch is below the old one.
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
          client.blocking().put("after-restart", new byte[] {2});
          return client.blocking().get("after-restart").isPresent();
        });
        Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
          client.blocking().get("after-restart");
          return client.topology().epoch() < oldEpoch;
        });
        assertThat(client.topology().members()).extracting(m -> m.name())
            .containsExactlyInAnyOrderElementsOf(before.stream().map(LocalNode::name).toList());
      }
    }
  }
}
