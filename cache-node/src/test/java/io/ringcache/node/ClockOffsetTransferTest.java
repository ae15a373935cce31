package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.HybridClock;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transferred entry whose version lies far in the future is refused like a replicated one, and
 * does not stall the rebalance. The source, node-0, runs with a max-clock-offset of a day, so it
 * accepts such entries (as a node before the check did); node-1 joins with the default.
 */
class ClockOffsetTransferTest {

  private static final int KEYS = 40;

  @Test
  void transferredEntry_farInTheFuture_isRefused_clockUnchanged_rebalanceCompletes() {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(1, s -> s.server().nodeName().equals("node-0")
        ? new CacheNode.Settings(s.cluster(), s.server(),
            s.store().withMaxClockOffset(Duration.ofDays(1)), s.replicationFactor(), s.tokens(),
            s.eventLoops(), s.transferWindow(), s.transferBytesPerSecond())
        : s)) {
      CacheNode source = cluster.start(1).node(0);
      List<String> present = new ArrayList<>();
      List<String> future = new ArrayList<>();
      long farAhead = HybridClock.forNode("skewed", () -> System.currentTimeMillis() + 60_000)
          .next();
      try (RawClient c = RawClient.connect(vertx, source.settings().server().port())) {
        for (int i = 0; i < KEYS; i++) {
          present.add("present-" + i);
          assertThat(c.call(new Request.Set(Key.of("present-" + i), Buffer.buffer("v"), 0,
              SetMode.ALWAYS)).status()).isEqualTo(Status.OK);
        }
        assertThat(c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
            source.peerSecret().bytes())).status()).isEqualTo(Status.OK);
        for (int i = 0; i < KEYS; i++) {
          future.add("future-" + i);
          Response r = TestCluster.await(c.send(new Request.Replicate(Key.of("future-" + i),
              farAhead + i, -1, false, Buffer.buffer("f")), 0, source.topology().epoch()));
          assertThat(r.status()).as("node-0 accepts a day of offset").isEqualTo(Status.OK);
        }
      }

      CacheNode joined = cluster.startNode();
      cluster.awaitStable();
      assertThat(joined.peerSecret().bytes()).as("one secret per cluster")
          .isEqualTo(source.peerSecret().bytes());

      List<String> futureOnJoined = new ArrayList<>();
      for (String k : future) {
        if (owner(joined, k).equals(joined.name())) {
          futureOnJoined.add(k);
          assertThat(joined.store().replicaOf(StoreKey.of(k))).as(k).isNull();
        }
      }
      assertThat(futureOnJoined).as("far-future keys the join moved to node-1").isNotEmpty();
      for (String k : present) {
        CacheNode owner = cluster.node(owner(joined, k));
        assertThat(owner.store().replicaOf(StoreKey.of(k))).as("%s on %s", k, owner.name())
            .isNotNull();
      }
      assertThat(joined.stats().clockOffsetRejected.sum()).isEqualTo(futureOnJoined.size());
      long probe = joined.store().set(StoreKey.of("probe"), new byte[] {1}, 0, SetMode.ALWAYS)
          .version();
      assertThat(HybridClock.physicalMillis(probe))
          .as("node-1's clock after the transfer")
          .isLessThan(System.currentTimeMillis() + 1_000);
    } finally {
      TestCluster.await(vertx.close());
    }
  }

  private static String owner(CacheNode node, String key) {
    return node.topology().readReplicas(Key.of(key).position()).get(0).name();
  }
}
