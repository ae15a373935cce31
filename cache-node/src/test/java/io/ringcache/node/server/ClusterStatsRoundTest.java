package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/cluster/stats} asks every member for its stats; a client polling it in a tight
 * loop must not multiply that: callers that ask while a round is out share it, so a router has at
 * most one STATS per member in flight.
 */
class ClusterStatsRoundTest {

  private static final List<NodeAddress> NODES = List.of(
      new NodeAddress("self", "127.0.0.1", 1, 2, NodeAddress.State.UP),
      new NodeAddress("other", "127.0.0.1", 3, 4, NodeAddress.State.UP));

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The other member: holds every STATS answer until the test releases them. */
  private static final class SlowPeer implements PeerClient {
    final List<Promise<Response>> asked = new ArrayList<>();

    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      assertThat(request).isInstanceOf(Request.GetStats.class);
      Promise<Response> p = Promise.promise();
      asked.add(p);
      return p.future();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @Test
  void callersDuringARound_shareIt_andTheNextRoundAsksAgain() throws Exception {
    TopologyHolder topology = new TopologyHolder(2);
    topology.install(Topology.stable(1, 2, NODES, Ring.builder().add(Member.of("self"), 0L)
        .add(Member.of("other"), Long.MIN_VALUE / 2).build()));
    LocalStore store = LocalStore.create(new StoreConfig(8 << 20, Duration.ofSeconds(60)),
        HybridClock.forNode("self"));
    SlowPeer peer = new SlowPeer();
    NodeStats stats = new NodeStats();
    ServerMetrics metrics = new ServerMetrics() {
      @Override
      public void requestServed(Opcode op, Status status, long nanos) {}

      @Override
      public String scrape() {
        return "";
      }
    };
    ServerSettings settings = new ServerSettings("self", "127.0.0.1", 0, 0, true, false, 10, 10,
        2_000, "", ProtocolLimits.defaults());
    CompletableFuture<List<JsonObject>> answers = new CompletableFuture<>();
    CompletableFuture<Integer> askedAfterFirstRound = new CompletableFuture<>();
    CompletableFuture<Integer> askedDuring = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        RequestRouter router = new RequestRouter(settings, store, WriteLog.withDefaults(),
            topology, peer, stats, new StatsReport("self", store, topology, stats,
                new io.ringcache.node.rebalance.RebalanceStatus()),
            metrics);
        List<Future<JsonObject>> polls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          polls.add(router.clusterStats());
        }
        int askedDuringRound = peer.asked.size();
        askedDuring.complete(askedDuringRound);
        peer.asked.forEach(p -> p.complete(new Response.Stats("{\"node\":\"other\"}")));
        Future.all(polls).onComplete(all -> {
          if (all.failed()) {
            answers.completeExceptionally(all.cause());
            return;
          }
          answers.complete(all.result().<JsonObject>list());
          router.clusterStats();
          askedAfterFirstRound.complete(peer.asked.size() - askedDuringRound);
        });
      } catch (RuntimeException | AssertionError e) {
        askedDuring.completeExceptionally(e);
      }
    });

    assertThat(askedDuring.get(10, TimeUnit.SECONDS)).as("STATS sent for 50 polls in one round")
        .isEqualTo(1);
    List<JsonObject> all = answers.get(10, TimeUnit.SECONDS);
    assertThat(all).hasSize(50);
    assertThat(all.get(49).getJsonObject("nodes").getJsonObject("other").getString("node"))
        .isEqualTo("other");
    assertThat(askedAfterFirstRound.get(10, TimeUnit.SECONDS))
        .as("a poll after the round ended starts a new one").isEqualTo(1);
  }
}
