package io.ringcache.node.server;

import static io.ringcache.node.server.RouterHarness.OTHER;
import static io.ringcache.node.server.RouterHarness.SELF;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.NetPeerClient;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.FakePeer;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md, status 10: a write whose replica does not answer within the request timeout
 * is answered TIMEOUT ("may or may not have applied"), not UNAVAILABLE nor anything else, so a
 * client can tell a slow replica from one that is gone or refused; the coordinating owner holds
 * the write. The replica is a {@link FakePeer} on the wire behind the real {@link NetPeerClient},
 * so the timeout is the peer client's own: the slow replica accepts the connection and the HELLO
 * and never answers the REPLICATE. A replica that drops the connection instead is UNAVAILABLE.
 */
class SlowReplicaTimeoutTest {

  private static final long TIMEOUT_MILLIS = 2_000;

  private final RouterHarness node = new RouterHarness();
  private final FrameCodec codec = new FrameCodec(ProtocolLimits.defaults());
  private final FakePeer replica = new FakePeer(node.vertx, codec);

  SlowReplicaTimeoutTest() {
    node.topology.install(RouterHarness.twoOwners(5, replica.address(OTHER)));
    node.start(RouterHarness.settings(true, false, TIMEOUT_MILLIS), ctx -> new NetPeerClient(
        node.vertx, ctx, codec, TIMEOUT_MILLIS,
        new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:" + SELF, new byte[] {1}),
        () -> node.topology.current().epoch(), NodeTls.off()));
  }

  @AfterEach
  void close() {
    replica.close();
    node.close();
  }

  private Response set(String key) {
    return node.serve(new Request.Set(Key.of(key), Buffer.buffer("v"), 0, SetMode.ALWAYS), 0, 0);
  }

  @Test
  void set_replicaNeverAnswers_timeoutMaybeApplied() {
    String key = node.keyLedBy(SELF);

    Response r = set(key);

    assertThat(r.status()).isEqualTo(Status.TIMEOUT);
    assertThat(((Response.Failure) r).message()).contains("not by every replica");
    assertThat(node.store.replicaOf(StoreKey.of(key))).isNotNull();
    assertThat(replica.data()).isNotEmpty()
        .allSatisfy(q -> assertThat(q.opcode()).isIn(Opcode.REPLICATE, Opcode.REPLICATE_BATCH));
    assertThat(node.stats.replicationTimeouts.sum()).isPositive();
  }

  @Test
  void set_replicaDropsConnection_unavailableNotTimeout() {
    replica.dropOn(Opcode.REPLICATE);
    String key = node.keyLedBy(SELF);

    Response r = set(key);

    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(node.stats.replicationTimeouts.sum()).isZero();
  }
}
