package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A write whose coordination moves to another owner while it replicates (the replica installed
 * the next topology first and refuses the write's epoch; the next topology makes that replica the
 * key's coordinator). The new coordinator may already have applied writes of its own to the key,
 * built on the value it held, so an increment or a conditional write this node computed from its
 * own copy must not be acknowledged: it fails as "maybe applied" (the client resends it with its
 * write id to the new coordinator). A plain SET does not build on the value and is still resent
 * and acknowledged.
 */
class RequestRouterCoordinatorMoveTest {

  private static final String SELF = "self";
  private static final String OTHER = "other";
  private static final List<NodeAddress> NODES = List.of(
      new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP),
      new NodeAddress(OTHER, "127.0.0.1", 3, 4, NodeAddress.State.UP));

  private final Vertx vertx = Vertx.vertx();
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode(SELF));
  private final TopologyHolder topology = new TopologyHolder(2);

  RequestRouterCoordinatorMoveTest() {
    topology.install(Topology.stable(1, 2, NODES, ring(SELF, OTHER)));
  }

  /** Two tokens; the first named member owns position 0 and, at RF=2, both own every key. */
  private static Ring ring(String first, String second) {
    return Ring.builder().add(Member.of(first), 0L).add(Member.of(second), Long.MIN_VALUE / 2)
        .build();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The other owner: refuses the first REPLICATE with WRONG_EPOCH after installing, here, the
   * topology it already has (in which it coordinates the key); acknowledges the rest.
   */
  private final class MovedReplica implements PeerClient {
    final List<Request.Replicate> received = new ArrayList<>();
    private final Topology next;

    MovedReplica(Topology next) {
      this.next = next;
    }

    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      received.add((Request.Replicate) request);
      if (received.size() == 1) {
        topology.install(next);
        return Future.succeededFuture(Response.Failure.of(Status.WRONG_EPOCH));
      }
      return Future.succeededFuture(new Response.Ok());
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** A key this node coordinates in epoch 1 and OTHER coordinates in the next topology. */
  private String movingKey(Topology next) {
    return IntStream.range(0, 1_000).mapToObj(i -> "key-" + i)
        .filter(k -> topology.current().writeReplicas(Key.of(k).position()).get(0).name()
            .equals(SELF))
        .filter(k -> next.writeReplicas(Key.of(k).position()).get(0).name().equals(OTHER))
        .findFirst().orElseThrow();
  }

  private Response serve(PeerClient peers, Request request) throws Exception {
    Promise<Response> answer = Promise.promise();
    ServerSettings settings = new ServerSettings(SELF, "127.0.0.1", 0, 0, true, false, 10, 10,
        2_000, "", ProtocolLimits.defaults());
    ServerMetrics metrics = new ServerMetrics() {
      @Override
      public void requestServed(Opcode op, Status status, long nanos) {}

      @Override
      public String scrape() {
        return "";
      }
    };
    NodeStats stats = new NodeStats();
    vertx.getOrCreateContext().runOnContext(v -> new RequestRouter(settings, store,
        WriteLog.withDefaults(), topology, peers, stats,
        new StatsReport(SELF, store, topology, stats, null), metrics)
        .handle(request, 0, 0).onComplete(answer));
    return answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Topology movedTo(String coordinator, String other) {
    return Topology.stable(2, 2, NODES, ring(coordinator, other));
  }

  @Test
  void increment_coordinationMovesMidReplication_failsMaybeApplied_notResent() throws Exception {
    Topology next = movedTo(OTHER, SELF);
    MovedReplica replica = new MovedReplica(next);

    Response r = serve(replica, new Request.Increment(Key.of(movingKey(next)), 1, 0));

    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(((Response.Failure) r).message()).contains("'other'", "may be applied");
    assertThat(replica.received).hasSize(1);
  }

  @Test
  void conditionalSet_coordinationMovesMidReplication_failsMaybeApplied() throws Exception {
    Topology next = movedTo(OTHER, SELF);
    MovedReplica replica = new MovedReplica(next);

    Response r = serve(replica, new Request.Set(Key.of(movingKey(next)), Buffer.buffer("v"), 0,
        SetMode.IF_ABSENT));

    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(replica.received).hasSize(1);
  }

  @Test
  void plainSet_coordinationMovesMidReplication_resentAndAcknowledged() throws Exception {
    Topology next = movedTo(OTHER, SELF);
    MovedReplica replica = new MovedReplica(next);

    Response r = serve(replica, new Request.Set(Key.of(movingKey(next)), Buffer.buffer("v"), 0,
        SetMode.ALWAYS));

    assertThat(r).isInstanceOf(Response.Stored.class);
    assertThat(replica.received).hasSize(2);
  }

  @Test
  void increment_topologyChangesButCoordinationStays_resentAndCounted() throws Exception {
    Topology next = Topology.stable(2, 2, NODES, ring(SELF, OTHER));
    MovedReplica replica = new MovedReplica(next);
    String key = IntStream.range(0, 1_000).mapToObj(i -> "key-" + i)
        .filter(k -> next.writeReplicas(Key.of(k).position()).get(0).name().equals(SELF))
        .findFirst().orElseThrow();

    Response r = serve(replica, new Request.Increment(Key.of(key), 5, 0));

    assertThat(r).isInstanceOf(Response.Counter.class);
    assertThat(((Response.Counter) r).value()).isEqualTo(5);
    assertThat(replica.received).hasSize(2);
  }
}
