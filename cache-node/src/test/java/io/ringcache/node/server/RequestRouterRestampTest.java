package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinating owner's write-too-old push, against a replica (a fake {@link PeerClient})
 * that answers STALE a chosen number of times with a version ahead of the coordinator's clock:
 * each STALE leads to one re-stamp of the same outcome, the write is answered OK with the final
 * version, and after {@value RequestRouter#MAX_RESTAMPS} re-stamps it fails with UNAVAILABLE.
 */
class RequestRouterRestampTest {

  private static final String SELF = "self";
  private static final String OTHER = "other";

  private final Vertx vertx = Vertx.vertx();
  private final HybridClock clock = HybridClock.forNode(SELF);
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), clock);
  private final TopologyHolder topology = new TopologyHolder(2);

  RequestRouterRestampTest() {
    Ring ring = Ring.builder().add(Member.of(SELF), 0L).add(Member.of(OTHER), Long.MIN_VALUE / 2)
        .build();
    topology.install(Topology.stable(1, 2, List.of(
        new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP),
        new NodeAddress(OTHER, "127.0.0.1", 3, 4, NodeAddress.State.UP)), ring));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A replica that answers the first {@code staleAnswers} REPLICATEs with ever newer STALEs. */
  private static final class StaleReplica implements PeerClient {
    private final HybridClock ahead =
        HybridClock.forNode(OTHER, () -> System.currentTimeMillis() + 100);
    private final int staleAnswers;
    final List<Request.Replicate> received = new ArrayList<>();

    StaleReplica(int staleAnswers) {
      this.staleAnswers = staleAnswers;
    }

    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      received.add((Request.Replicate) request);
      return Future.succeededFuture(received.size() <= staleAnswers
          ? new Response.Stale(ahead.next()) : new Response.Ok());
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** A key this node coordinates. */
  private String ownKey() {
    return IntStream.range(0, 1_000).mapToObj(i -> "key-" + i)
        .filter(k -> topology.current().writeReplicas(Key.of(k).position()).get(0).name()
            .equals(SELF))
        .findFirst().orElseThrow();
  }

  private Response serve(PeerClient peers, Request request) throws Exception {
    Promise<Response> answer = Promise.promise();
    NodeStats stats = new NodeStats();
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
    vertx.getOrCreateContext().runOnContext(v -> new RequestRouter(settings, store,
        WriteLog.withDefaults(), topology, peers, stats,
        new StatsReport(SELF, store, topology, stats, null), metrics)
        .handle(request, 0, 0).onComplete(answer));
    return answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String text(Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void set_staleThreeTimes_reStampedThreeTimes_okWithFinalVersion() throws Exception {
    String key = ownKey();
    StaleReplica replica = new StaleReplica(3);

    Response r = serve(replica, new Request.Set(Key.of(key), Buffer.buffer("v"), 0,
        SetMode.ALWAYS));

    assertThat(r).isInstanceOf(Response.Stored.class);
    assertThat(replica.received).hasSize(4);
    for (int i = 1; i < replica.received.size(); i++) {
      assertThat(replica.received.get(i).version())
          .isGreaterThan(replica.received.get(i - 1).version());
      assertThat(text(replica.received.get(i).value())).isEqualTo("v");
    }
    long last = replica.received.get(3).version();
    assertThat(((Response.Stored) r).version()).isEqualTo(last);
    assertThat(store.get(StoreKey.of(key)).version()).isEqualTo(last);
  }

  @Test
  void set_staleFourTimes_unavailableAfterThreeReStamps() throws Exception {
    String key = ownKey();
    StaleReplica replica = new StaleReplica(Integer.MAX_VALUE);

    Response r = serve(replica, new Request.Set(Key.of(key), Buffer.buffer("v"), 0,
        SetMode.ALWAYS));

    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(((Response.Failure) r).message()).contains("3 re-stamps", "may be applied");
    assertThat(replica.received).hasSize(1 + ReplicaFanOut.MAX_RESTAMPS);
  }

  @Test
  void increment_staleOnce_reStampsTheResult_countsOnce() throws Exception {
    String key = ownKey();
    StaleReplica replica = new StaleReplica(1);

    Response r = serve(replica, new Request.Increment(Key.of(key), 7, 0));

    assertThat(r).isInstanceOf(Response.Counter.class);
    assertThat(((Response.Counter) r).value()).isEqualTo(7);
    assertThat(replica.received).extracting(m -> text(m.value())).containsExactly("7", "7");
    assertThat(((Response.Counter) r).version()).isEqualTo(replica.received.get(1).version());
    assertThat(new String(store.get(StoreKey.of(key)).value(), StandardCharsets.US_ASCII))
        .isEqualTo("7");
  }
}
