package io.ringcache.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.testing.TestPorts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Members configured with the same base cluster port, as several JVMs on one host would be. */
class SharedPortTest {

  @Test
  void clusterPort_sameBaseOnOneHost_secondMemberTakesTheNextPortAndJoins() {
    int base = TestPorts.next();
    try (MembershipCluster cluster = new MembershipCluster()) {
      ClusterSettings first =
          cluster.settings("one").clusterPort(base).seeds("127.0.0.1:" + base).build();
      ClusterSettings second = first.toBuilder().memberName("two").clientPort(TestPorts.next())
          .build();
      ClusteredNode one = cluster.start(first);
      ClusteredNode two = cluster.start(second);

      assertThat(one.hazelcast().getCluster().getLocalMember().getAddress().getPort())
          .isEqualTo(base);
      assertThat(two.hazelcast().getCluster().getLocalMember().getAddress().getPort())
          .isGreaterThan(base);
      await()
          .atMost(Duration.ofSeconds(MembershipCluster.TIMEOUT_SECONDS))
          .until(
              () ->
                  one.membership().members().size() == 2 && two.membership().members().size() == 2);
      assertThat(two.membership().snapshot().names()).containsExactly("one", "two");
    }
  }
}
