package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.ring.Member;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The write-too-old push never drags a clock past its limit: when the version a replica holds
 * lies further ahead of the coordinating owner's clock than the coordinator's max-clock-offset
 * (node-0 runs with 10 ms; the replica accepted the entry under the default 500 ms), the write
 * fails instead of being acknowledged or re-stamped. The coordinator applied it, so the client
 * gets UNAVAILABLE (maybe applied) naming the clock offset, never a not-applied status.
 */
class StaleReplicaOffsetTest {

  @Test
  void set_replicaHoldsVersionBeyondCoordinatorsOffset_failsWithClockOffset_clockUnchanged() {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(3, s -> s.server().nodeName().equals("node-0")
        ? new CacheNode.Settings(s.cluster(), s.server(),
            s.store().withMaxClockOffset(Duration.ofMillis(10)), s.replicationFactor(),
            s.tokens(), s.eventLoops(), s.transferWindow(), s.transferBytesPerSecond())
        : s)) {
      cluster.start(3);
      CacheNode coordinator = cluster.node("node-0");
      String key = IntStream.range(0, 1_000).mapToObj(i -> "offset-" + i)
          .filter(k -> owners(coordinator, k).get(0).equals("node-0"))
          .findFirst().orElseThrow();
      CacheNode replica = cluster.node(owners(coordinator, key).get(1));
      long ahead;
      Response r;
      try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port());
          RawClient peer = RawClient.connect(vertx, replica.settings().server().port())) {
        assertThat(c.call(new Request.Set(Key.of(key), Buffer.buffer("warm-up"), 0,
            SetMode.ALWAYS)).status()).as("warm-up write").isEqualTo(Status.OK);
        assertThat(peer.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
            replica.peerSecret().bytes())).status()).isEqualTo(Status.OK);
        ahead = HybridClock.forNode("fast-peer", () -> System.currentTimeMillis() + 450).next();
        assertThat(TestCluster.await(peer.send(new Request.Replicate(Key.of(key), ahead, -1,
            false, Buffer.buffer("ahead")), 0, replica.topology().epoch())).status())
            .isEqualTo(Status.OK);

        r = c.call(new Request.Set(Key.of(key), Buffer.buffer("mine"), 0, SetMode.ALWAYS));
      }

      assertThat(r.status()).as("%s; planted %d (%d ms ahead now), restamps %d", r, ahead,
          HybridClock.physicalMillis(ahead) - System.currentTimeMillis(),
          coordinator.stats().restamps.sum()).isEqualTo(Status.UNAVAILABLE);
      assertThat(((Response.Failure) r).message()).contains("max-clock-offset", "re-stamp");
      assertThat(coordinator.store().get(StoreKey.of(key)).version())
          .as("the coordinator's copy keeps its own, lower version").isLessThan(ahead);
      assertThat(coordinator.stats().restamps.sum()).isZero();
    } finally {
      TestCluster.await(vertx.close());
    }
  }

  private static List<String> owners(CacheNode node, String key) {
    return node.topology().writeReplicas(Key.of(key).position()).stream().map(Member::name)
        .toList();
  }
}
