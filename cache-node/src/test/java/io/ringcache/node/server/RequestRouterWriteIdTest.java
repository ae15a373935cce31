package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.ReplicaEntry;
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
import io.ringcache.protocol.WriteId;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes that carry a {@link WriteId} are applied once however often they are sent. The replica
 * is a fake {@link PeerClient} with its own store that answers BUSY when told to, so the
 * coordinating owner applies a write, fails to replicate it and answers "maybe applied"
 * (UNAVAILABLE); the caller then resends the same request, as the client does.
 */
class RequestRouterWriteIdTest {

  private static final String SELF = "self";
  private static final String OTHER = "other";
  /** Short, so a replica that stays BUSY exhausts the replication budget (3/4 of it) quickly. */
  private static final long REQUEST_TIMEOUT_MILLIS = 120;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode(SELF));
  private final WriteLog writes = WriteLog.withDefaults();
  private final TopologyHolder topology = new TopologyHolder(2);
  private final NodeStats stats = new NodeStats();
  private final BusyReplica replica = new BusyReplica();
  private RequestRouter router;

  RequestRouterWriteIdTest() throws Exception {
    Ring ring = Ring.builder().add(Member.of(SELF), 0L).add(Member.of(OTHER), Long.MIN_VALUE / 2)
        .build();
    topology.install(Topology.stable(1, 2, List.of(
        new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP),
        new NodeAddress(OTHER, "127.0.0.1", 3, 4, NodeAddress.State.UP)), ring));
    ServerSettings settings = new ServerSettings(SELF, "127.0.0.1", 0, 0, true, false, 10, 10,
        REQUEST_TIMEOUT_MILLIS, "", ProtocolLimits.defaults());
    ServerMetrics metrics = new ServerMetrics() {
      @Override
      public void requestServed(Opcode op, Status status, long nanos) {}

      @Override
      public String scrape() {
        return "";
      }
    };
    Promise<RequestRouter> made = Promise.promise();
    context.runOnContext(v -> made.complete(new RequestRouter(settings, store, writes, topology,
        replica, stats, new StatsReport(SELF, store, topology, stats, null), metrics)));
    router = made.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The other owner: applies REPLICATEs to its own store, or answers BUSY (applying nothing)
   * while {@code busy} says so. Called on the router's event loop only.
   */
  private static final class BusyReplica implements PeerClient {
    final LocalStore store = LocalStore.create(
        new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode(OTHER));
    Supplier<Boolean> busy = () -> false;
    int busyAnswers;

    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      if (busy.get()) {
        busyAnswers++;
        return Future.succeededFuture(new Response.Failure(Status.BUSY, "busy (test)"));
      }
      Request.Replicate r = (Request.Replicate) request;
      long ttl = r.ttlMillis() == -1 ? ReplicaEntry.NO_TTL : r.ttlMillis();
      store.apply(StoreKey.wrap(r.key().toBytes()), r.tombstone()
          ? ReplicaEntry.tombstone(r.version(), ttl)
          : ReplicaEntry.value(r.value().getBytes(), r.version(), ttl));
      return Future.succeededFuture(new Response.Ok());
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** Keys this node coordinates. */
  private List<String> ownKeys(int n) {
    return IntStream.range(0, 10_000).mapToObj(i -> "key-" + i)
        .filter(k -> topology.current().writeReplicas(Key.of(k).position()).get(0).name()
            .equals(SELF))
        .limit(n).toList();
  }

  private Future<Response> send(Request request) {
    Promise<Response> answer = Promise.promise();
    context.runOnContext(v -> router.handle(request, 0, topology.epoch()).onComplete(answer));
    return answer.future();
  }

  private Response serve(Request request) throws Exception {
    return send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String counterOf(LocalStore s, String key) {
    return new String(s.get(StoreKey.of(key)).value(), StandardCharsets.US_ASCII);
  }

  @Test
  void increment_replicaBusy_resentWithSameId_countsOnce() throws Exception {
    String key = ownKeys(1).get(0);
    Request.Increment inc = new Request.Increment(Key.of(key), 1, 0, new WriteId(7, 1));
    replica.busy = () -> true;

    Response first = serve(inc);
    assertThat(first.status()).as("the write is applied here only: maybe applied")
        .isEqualTo(Status.UNAVAILABLE);
    replica.busy = () -> false;
    Response again = serve(inc);

    assertThat(again).isEqualTo(new Response.Counter(1, ((Response.Counter) again).version()));
    assertThat(counterOf(store, key)).isEqualTo("1");
    assertThat(counterOf(replica.store, key)).as("the resend replicated the entry").isEqualTo("1");
    assertThat(stats.writeRetriesAnswered.sum()).isEqualTo(1);

    Response next = serve(new Request.Increment(Key.of(key), 1, 0, new WriteId(7, 2)));
    assertThat(((Response.Counter) next).value()).as("a new id is a new increment").isEqualTo(2);
  }

  @Test
  void putIfAbsent_replicaBusy_resentWithSameId_reportsItsOwnSuccess() throws Exception {
    String key = ownKeys(1).get(0);
    Request.Set put = new Request.Set(Key.of(key), Buffer.buffer("mine"), 0, SetMode.IF_ABSENT,
        new WriteId(9, 1));
    replica.busy = () -> true;
    assertThat(serve(put).status()).isEqualTo(Status.UNAVAILABLE);
    replica.busy = () -> false;

    Response again = serve(put);

    assertThat(again).isInstanceOf(Response.Stored.class);
    assertThat(((Response.Stored) again).version()).isEqualTo(store.get(StoreKey.of(key))
        .version());
    Response other = serve(new Request.Set(Key.of(key), Buffer.buffer("theirs"), 0,
        SetMode.IF_ABSENT, new WriteId(10, 1)));
    assertThat(other.status()).as("another caller still meets the conflict")
        .isEqualTo(Status.EXISTS);
  }

  @Test
  void delete_resentWithSameId_reportsTheValueItRemoved() throws Exception {
    String key = ownKeys(1).get(0);
    assertThat(serve(new Request.Set(Key.of(key), Buffer.buffer("v"), 0, SetMode.ALWAYS)))
        .isInstanceOf(Response.Stored.class);
    Request.Delete delete = new Request.Delete(Key.of(key), new WriteId(3, 3));
    replica.busy = () -> true;
    assertThat(serve(delete).status()).isEqualTo(Status.UNAVAILABLE);
    replica.busy = () -> false;

    assertThat(serve(delete)).isInstanceOf(Response.Ok.class);
    assertThat(replica.store.get(StoreKey.of(key)).ok()).as("tombstone replicated").isFalse();
  }

  @Test
  void sameIdOnAnotherKey_isANewWrite() throws Exception {
    List<String> keys = ownKeys(2);
    WriteId id = new WriteId(5, 5);
    serve(new Request.Increment(Key.of(keys.get(0)), 4, 0, id));

    Response other = serve(new Request.Increment(Key.of(keys.get(1)), 6, 0, id));

    assertThat(((Response.Counter) other).value()).isEqualTo(6);
  }

  @Test
  void replicaThatRecordedTheWrite_answersTheResendAfterTakingOver() throws Exception {
    // This node was the replica of an increment another owner coordinated (and then died):
    // the resend comes here, and must not count again.
    String key = ownKeys(1).get(0);
    WriteId id = new WriteId(11, 1);
    HybridClock theirs = HybridClock.forNode(OTHER);
    long version = theirs.next();
    assertThat(serve(new Request.Replicate(Key.of(key), version, -1, false,
        Buffer.buffer("41"), id, Request.WriteOutcome.COUNTED))).isInstanceOf(Response.Ok.class);

    Response resent = serve(new Request.Increment(Key.of(key), 1, 0, id));

    assertThat(resent).isEqualTo(new Response.Counter(41, version));
    assertThat(counterOf(store, key)).isEqualTo("41");
  }

  /**
   * Callers increment a few keys at once, resending every "maybe applied" answer with the same
   * request until it is answered; the replica is BUSY at random, often enough that writes exhaust
   * the replication budget. Every counter must equal the increments answered OK, on both owners.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void concurrentIncrements_randomBusyReplica_countersEqualSuccesses(long seed)
      throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    replica.busy = () -> random.nextInt(100) < 70;
    List<String> keys = ownKeys(3);
    int callers = 12;
    int callsEach = 8;
    int[] succeeded = new int[keys.size()];
    AtomicInteger sequence = new AtomicInteger();
    List<Future<Void>> done = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int slot = c % keys.size();
      done.add(caller(keys.get(slot), callsEach, 0xCAFEL + c, sequence, () -> succeeded[slot]++));
    }
    Future.all(done).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    replica.busy = () -> false;

    for (int i = 0; i < keys.size(); i++) {
      assertThat(counterOf(store, keys.get(i))).as("coordinator's " + keys.get(i))
          .isEqualTo(String.valueOf(succeeded[i]));
    }
    assertThat(replica.busyAnswers).as("the replica was busy").isPositive();
    assertThat(stats.writeRetriesAnswered.sum()).as("resends were recognised").isPositive();
  }

  /** {@code calls} increments of {@code key} in a row, each resent until answered. */
  private Future<Void> caller(String key, int calls, long client, AtomicInteger sequence,
      Runnable onSuccess) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < calls; i++) {
      Request.Increment inc = new Request.Increment(Key.of(key), 1, 0,
          new WriteId(client, sequence.incrementAndGet()));
      chain = chain.compose(v -> untilAnswered(inc, 50)).map(r -> {
        if (r instanceof Response.Counter) {
          onSuccess.run();
        }
        return null;
      });
    }
    return chain;
  }

  private Future<Response> untilAnswered(Request request, int attemptsLeft) {
    return send(request).compose(r -> r.status() == Status.UNAVAILABLE && attemptsLeft > 1
        ? untilAnswered(request, attemptsLeft - 1) : Future.succeededFuture(r));
  }
}
