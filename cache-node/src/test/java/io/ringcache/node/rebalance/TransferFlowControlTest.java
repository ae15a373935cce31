package io.ringcache.node.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.Self;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rebalancing.md, "Transfer" and "Abort": a receiver gets its keys in 4 lanes of
 * {@code --transfer-window} entries, the next window of a lane only after the previous one is
 * acknowledged, so at most 4 windows are in flight; {@code --transfer-rate} paces the windows;
 * and a transfer whose epoch was superseded stops at its next window. Everything is counted in
 * entries sent, none in time: node "a" sends about half of {@value #KEYS} keys to joiner "b"
 * through a peer client the test scripts.
 */
class TransferFlowControlTest {

  private static final int KEYS = 4_000;
  private static final int WINDOW = 16;
  private static final long EPOCH = 2;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final LocalStore store = LocalStore.create(
      new StoreConfig(64 << 20, Duration.ofSeconds(60)), HybridClock.forNode("a"));
  private final Topology transfer;

  TransferFlowControlTest() {
    for (int i = 0; i < KEYS; i++) {
      store.set(StoreKey.of("k" + i), "v".getBytes(StandardCharsets.US_ASCII), 0, SetMode.ALWAYS);
    }
    Ring read = Ring.builder().add(Member.of("a"), 0L).build();
    Ring write = Ring.builder().add(Member.of("a"), 0L).add(Member.of("b"), Long.MIN_VALUE / 2)
        .build();
    transfer = new Topology(EPOCH, 1, Topology.Phase.TRANSFER, List.of(
        new NodeAddress("a", "127.0.0.1", 1, 2, NodeAddress.State.UP),
        new NodeAddress("b", "127.0.0.1", 3, 4, NodeAddress.State.JOINING)), read, write);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Keys of the store that "b" gains: what a complete transfer sends. */
  private long gainedByB() {
    return store.size() - countOwnedOnlyByA();
  }

  private long countOwnedOnlyByA() {
    AtomicLong n = new AtomicLong();
    store.forEachKey((key, position) -> {
      if (transfer.writeReplicas(position).stream().noneMatch(m -> m.name().equals("b"))) {
        n.incrementAndGet();
      }
    });
    return n.get();
  }

  /** A peer client answering each REPLICATE with {@code answer}; counts what it was sent. */
  private static final class Receiver implements PeerClient {
    final AtomicInteger sent = new AtomicInteger();
    private final Function<Integer, Future<Response>> answer;

    Receiver(Function<Integer, Future<Response>> answer) {
      this.answer = answer;
    }

    @Override
    public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
      assertThat(request).isInstanceOf(Request.Replicate.class);
      return answer.apply(sent.incrementAndGet());
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  private CompletableFuture<Throwable> run(Receiver receiver, int window, long bytesPerSecond,
      AtomicLong currentEpoch) {
    RangeTransfer t = new RangeTransfer(vertx, context, new Self("a", ""), store,
        WriteLog.withDefaults(), receiver, new RebalanceStatus(), new TransferGate(), window,
        bytesPerSecond, currentEpoch::get);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    context.runOnContext(v -> t.run(transfer).onComplete(ar -> outcome.complete(ar.cause())));
    return outcome;
  }

  /** Waits until the context has run every task queued so far. */
  private void drainContext() throws Exception {
    CompletableFuture<Void> turn = new CompletableFuture<>();
    context.runOnContext(v -> turn.complete(null));
    turn.get(10, TimeUnit.SECONDS);
  }

  @Test
  void window_atMostFourWindowsInFlight_andEveryKeyArrives() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    // Each answer comes on a later event-loop turn, so the lanes' windows overlap.
    Receiver receiver = new Receiver(n -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Promise<Response> p = Promise.promise();
      context.runOnContext(v -> {
        inFlight.decrementAndGet();
        p.complete(new Response.Ok());
      });
      return p.future();
    });

    Throwable failure = run(receiver, WINDOW, 0, new AtomicLong(EPOCH)).get(30, TimeUnit.SECONDS);

    assertThat(failure).isNull();
    assertThat((long) receiver.sent.get()).isEqualTo(gainedByB()).isGreaterThan(1_000);
    assertThat(mostInFlight.get()).isEqualTo(RangeTransfer.LANES * WINDOW);
  }

  @Test
  void rate_afterTheFirstWindowOfEachLane_nextWindowWaitsForItsTime() throws Exception {
    // At 1 byte per second each lane's first window (about 16 x 6 bytes) books over a minute:
    // the four first windows leave, then nothing until those minutes pass.
    Receiver receiver = new Receiver(n -> Future.succeededFuture(new Response.Ok()));

    CompletableFuture<Throwable> outcome = run(receiver, WINDOW, 1, new AtomicLong(EPOCH));
    Awaitility.await().atMost(30, TimeUnit.SECONDS)
        .until(() -> receiver.sent.get() >= RangeTransfer.LANES * WINDOW);
    drainContext();

    assertThat(receiver.sent.get()).isEqualTo(RangeTransfer.LANES * WINDOW);
    assertThat(outcome).isNotDone();
  }

  @Test
  void unpaced_sameTransferRunsToTheEnd() throws Exception {
    Receiver receiver = new Receiver(n -> Future.succeededFuture(new Response.Ok()));

    Throwable failure = run(receiver, WINDOW, 0, new AtomicLong(EPOCH)).get(30, TimeUnit.SECONDS);

    assertThat(failure).isNull();
    assertThat((long) receiver.sent.get()).isEqualTo(gainedByB());
  }

  @Test
  void superseded_stopsAtItsNextWindow() throws Exception {
    AtomicLong epoch = new AtomicLong(EPOCH);
    // The first entry's answer comes after a newer topology was installed on the sender.
    Receiver receiver = new Receiver(n -> {
      if (n == 1) {
        epoch.set(EPOCH + 1);
      }
      return Future.succeededFuture(new Response.Ok());
    });

    Throwable failure = run(receiver, WINDOW, 0, epoch).get(30, TimeUnit.SECONDS);

    assertThat(failure).isInstanceOf(PeerException.class).hasMessageContaining("superseded");
    assertThat(((PeerException) failure).status()).isEqualTo(Status.WRONG_EPOCH);
    // The window under way when the epoch changed, and not one entry more.
    assertThat(receiver.sent.get()).isEqualTo(WINDOW);
  }
}
