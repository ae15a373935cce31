package io.ringcache.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.security.NodeTls;
import io.ringcache.node.testing.FakePeer;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of replica writes in {@link NetPeerClient}: the REPLICATEs one event-loop turn sends
 * to one peer leave as one REPLICATE_BATCH frame (counted at a fake peer, not inferred from
 * calls), and each caller's future still completes with its own entry's outcome, or with the
 * failure that hit the whole frame (a refusal, a timeout, a dropped connection).
 */
class ReplicaBatchingTest {

  private static final long EPOCH = 7;
  private final Vertx vertx = Vertx.vertx();
  private final FrameCodec codec = new FrameCodec(ProtocolLimits.defaults());
  private final FakePeer peer = new FakePeer(vertx, codec);
  private final Context context = vertx.getOrCreateContext();
  private final BatchCounters counters = new BatchCounters();
  private NetPeerClient client = client(5_000);

  private NetPeerClient client(long timeoutMillis) {
    return new NetPeerClient(vertx, context, codec, timeoutMillis,
        new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test", new byte[] {1}),
        () -> EPOCH, NodeTls.off(), counters);
  }

  @AfterEach
  void close() throws Exception {
    peer.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Request.Replicate entry(int i) {
    return entry(i, 10);
  }

  private static Request.Replicate entry(int i, int valueBytes) {
    return new Request.Replicate(Key.of("k" + i), 100 + i, -1, false,
        Buffer.buffer(new byte[valueBytes]));
  }

  /** Sends every request in one event-loop turn; returns each call's settled outcome. */
  private List<AsyncResult<Response>> sendInOneTurn(List<Request.Replicate> requests,
      Function<Integer, Long> epochOf) throws Exception {
    CompletableFuture<List<Future<Response>>> sent = new CompletableFuture<>();
    context.runOnContext(v -> {
      List<Future<Response>> all = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        all.add(client.send(peer.address(), 0, epochOf.apply(i), requests.get(i)));
      }
      sent.complete(all);
    });
    List<AsyncResult<Response>> settled = new ArrayList<>();
    for (Future<Response> f : sent.get(10, TimeUnit.SECONDS)) {
      CompletableFuture<AsyncResult<Response>> done = new CompletableFuture<>();
      f.onComplete(done::complete);
      settled.add(done.get(10, TimeUnit.SECONDS));
    }
    return settled;
  }

  private List<AsyncResult<Response>> sendInOneTurn(List<Request.Replicate> requests)
      throws Exception {
    return sendInOneTurn(requests, i -> EPOCH);
  }

  private static List<Request.Replicate> entries(int n) {
    List<Request.Replicate> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(entry(i));
    }
    return all;
  }

  /** OK for every entry, but STALE for key k7 (held 999) and CLOCK_OFFSET for k13. */
  private static Response perEntry(FakePeer.Received r) {
    if (!(r.request() instanceof Request.ReplicateBatch b)) {
      return new Response.Ok();
    }
    return new Response.ReplicaOutcomes(b.entries().stream().map(e -> switch (e.key().asString()) {
      case "k7" -> (Response) new Response.Stale(999);
      case "k13" -> new Response.Failure(Status.CLOCK_OFFSET, "k13 is too far ahead");
      default -> new Response.Ok();
    }).toList());
  }

  @Test
  void replicate_manyWritesOneTurn_oneFrame() throws Exception {
    peer.answers(ReplicaBatchingTest::perEntry);

    List<AsyncResult<Response>> out = sendInOneTurn(entries(100));

    assertThat(peer.data()).hasSize(1);
    Request.ReplicateBatch frame = (Request.ReplicateBatch) peer.data().get(0);
    assertThat(frame.entries()).isEqualTo(entries(100));
    assertThat(peer.received.get(1).epoch()).isEqualTo(EPOCH);
    assertThat(counters.frames.sum()).isEqualTo(1);
    assertThat(counters.entries.sum()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(out.get(i).succeeded()).as("entry %d", i).isTrue();
      Response r = out.get(i).result();
      switch (i) {
        case 7 -> assertThat(r).isEqualTo(new Response.Stale(999));
        case 13 -> assertThat(r)
            .isEqualTo(new Response.Failure(Status.CLOCK_OFFSET, "k13 is too far ahead"));
        default -> assertThat(r).as("entry %d", i).isEqualTo(new Response.Ok());
      }
    }
  }

  @Test
  void replicate_oneWriteOneTurn_goesAsPlainReplicate() throws Exception {
    peer.answers(r -> new Response.Stale(5));

    List<AsyncResult<Response>> out = sendInOneTurn(entries(1));

    assertThat(peer.data()).containsExactly(entry(0));
    assertThat(out.get(0).result()).isEqualTo(new Response.Stale(5));
  }

  @Test
  void replicate_moreThanEntryLimit_splitsIntoFramesInOrder() throws Exception {
    peer.answers(ReplicaBatchingTest::perEntry);

    List<AsyncResult<Response>> out = sendInOneTurn(entries(600));

    assertThat(peer.data()).extracting(r -> ((Request.ReplicateBatch) r).entries().size())
        .containsExactly(256, 256, 88);
    assertThat(peer.data().stream().flatMap(r -> ((Request.ReplicateBatch) r).entries().stream())
        .toList()).isEqualTo(entries(600));
    assertThat(out).allMatch(AsyncResult::succeeded);
    assertThat(out.get(7).result()).isEqualTo(new Response.Stale(999));
  }

  @Test
  void replicate_moreThanByteLimit_splitsBelowIt() throws Exception {
    peer.answers(ReplicaBatchingTest::perEntry);
    List<Request.Replicate> big = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      big.add(entry(i, 300 * 1024));
    }

    List<AsyncResult<Response>> out = sendInOneTurn(big);

    assertThat(peer.data()).extracting(r -> ((Request.ReplicateBatch) r).entries().size())
        .containsExactly(3, 3, 2);
    for (Request r : peer.data()) {
      assertThat(codec.encodeRequest(1, EPOCH, 0, r).length() - 20)
          .isLessThanOrEqualTo(NetPeerClient.BATCH_MAX_BYTES);
    }
    assertThat(out).allMatch(AsyncResult::succeeded);
  }

  @Test
  void replicate_twoEpochsOneTurn_oneFramePerEpoch() throws Exception {
    peer.answers(ReplicaBatchingTest::perEntry);

    sendInOneTurn(entries(10), i -> i < 5 ? EPOCH : EPOCH + 1);

    assertThat(peer.received.stream().skip(1).map(FakePeer.Received::epoch).toList())
        .containsExactly(EPOCH, EPOCH + 1);
  }

  @Test
  void replicate_batchRefusedAsWhole_everyCallerGetsTheRefusal() throws Exception {
    Response refusal = new Response.Failure(Status.WRONG_EPOCH, "peer is on epoch 8");
    peer.answers(r -> refusal);

    List<AsyncResult<Response>> out = sendInOneTurn(entries(20));

    assertThat(out).extracting(AsyncResult::result).containsOnly(refusal).hasSize(20);
  }

  @Test
  void replicate_answerWithWrongOutcomeCount_failsEveryCaller() throws Exception {
    peer.answers(r -> new Response.ReplicaOutcomes(List.of(new Response.Ok())));

    List<AsyncResult<Response>> out = sendInOneTurn(entries(3));

    assertThat(out).allMatch(AsyncResult::failed);
    assertThat(statuses(out)).containsOnly(Status.INTERNAL);
    assertThat(out.get(0).cause()).hasMessageContaining("1 outcomes to a batch of 3");
  }

  @Test
  void replicate_peerSilent_everyFutureTimesOut() throws Exception {
    client = client(200);

    List<AsyncResult<Response>> out = sendInOneTurn(entries(50));

    assertThat(peer.data()).hasSize(1);
    assertThat(out).allMatch(AsyncResult::failed);
    assertThat(statuses(out)).containsOnly(Status.TIMEOUT);
  }

  @Test
  void replicate_connectionDropped_everyFutureFailsUnavailable() throws Exception {
    peer.dropOn(Opcode.REPLICATE_BATCH);

    List<AsyncResult<Response>> out = sendInOneTurn(entries(50));

    assertThat(out).allMatch(AsyncResult::failed);
    assertThat(statuses(out)).containsOnly(Status.UNAVAILABLE);
  }

  @Test
  void replicate_oneEntryOverKeyLimit_failsAloneWithoutThrowing() throws Exception {
    peer.answers(ReplicaBatchingTest::perEntry);
    List<Request.Replicate> requests = new ArrayList<>(entries(3));
    requests.add(1, new Request.Replicate(Key.of("x".repeat(2000)), 1, -1, false,
        Buffer.buffer("v")));

    List<AsyncResult<Response>> out = sendInOneTurn(requests);

    assertThat(out.get(1).failed()).isTrue();
    assertThat(((PeerException) out.get(1).cause()).status()).isEqualTo(Status.KEY_TOO_LARGE);
    assertThat(List.of(out.get(0), out.get(2), out.get(3)))
        .allMatch(r -> r.succeeded() && r.result().status() == Status.OK);
    assertThat(((Request.ReplicateBatch) peer.data().get(0)).entries()).isEqualTo(entries(3));
  }

  private static List<Status> statuses(List<AsyncResult<Response>> out) {
    return out.stream().map(r -> ((PeerException) r.cause()).status())
        .collect(Collectors.toList());
  }
}
