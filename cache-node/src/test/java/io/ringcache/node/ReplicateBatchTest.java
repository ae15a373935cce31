package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.WriteId;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * REPLICATE_BATCH on a real node: peer-only like REPLICATE, the epoch checked once for the whole
 * batch, every entry answered with its own outcome as a REPLICATE of it alone would be (OK, STALE
 * with the held version, CLOCK_OFFSET, BAD_REQUEST), write ids recorded per entry, and a malformed
 * batch refused without costing the connection.
 */
class ReplicateBatchTest {

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

  private static RawClient connectAsPeer() {
    RawClient c = connect();
    assertThat(c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
        node.peerSecret().bytes())).status()).isEqualTo(Status.OK);
    return c;
  }

  private static Request.Replicate entry(String key, long version) {
    return new Request.Replicate(Key.of(key), version, -1, false, Buffer.buffer("v" + version));
  }

  private static Response send(RawClient c, Request request, long epoch) {
    return TestCluster.await(c.send(request, 0, epoch));
  }

  @Test
  void batchFromClient_isForbidden_nothingApplied_connectionStaysUsable() {
    long version = HybridClock.forNode("x").next();
    try (RawClient c = connect()) {
      Response r = send(c, new Request.ReplicateBatch(List.of(entry("client-a", version),
          entry("client-b", version))), node.topology().epoch());

      assertThat(r.status()).isEqualTo(Status.FORBIDDEN);
      assertThat(((Response.Failure) r).message()).contains("REPLICATE_BATCH", "peer secret");
      assertThat(c.call(new Request.Ping()).status()).isEqualTo(Status.OK);
    }
    assertThat(node.store().replicaOf(StoreKey.of("client-a"))).isNull();
    assertThat(node.store().replicaOf(StoreKey.of("client-b"))).isNull();
  }

  @Test
  void batchFromPeer_eachEntryGetsItsOwnOutcome() {
    HybridClock other = HybridClock.forNode("other-node");
    long older = other.next();
    long newer = other.next();
    long future = HybridClock.forNode("skewed", () -> System.currentTimeMillis() + 60_000).next();
    try (RawClient c = connectAsPeer()) {
      long epoch = node.topology().epoch();
      assertThat(send(c, entry("held", newer), epoch).status()).isEqualTo(Status.OK);

      Response r = send(c, new Request.ReplicateBatch(List.of(entry("fresh", older),
          entry("held", older), entry("ahead", future), entry("zero", 0),
          new Request.Replicate(Key.of("gone"), newer, 1_000, true, Buffer.buffer()))), epoch);

      List<Response> outcomes = ((Response.ReplicaOutcomes) r).outcomes();
      assertThat(outcomes).hasSize(5);
      assertThat(outcomes.get(0)).isEqualTo(new Response.Ok());
      assertThat(outcomes.get(1)).isEqualTo(new Response.Stale(newer));
      assertThat(outcomes.get(2).status()).isEqualTo(Status.CLOCK_OFFSET);
      assertThat(((Response.Failure) outcomes.get(2)).message()).contains("max-clock-offset");
      assertThat(outcomes.get(3).status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(outcomes.get(4)).isEqualTo(new Response.Ok());
    }
    assertThat(node.store().replicaOf(StoreKey.of("fresh")).version()).isEqualTo(older);
    assertThat(node.store().replicaOf(StoreKey.of("held")).version()).isEqualTo(newer);
    assertThat(node.store().replicaOf(StoreKey.of("ahead"))).isNull();
    assertThat(node.store().replicaOf(StoreKey.of("gone")).tombstone()).isTrue();
  }

  @Test
  void batchOnAnotherEpoch_refusedAsWhole_nothingApplied() {
    long version = HybridClock.forNode("other-node").next();
    try (RawClient c = connectAsPeer()) {
      Response r = send(c, new Request.ReplicateBatch(List.of(entry("epoch-a", version),
          entry("epoch-b", version))), node.topology().epoch() + 5);

      assertThat(r.status()).isEqualTo(Status.WRONG_EPOCH);
    }
    assertThat(node.store().replicaOf(StoreKey.of("epoch-a"))).isNull();
    assertThat(node.store().replicaOf(StoreKey.of("epoch-b"))).isNull();
  }

  @Test
  void batchEntryWithWriteId_recordsItsOutcome_retryAnsweredNotApplied() {
    WriteId first = new WriteId(41, 1);
    WriteId second = new WriteId(41, 2);
    HybridClock other = HybridClock.forNode("other-node");
    long v1 = other.next();
    long v2 = other.next();
    try (RawClient c = connectAsPeer()) {
      Response r = send(c, new Request.ReplicateBatch(List.of(
          new Request.Replicate(Key.of("wid-a"), v1, -1, false, Buffer.buffer("a1"), first,
              Request.WriteOutcome.STORED),
          new Request.Replicate(Key.of("wid-b"), v2, -1, false, Buffer.buffer("b1"), second,
              Request.WriteOutcome.STORED))), node.topology().epoch());
      assertThat(((Response.ReplicaOutcomes) r).outcomes()).containsOnly(new Response.Ok());

      Response retryA = c.call(new Request.Set(Key.of("wid-a"), Buffer.buffer("a2"), 0,
          SetMode.ALWAYS, first));
      Response retryB = c.call(new Request.Set(Key.of("wid-b"), Buffer.buffer("b2"), 0,
          SetMode.ALWAYS, second));

      assertThat(retryA).isEqualTo(new Response.Stored(v1));
      assertThat(retryB).isEqualTo(new Response.Stored(v2));
    }
    assertThat(new String(node.store().replicaOf(StoreKey.of("wid-a")).value()))
        .isEqualTo("a1");
  }

  @Test
  void malformedBatch_badRequest_connectionKeepsServing() {
    try (RawClient c = connectAsPeer()) {
      Buffer body = Buffer.buffer().appendInt(3).appendUnsignedShort(1).appendString("k");
      Buffer frame = Buffer.buffer().appendInt(Frame.MIN_LENGTH + body.length())
          .appendUnsignedByte((short) Opcode.REPLICATE_BATCH.code()).appendUnsignedByte((short) 0)
          .appendUnsignedByte((short) 0).appendUnsignedByte((short) 0).appendInt(9_001)
          .appendLong(node.topology().epoch()).appendBuffer(body);
      var answer = c.expect(9_001);
      c.writeRaw(frame);

      Response r = TestCluster.await(answer);

      assertThat(r.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(((Response.Failure) r).message()).contains("REPLICATE_BATCH count 3");
      assertThat(c.call(new Request.Ping()).status()).isEqualTo(Status.OK);
      assertThat(c.isClosed()).isFalse();
    }
  }
}
