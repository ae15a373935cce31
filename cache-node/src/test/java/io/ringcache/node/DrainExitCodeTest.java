package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * docs/rebalancing.md, "Graceful leave": a stopping node exits 0 when it drained, and 3 when
 * {@code --drain-timeout} ran out first (it leaves anyway). The exit code is what {@link
 * NodeMain#drainAndLeave} returns, called here in the JVM on a node of a test cluster. The drain
 * that cannot finish in time is held by the transfer gates, not by the clock: its ranges can
 * never arrive, so any timeout runs out, however loaded the machine.
 */
class DrainExitCodeTest {

  @Test
  void drainAndLeave_timeoutRunsOut_exit3_drainCompletes_exit0() {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(1).start(3)) {
      AntiEntropyTest.write(vertx, cluster, "drain-", 300, 50);
      CacheNode held = cluster.node(2);
      cluster.nodes().forEach(n -> n.transferGate().close());

      assertThat(NodeMain.drainAndLeave(held, Duration.ofMillis(300))).isEqualTo(3);

      cluster.forget(held);
      cluster.nodes().forEach(n -> n.transferGate().open());
      cluster.awaitStable();
      CacheNode free = cluster.node(1);

      assertThat(NodeMain.drainAndLeave(free, Duration.ofSeconds(TestCluster.TIMEOUT_SECONDS)))
          .isEqualTo(0);

      cluster.forget(free);
      cluster.awaitStable();
    } finally {
      TestCluster.await(vertx.close());
    }
  }
}
