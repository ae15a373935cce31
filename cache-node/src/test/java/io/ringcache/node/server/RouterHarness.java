package io.ringcache.node.server;

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
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * One {@link RequestRouter} of a node named {@value #SELF} on an event loop of its own, over a
 * real store and a topology the test installs, talking to the {@link PeerClient} the test gives
 * (a fake that records, or a real client towards a {@link io.ringcache.node.testing.FakePeer}).
 * The other owner is {@value #OTHER}; at RF=2 both own every key, and {@link #keyLedBy} picks a
 * key by which of the two coordinates it. Router-level tests of promises the docs make about
 * the request path use it, so each can name the fault it injects below the router.
 */
final class RouterHarness implements AutoCloseable {

  static final String SELF = "self";
  static final String OTHER = "other";

  final Vertx vertx = Vertx.vertx();
  final Context context = vertx.getOrCreateContext();
  final LocalStore store = LocalStore.create(
      new StoreConfig(8 << 20, Duration.ofSeconds(60)), HybridClock.forNode(SELF));
  final TopologyHolder topology = new TopologyHolder(2);
  final NodeStats stats = new NodeStats();
  private RequestRouter router;

  /** Request-path settings of {@value #SELF} with these write acks, read owners and timeout. */
  static ServerSettings settings(boolean writeAcksAll, boolean readFromAny, long timeoutMillis) {
    return new ServerSettings(SELF, "127.0.0.1", 0, 0, writeAcksAll, readFromAny, 10, 10,
        timeoutMillis, "", ProtocolLimits.defaults());
  }

  /** The two-member STABLE topology of {@code epoch}, {@code other} being OTHER's address. */
  static Topology twoOwners(long epoch, NodeAddress other) {
    Ring ring = Ring.builder().add(Member.of(SELF), 0L).add(Member.of(OTHER), Long.MIN_VALUE / 2)
        .build();
    return Topology.stable(epoch, 2, List.of(
        new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP), other), ring);
  }

  static NodeAddress otherAt(int port) {
    return new NodeAddress(OTHER, "127.0.0.1", port, 0, NodeAddress.State.UP);
  }

  /** Builds the router on its event loop; {@code peers} gets that loop's context. */
  RouterHarness start(ServerSettings settings, Function<Context, PeerClient> peers) {
    router = onLoop(() -> new RequestRouter(settings, store, WriteLog.withDefaults(), topology,
        peers.apply(context), stats, new StatsReport(SELF, store, topology, stats, null),
        new ServerMetrics() {
          @Override
          public void requestServed(Opcode op, Status status, long nanos) {}

          @Override
          public String scrape() {
            return "";
          }
        }));
    return this;
  }

  /** A key whose first write owner in the installed topology is {@code coordinator}. */
  String keyLedBy(String coordinator) {
    Topology t = topology.current();
    return IntStream.range(0, 1_000).mapToObj(i -> "key-" + i)
        .filter(k -> t.writeReplicas(Key.of(k).position()).get(0).name().equals(coordinator))
        .findFirst().orElseThrow();
  }

  /** Hands {@code request} to the router on its loop; the future is that of the router. */
  Future<Response> send(Request request, int flags, long epoch) {
    return onLoop(() -> router.handle(request, flags, epoch));
  }

  /** Serves {@code request} and waits for the answer. */
  Response serve(Request request, int flags, long epoch) {
    return await(send(request, flags, epoch));
  }

  /** Runs {@code task} on the router's event loop and returns what it returned. */
  <T> T onLoop(Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(task.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.orTimeout(10, TimeUnit.SECONDS).join();
  }

  static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  /** A peer client that answers every send with what {@code answers} gives and records it. */
  static final class ScriptedPeers implements PeerClient {
    /** One call of {@link #send}. */
    record Sent(NodeAddress peer, int flags, long epoch, Request request) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Function<Sent, Future<Response>> answers;

    ScriptedPeers(Function<Sent, Future<Response>> answers) {
      this.answers = answers;
    }

    /** Answers every send with {@code answer}. */
    static ScriptedPeers always(Response answer) {
      return new ScriptedPeers(s -> Future.succeededFuture(answer));
    }

    /** Leaves every send unanswered until the test completes the promise it holds. */
    static ScriptedPeers holding(List<Promise<Response>> held) {
      return new ScriptedPeers(s -> {
        Promise<Response> p = Promise.promise();
        held.add(p);
        return p.future();
      });
    }

    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      Sent s = new Sent(peer, flags, epoch, request);
      sent.add(s);
      return answers.apply(s);
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
