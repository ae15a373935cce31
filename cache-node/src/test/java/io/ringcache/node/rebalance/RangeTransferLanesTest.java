package io.ringcache.node.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.topology.Self;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lanes of one target stop together: when one lane's window is refused, its siblings send no
 * further window, since the rebalancer retries the whole target and a failed run's lanes must not
 * stream beside the retry. The peer answers at once, so each lane runs to its end before the next
 * one starts, which makes the count of sent entries exact.
 */
class RangeTransferLanesTest {

  private static final int WINDOW = 16;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void run_oneLaneRefused_siblingLanesSendNoFurtherWindow() throws Exception {
    LocalStore store = LocalStore.create(new StoreConfig(64 << 20, Duration.ofSeconds(60)),
        HybridClock.forNode("a"));
    for (int i = 0; i < 4_000; i++) {
      store.set(StoreKey.of("k" + i), "v".getBytes(StandardCharsets.US_ASCII), 0, SetMode.ALWAYS);
    }
    Ring read = Ring.builder().add(Member.of("a"), 0L).build();
    Ring write = Ring.builder().add(Member.of("a"), 0L).add(Member.of("b"), Long.MIN_VALUE / 2)
        .build();
    Topology t = new Topology(2, 1, Topology.Phase.TRANSFER, List.of(
        new NodeAddress("a", "127.0.0.1", 1, 2, NodeAddress.State.UP),
        new NodeAddress("b", "127.0.0.1", 3, 4, NodeAddress.State.JOINING)), read, write);
    AtomicInteger sent = new AtomicInteger();
    PeerClient refusesTheFirstEntry = new PeerClient() {
      @Override
      public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
        return Future.succeededFuture(sent.incrementAndGet() == 1
            ? new Response.Failure(Status.BUSY, "refused for the test")
            : new Response.Ok());
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    Context context = vertx.getOrCreateContext();
    RangeTransfer transfer = new RangeTransfer(vertx, context, new Self("a", ""), store,
        io.ringcache.node.store.WriteLog.withDefaults(),
        refusesTheFirstEntry, new RebalanceStatus(), new TransferGate(), WINDOW, 0, () -> 2L);

    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    context.runOnContext(v -> transfer.run(t).onComplete(ar -> outcome.complete(ar.cause())));

    assertThat(outcome.get(10, TimeUnit.SECONDS)).isNotNull();
    // The refused lane's first window, and nothing after it: about 2,000 keys move to "b".
    assertThat(sent.get()).isEqualTo(WINDOW);
  }
}
