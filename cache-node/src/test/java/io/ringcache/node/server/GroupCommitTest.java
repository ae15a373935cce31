package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.BatchCounters;
import io.ringcache.node.peer.NetPeerClient;
import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.testing.FakePeer;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.FrameCodec;
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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit seen from the coordinating owner: SETs served in one event-loop turn replicate to
 * the other owner (a {@link FakePeer} on the wire, behind a real {@link NetPeerClient}) as one
 * REPLICATE_BATCH frame, and a STALE on one entry of it re-stamps that write alone, which is
 * answered with the re-stamped version while the others keep theirs.
 */
class GroupCommitTest {

  private static final String SELF = "self";
  private static final String OTHER = "other";
  private static final int WRITES = 40;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final FrameCodec codec = new FrameCodec(ProtocolLimits.defaults());
  private final FakePeer peer = new FakePeer(vertx, codec);
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode(SELF));
  private final TopologyHolder topology = new TopologyHolder(2);
  private final HybridClock ahead =
      HybridClock.forNode(OTHER, () -> System.currentTimeMillis() + 100);
  private final NodeStats stats = new NodeStats();

  GroupCommitTest() {
    Ring ring = Ring.builder().add(Member.of(SELF), 0L).add(Member.of(OTHER), Long.MIN_VALUE / 2)
        .build();
    topology.install(Topology.stable(1, 2, List.of(
        new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP), peer.address(OTHER)),
        ring));
  }

  @AfterEach
  void close() throws Exception {
    peer.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Keys this node coordinates (the other owner is the replica). */
  private List<String> ownKeys(int n) {
    return IntStream.range(0, 10_000).mapToObj(i -> "key-" + i)
        .filter(k -> topology.current().writeReplicas(Key.of(k).position()).get(0).name()
            .equals(SELF))
        .limit(n).toList();
  }

  /** Serves every request in one turn of one router; returns the answers in order. */
  private List<Response> serveInOneTurn(List<Request> requests) throws Exception {
    CompletableFuture<List<Future<Response>>> started = new CompletableFuture<>();
    context.runOnContext(v -> {
      ServerSettings settings = new ServerSettings(SELF, "127.0.0.1", 0, 0, true, false, 10, 10,
          400, AuthTokens.NONE, ProtocolLimits.defaults(), NodeTls.off(),
          ConnectionSettings.DEFAULTS);
      NetPeerClient peers = new NetPeerClient(vertx, context, codec, 400,
          new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:" + SELF, new byte[] {1}),
          () -> topology.current().epoch(), NodeTls.off(), stats.replicaFrames);
      RequestRouter router = new RequestRouter(settings, store, WriteLog.withDefaults(),
          topology, peers, stats, new StatsReport(SELF, store, topology, stats, null),
          new ServerMetrics() {
            @Override
            public void requestServed(Opcode op, Status status, long nanos) {}

            @Override
            public String scrape() {
              return "";
            }
          });
      List<Future<Response>> all = new ArrayList<>();
      for (Request r : requests) {
        all.add(router.handle(r, 0, 0));
      }
      started.complete(all);
    });
    List<Response> answers = new ArrayList<>();
    for (Future<Response> f : started.get(10, TimeUnit.SECONDS)) {
      answers.add(f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
    return answers;
  }

  @Test
  void set_manyInOneTurn_oneBatchFrame_staleEntryReStampedAlone() throws Exception {
    List<String> keys = ownKeys(WRITES);
    String staleKey = keys.get(7);
    Set<String> staleOnce = new HashSet<>();
    peer.answers(r -> {
      List<Request.Replicate> entries = r.request() instanceof Request.ReplicateBatch b
          ? b.entries() : List.of((Request.Replicate) r.request());
      List<Response> outcomes = entries.stream().map(e ->
          e.key().asString().equals(staleKey) && staleOnce.add(staleKey)
              ? (Response) new Response.Stale(ahead.next()) : new Response.Ok()).toList();
      return r.request() instanceof Request.ReplicateBatch
          ? new Response.ReplicaOutcomes(outcomes) : outcomes.get(0);
    });
    List<Request> sets = keys.stream().<Request>map(k -> new Request.Set(Key.of(k),
        Buffer.buffer("v-" + k), 0, SetMode.ALWAYS)).toList();

    List<Response> answers = serveInOneTurn(sets);

    List<Request> frames = peer.data();
    assertThat(frames).hasSize(2);
    assertThat(((Request.ReplicateBatch) frames.get(0)).entries()).hasSize(WRITES);
    Request.Replicate restamped = (Request.Replicate) frames.get(1);
    assertThat(restamped.key().asString()).isEqualTo(staleKey);
    assertThat(stats.restamps.sum()).isEqualTo(1);
    assertThat(stats.replicaFrames.frames.sum()).isEqualTo(2);
    assertThat(stats.replicaFrames.entries.sum()).isEqualTo(WRITES + 1);
    for (int i = 0; i < WRITES; i++) {
      assertThat(answers.get(i)).as(keys.get(i)).isInstanceOf(Response.Stored.class);
      long version = ((Response.Stored) answers.get(i)).version();
      assertThat(store.get(StoreKey.of(keys.get(i))).version()).isEqualTo(version);
      long sent = ((Request.ReplicateBatch) frames.get(0)).entries().get(i).version();
      assertThat(version).as(keys.get(i))
          .isEqualTo(i == 7 ? restamped.version() : sent);
    }
    assertThat(restamped.version())
        .isGreaterThan(((Request.ReplicateBatch) frames.get(0)).entries().get(7).version());
  }

  @Test
  void set_manyInOneTurn_replicaSilent_everyWriteAnsweredMaybeApplied() throws Exception {
    List<Request> sets = ownKeys(10).stream().<Request>map(k -> new Request.Set(Key.of(k),
        Buffer.buffer("v"), 0, SetMode.ALWAYS)).toList();

    List<Response> answers = serveInOneTurn(sets);

    assertThat(answers).extracting(Response::status).containsOnly(Status.TIMEOUT).hasSize(10);
  }
}
