package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Key;
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
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node restarted under its old name (a new incarnation, an empty store) that installed a
 * topology still naming the earlier incarnation: it must not act as that owner. Reads and writes
 * of keys it would coordinate are refused with NOT_OWNER ("not applied": the client refreshes and
 * resends any call) naming both incarnations, REPLICATE is refused, and nothing lands in its
 * store; once a topology names this incarnation, or names none ("" = unknown), it owns as before.
 */
class RequestRouterIncarnationTest {

  private static final String SELF = "self";
  private static final String OTHER = "other";
  private static final String EARLIER = "incarnation-before-the-crash";
  private static final String CURRENT = "incarnation-after-the-restart";

  private final Vertx vertx = Vertx.vertx();
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode(SELF));
  private final TopologyHolder topology = new TopologyHolder(2);
  private final Ring ring = Ring.builder().add(Member.of(SELF), 0L)
      .add(Member.of(OTHER), Long.MIN_VALUE / 2).build();
  /** Every request this node sent to a peer; each answered OK. */
  private final List<Request> sent = new ArrayList<>();
  private final PeerClient peers = new PeerClient() {
    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      sent.add(request);
      return Future.succeededFuture(new Response.Ok());
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  };

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void install(long epoch, String selfIncarnation) {
    topology.install(Topology.stable(epoch, 2, List.of(
        new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP, selfIncarnation),
        new NodeAddress(OTHER, "127.0.0.1", 3, 4, NodeAddress.State.UP, "other-incarnation")),
        ring));
  }

  /** A key whose first owner (reads and writes) is {@code owner}. */
  private String keyOf(String owner) {
    return IntStream.range(0, 1_000).mapToObj(i -> "key-" + i)
        .filter(k -> topology.current().writeReplicas(Key.of(k).position()).get(0).name()
            .equals(owner))
        .findFirst().orElseThrow();
  }

  private Response serve(String incarnation, Request request, int flags, long epoch)
      throws Exception {
    Promise<Response> answer = Promise.promise();
    NodeStats stats = new NodeStats();
    ServerSettings settings = new ServerSettings(SELF, "127.0.0.1", 0, 0, true, false, 10, 10,
        2_000, "", ProtocolLimits.defaults()).withIncarnation(incarnation);
    ServerMetrics metrics = new ServerMetrics() {
      @Override
      public void requestServed(Opcode op, Status status, long nanos) {}

      @Override
      public String scrape() {
        return "";
      }
    };
    vertx.getOrCreateContext().runOnContext(v -> new RequestRouter(settings, store,
        WriteLog.withDefaults(), topology, peers, stats, new StatsReport(SELF, store, topology, stats, null), metrics)
        .handle(request, flags, epoch).onComplete(answer));
    return answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Response serve(Request request) throws Exception {
    return serve(CURRENT, request, 0, 0);
  }

  /** A replica write of {@code key} as its coordinating owner, {@value #OTHER}, sends it. */
  private static Request.Replicate replicaWrite(String key) {
    return new Request.Replicate(Key.of(key), HybridClock.forNode(OTHER).next(), -1, false,
        Buffer.buffer("v"));
  }

  private boolean held(String key) {
    return store.replicaOf(StoreKey.wrap(Key.of(key).toBytes())) != null;
  }

  private static void assertRefusedNamingBoth(Response r) {
    assertThat(r.status()).isEqualTo(Status.NOT_OWNER);
    assertThat(((Response.Failure) r).message()).contains(EARLIER).contains(CURRENT);
  }

  @Test
  void get_topologyNamesAnEarlierIncarnation_notOwnerNamingBoth_notNotFound() throws Exception {
    install(7, EARLIER);

    Response r = serve(new Request.Get(Key.of(keyOf(SELF))));

    assertRefusedNamingBoth(r);
    assertThat(sent).as("not forwarded to its own address").isEmpty();
  }

  @Test
  void forwardedGet_topologyNamesAnEarlierIncarnation_notOwner() throws Exception {
    install(7, EARLIER);

    Response r = serve(CURRENT, new Request.Get(Key.of(keyOf(SELF))), Flags.FORWARDED, 7);

    assertRefusedNamingBoth(r);
  }

  @Test
  void multiGet_topologyNamesAnEarlierIncarnation_eachOwnKeyNotOwner() throws Exception {
    install(7, EARLIER);

    Response r = serve(new Request.MultiGet(List.of(Key.of(keyOf(SELF)))));

    assertThat(((Response.Values) r).entries()).extracting(Response.Values.Entry::status)
        .containsExactly(Status.NOT_OWNER);
  }

  @Test
  void increment_topologyNamesAnEarlierIncarnation_notOwnerAndNotApplied() throws Exception {
    install(7, EARLIER);
    String key = keyOf(SELF);

    Response r = serve(new Request.Increment(Key.of(key), 1, 0));

    assertRefusedNamingBoth(r);
    assertThat(held(key)).as("counted from 0 on an empty store").isFalse();
    assertThat(sent).isEmpty();
  }

  @Test
  void multiSet_topologyNamesAnEarlierIncarnation_notOwnerAndNotApplied() throws Exception {
    install(7, EARLIER);
    String key = keyOf(SELF);

    Response r = serve(new Request.MultiSet(List.of(
        new Request.MultiSet.Entry(Key.of(key), Buffer.buffer("v"), 0))));

    assertThat(((Response.StoredAll) r).entries()).extracting(Response.StoredAll.Entry::status)
        .containsExactly(Status.NOT_OWNER);
    assertThat(held(key)).isFalse();
  }

  @Test
  void replicate_topologyNamesAnEarlierIncarnation_unavailableAndNotApplied() throws Exception {
    install(7, EARLIER);
    String key = keyOf(OTHER);

    Response r = serve(CURRENT, replicaWrite(key), 0, 7);

    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(((Response.Failure) r).message()).contains(EARLIER).contains(CURRENT);
    assertThat(held(key)).isFalse();
  }

  @Test
  void keyOfAnotherOwner_topologyNamesAnEarlierIncarnation_forwardedAsBefore() throws Exception {
    install(7, EARLIER);

    Response r = serve(new Request.Get(Key.of(keyOf(OTHER))));

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(sent).hasSize(1);
  }

  @Test
  void topologyNamesThisIncarnation_ownsItsKeys() throws Exception {
    install(8, CURRENT);
    String key = keyOf(SELF);

    assertThat(serve(new Request.Get(Key.of(key))).status()).isEqualTo(Status.NOT_FOUND);
    Response r = serve(new Request.Increment(Key.of(key), 1, 0));

    assertThat(r).isInstanceOf(Response.Counter.class);
    assertThat(((Response.Counter) r).value()).isEqualTo(1);
    assertThat(serve(CURRENT, replicaWrite(keyOf(OTHER)), 0, 8).status())
        .isEqualTo(Status.OK);
  }

  @Test
  void unknownIncarnation_onEitherSide_namesAlone_decideAsBefore() throws Exception {
    install(9, "");
    String key = keyOf(SELF);
    assertThat(serve(new Request.Increment(Key.of(key), 1, 0)))
        .isInstanceOf(Response.Counter.class);

    install(10, EARLIER);
    assertThat(serve("", new Request.Increment(Key.of(key), 1, 0), 0, 0))
        .isInstanceOf(Response.Counter.class);
  }
}
