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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Peer-only operations stay between peers (issue 11): a connection is served REPLICATE only after
 * a HELLO with the cluster's peer secret, and no replicated entry may drag the node's clock
 * further ahead than {@code max-clock-offset}. Transfers: {@link ClockOffsetTransferTest}.
 */
class PeerOnlyTest {

  private static TestCluster cluster;
  private static CacheNode node;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1).start(1);
    node = cluster.node(0);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    TestCluster.await(vertx.close());
  }

  private static RawClient connect() {
    return RawClient.connect(vertx, node.settings().server().port());
  }

  private static RawClient connectAsPeer(byte[] secret) {
    RawClient c = connect();
    Response hello = c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
        secret));
    assertThat(hello.status()).as("peer HELLO").isEqualTo(Status.OK);
    return c;
  }

  private static Response replicate(RawClient c, String key, long version) {
    return TestCluster.await(c.send(new Request.Replicate(Key.of(key), version, -1, false,
        Buffer.buffer("v")), 0, node.topology().epoch()));
  }

  /** Physical milliseconds of the version the node gives its next coordinated write. */
  private static long nextWritePhysicalMillis(RawClient c, String key) {
    Response set = c.call(new Request.Set(Key.of(key), Buffer.buffer("after"), 0,
        SetMode.ALWAYS));
    assertThat(set).as("a write the node coordinates").isInstanceOf(Response.Stored.class);
    return HybridClock.physicalMillis(((Response.Stored) set).version());
  }

  @Test
  void replicateFromClient_isForbidden_andNextCoordinatedWriteSucceeds() {
    long refusedBefore = node.stats().peerOnlyRefused.sum();
    try (RawClient c = connect()) {
      Response r = replicate(c, "poison", Long.MAX_VALUE);

      assertThat(r.status()).isEqualTo(Status.FORBIDDEN);
      assertThat(((Response.Failure) r).message()).contains("REPLICATE", "peer secret");
      assertThat(c.call(new Request.Get(Key.of("poison"))).status()).isEqualTo(Status.NOT_FOUND);
      assertThat(nextWritePhysicalMillis(c, "after-poison"))
          .isLessThan(System.currentTimeMillis() + 1_000);
      assertThat(c.isClosed()).as("the connection stays usable").isFalse();
    }
    assertThat(node.stats().peerOnlyRefused.sum()).isEqualTo(refusedBefore + 1);
    assertThat(node.metrics().scrape()).contains("ringcache_peer_only_refused_total");
  }

  @Test
  void antiEntropyFromClient_isForbidden_andRevealsNothing() {
    try (RawClient c = connect()) {
      Response digests = TestCluster.await(c.send(new Request.DigestRanges(List.of(
          io.ringcache.protocol.PositionRange.ALL)), 0, node.topology().epoch()));
      Response reconcile = TestCluster.await(c.send(new Request.ReconcileRange(
          io.ringcache.protocol.PositionRange.ALL, List.of()), 0, node.topology().epoch()));

      assertThat(digests.status()).isEqualTo(Status.FORBIDDEN);
      assertThat(reconcile.status()).as("would list every key's newer entry")
          .isEqualTo(Status.FORBIDDEN);
    }
  }

  @Test
  void writeOutcomesFromClient_areForbidden_soNoWriteCanBeSuppressed() {
    // A planted outcome would make the node answer a later write with that id without applying it.
    io.ringcache.protocol.WriteId id = new io.ringcache.protocol.WriteId(0xBAD, 1);
    Key key = Key.of("planted-counter");
    try (RawClient c = connect()) {
      Response planted = TestCluster.await(c.send(new Request.WriteOutcomes(List.of(
          new Request.LoggedWrite(id, key.position(), Request.WriteOutcome.COUNTED, 5, 41))), 0,
          node.topology().epoch()));

      assertThat(planted.status()).isEqualTo(Status.FORBIDDEN);
      Response counted = c.call(new Request.Increment(key, 1, 0, id));
      assertThat(counted).isInstanceOf(Response.Counter.class);
      assertThat(((Response.Counter) counted).value()).as("applied, not answered from a plant")
          .isEqualTo(1);
    }
  }

  @Test
  void replicateAfterClientHello_isForbidden() {
    try (RawClient c = connect()) {
      assertThat(c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "client")).status())
          .isEqualTo(Status.OK);

      assertThat(replicate(c, "client-hello", HybridClock.forNode("x").next()).status())
          .isEqualTo(Status.FORBIDDEN);
    }
  }

  @Test
  void peerWithSecret_isServed() {
    long version = HybridClock.forNode("other-node").next();
    try (RawClient c = connectAsPeer(node.peerSecret().bytes())) {
      assertThat(replicate(c, "from-peer", version).status()).isEqualTo(Status.OK);

      Response get = c.call(new Request.Get(Key.of("from-peer")));
      assertThat(get).isInstanceOf(Response.Value.class);
      assertThat(((Response.Value) get).version()).isEqualTo(version);
    }
  }

  @Test
  void peerWithWrongSecret_isRefused() {
    byte[] wrong = node.peerSecret().bytes();
    wrong[new SplittableRandom(11).nextInt(wrong.length)] ^= 1;
    try (RawClient c = connect()) {
      Future<Response> hello = c.send(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:x",
          wrong));
      Future<Response> pipelined = c.send(new Request.Replicate(Key.of("wrong-secret"),
          HybridClock.forNode("x").next(), -1, false, Buffer.buffer("v")), 0,
          node.topology().epoch());

      Response answer = TestCluster.await(hello);
      assertThat(answer.status()).isEqualTo(Status.AUTH_FAILED);
      assertThat(((Response.Failure) answer).message()).contains("peer secret");
      assertThat(c.awaitClosed(5)).as("connection closed after a wrong peer secret").isTrue();
      // Still pending (the close has not reached it yet), failed, or refused: never served.
      assertThat(!pipelined.isComplete() || pipelined.failed()
          || pipelined.result().status() != Status.OK)
          .as("the REPLICATE sent behind the HELLO").isTrue();
    }
    assertThat(node.store().replicaOf(StoreKey.of("wrong-secret"))).isNull();
  }

  @Test
  void replicatedEntry_farInTheFuture_isRefusedWithClockOffset_clockUnchanged() {
    long rejectedBefore = node.stats().clockOffsetRejected.sum();
    long future = HybridClock.forNode("skewed", () -> System.currentTimeMillis() + 60_000)
        .next();
    try (RawClient c = connectAsPeer(node.peerSecret().bytes())) {
      Response r = replicate(c, "from-the-future", future);

      assertThat(r.status()).isEqualTo(Status.CLOCK_OFFSET);
      assertThat(((Response.Failure) r).message()).contains("max-clock-offset");
      assertThat(replicate(c, "from-the-end", Long.MAX_VALUE).status())
          .isEqualTo(Status.CLOCK_OFFSET);
      assertThat(c.call(new Request.Get(Key.of("from-the-future"))).status())
          .isEqualTo(Status.NOT_FOUND);
      assertThat(nextWritePhysicalMillis(c, "after-future"))
          .isLessThan(System.currentTimeMillis() + 1_000);
    }
    assertThat(node.stats().clockOffsetRejected.sum()).isEqualTo(rejectedBefore + 2);
    assertThat(node.metrics().scrape()).contains("ringcache_clock_offset_rejected_total");
  }

  @Test
  void newCluster_getsNewPeerSecret_andRefusesTheOldOne() {
    try (TestCluster other = new TestCluster(1).start(1);
        RawClient c = RawClient.connect(vertx, other.node(0).settings().server().port())) {
      byte[] old = node.peerSecret().bytes();
      assertThat(other.node(0).peerSecret().bytes()).isNotEqualTo(old).hasSize(32);

      Response hello = c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:x", old));

      assertThat(hello.status()).isEqualTo(Status.AUTH_FAILED);
    }
  }
}
