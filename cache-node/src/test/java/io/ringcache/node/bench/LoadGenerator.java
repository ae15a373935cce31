package io.ringcache.node.bench;

import io.ringcache.node.bench.LoadOptions.Op;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop GET/SET load over raw binary-protocol connections, driven from one event loop.
 *
 * <h2>Design</h2>
 * The load is {@code inFlight} slots. A slot has at most one request outstanding and its index is
 * the request id, so an answer finds its send time by array index (no map, no boxing) and ids are
 * unique across all connections. Each answer frees its slot, which sends the next request at
 * once: exactly {@code inFlight} requests are outstanding until a phase stops issuing. Latency is
 * measured from the moment a request is queued for its socket to the moment its answer is parsed;
 * being closed-loop there is no schedule to fall behind, so no coordinated-omission correction.
 *
 * <p>Each key goes to the connection of the node given by {@code ownerOfKey} (its primary owner
 * when routing, always node 0 otherwise), round-robin among that node's connections. Frames for a
 * connection queued during one event-loop turn are written once at the end of the turn, as the
 * node's own connections do: one read of many answers causes one write of many requests.
 *
 * <h2>Concurrency</h2>
 * All state is confined to the event loop of {@link #context}; the public methods hop onto it and
 * return futures, which the calling thread waits on.
 *
 * <h2>Failure</h2>
 * A connection that closes fails the running phase. A phase that cannot drain its outstanding
 * requests within {@link #DRAIN_MILLIS} fails too: the slots would otherwise carry stale requests
 * into the next phase.
 */
final class LoadGenerator {

  private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long DRAIN_MILLIS = 10_000;
  /** GET answer body: version i64, TTL i64, value length i32, value. */
  private static final int GET_BODY_OVERHEAD = 20;

  private final Vertx vertx;
  private final Context context;
  private final FrameCodec codec;
  private final List<NodeAddress> nodes;
  private final int connectionCount;
  private final Key[] keys;
  private final int[] ownerOfKey;
  private final Buffer value;
  private final long epoch;
  private final long[] sentAt;
  private final boolean[] busy;
  private final SplittableRandom random = new SplittableRandom(0x5EED);

  /** Held so the client stays reachable: Vert.x closes a collected client and its sockets. */
  private NetClient client;
  private Conn[] conns;
  private int[][] connsOfNode;
  private int[] nextConnOfNode;

  private Op op;
  private boolean populating;
  private int nextPopulateKey;
  private boolean issuing;
  private long issued;
  private long maxIssued;
  private int outstanding;
  private Recorder recorder;
  private Promise<Void> drained;
  private long drainTimer = -1;
  private long phaseTimer = -1;
  private long answersFromOtherEpochs;
  private long unexpectedAnswers;

  LoadGenerator(Vertx vertx, FrameCodec codec, List<NodeAddress> nodes, int connectionCount,
      Key[] keys, int[] ownerOfKey, int valueBytes, int inFlight, long epoch) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.codec = codec;
    this.nodes = List.copyOf(nodes);
    this.connectionCount = connectionCount;
    this.keys = keys;
    this.ownerOfKey = ownerOfKey;
    byte[] bytes = new byte[valueBytes];
    new SplittableRandom(7).nextBytes(bytes);
    this.value = Buffer.buffer(bytes);
    this.epoch = epoch;
    this.sentAt = new long[inFlight];
    this.busy = new boolean[inFlight];
  }

  /** Opens {@code connectionCount} connections, connection i to node {@code i % nodes}. */
  Future<Void> connect() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
          .setConnectTimeout(5_000));
      conns = new Conn[connectionCount];
      List<List<Integer>> byNode = new ArrayList<>();
      nodes.forEach(n -> byNode.add(new ArrayList<>()));
      List<Future<NetSocket>> opening = new ArrayList<>();
      for (int i = 0; i < connectionCount; i++) {
        int node = i % nodes.size();
        byNode.get(node).add(i);
        NodeAddress a = nodes.get(node);
        opening.add(client.connect(a.clientPort(), a.host()));
      }
      connsOfNode = byNode.stream()
          .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
      nextConnOfNode = new int[nodes.size()];
      Future.all(opening).onComplete(ar -> {
        if (ar.failed()) {
          done.fail(ar.cause());
          return;
        }
        for (int i = 0; i < connectionCount; i++) {
          conns[i] = new Conn(opening.get(i).result(), nodes.get(i % nodes.size()).name());
        }
        done.complete();
      });
    });
    return done.future();
  }

  /** Writes every key once, in order, {@code inFlight} at a time; unrecorded apart from errors. */
  Future<PhaseResult> populate() {
    Promise<PhaseResult> result = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      Recorder r = begin(Op.SET, true, Long.MAX_VALUE);
      drained.future().onComplete(ar -> result.handle(ar.map(x ->
          r.result(Op.SET, (System.nanoTime() - start) / 1e9))));
      fill();
    });
    return result.future();
  }

  /**
   * Runs {@code op} at full depth for {@code warmupSeconds} unrecorded, then
   * {@code measureSeconds} recorded; ends early after {@code maxOps} requests.
   */
  Future<PhaseResult> measure(Op op, int warmupSeconds, int measureSeconds, long maxOps) {
    Promise<PhaseResult> result = Promise.promise();
    context.runOnContext(v -> {
      begin(op, false, maxOps);
      Recorder measured = new Recorder();
      long[] start = new long[1];
      drained.future().onComplete(ar -> {
        if (ar.failed()) {
          result.fail(ar.cause());
        } else if (measured.answers == 0) {
          result.fail("no answer arrived while recording (--max-ops reached during warmup?)");
        } else {
          result.complete(measured.result(op, (measured.lastAnswer - start[0]) / 1e9));
        }
      });
      // Timers first: the cap may stop the phase inside fill(), and stopping cancels them.
      phaseTimer = vertx.setTimer(Math.max(1, warmupSeconds * 1000L), w -> {
        recorder = measured;
        start[0] = System.nanoTime();
        phaseTimer = vertx.setTimer(measureSeconds * 1000L, m -> stopIssuing());
      });
      fill();
    });
    return result.future();
  }

  /** Answers whose epoch differed from the topology the keys were routed by. */
  long answersFromOtherEpochs() {
    return answersFromOtherEpochs;
  }

  long unexpectedAnswers() {
    return unexpectedAnswers;
  }

  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (conns != null) {
        for (Conn c : conns) {
          if (c != null) {
            c.socket.close();
          }
        }
      }
      (client == null ? Future.<Void>succeededFuture() : client.close()).onComplete(done);
    });
    return done.future();
  }

  // ------------------------------------------------------------------ event loop only

  private Recorder begin(Op phaseOp, boolean populate, long maxOps) {
    if (outstanding != 0) {
      throw new IllegalStateException(outstanding + " requests still outstanding");
    }
    op = phaseOp;
    populating = populate;
    nextPopulateKey = 0;
    issued = 0;
    maxIssued = maxOps;
    issuing = true;
    recorder = new Recorder();
    drained = Promise.promise();
    phaseTimer = -1;
    return recorder;
  }

  private void fill() {
    for (int slot = 0; slot < busy.length && issuing; slot++) {
      issue(slot);
    }
  }

  private void issue(int slot) {
    int k;
    if (populating) {
      if (nextPopulateKey >= keys.length) {
        stopIssuing();
        return;
      }
      k = nextPopulateKey++;
    } else {
      if (issued >= maxIssued) {
        stopIssuing();
        return;
      }
      k = random.nextInt(keys.length);
    }
    issued++;
    Request request = op == Op.GET
        ? new Request.Get(keys[k])
        : new Request.Set(keys[k], value, 0, SetMode.ALWAYS);
    int node = ownerOfKey[k];
    int[] candidates = connsOfNode[node];
    int c = candidates[nextConnOfNode[node]++ % candidates.length];
    busy[slot] = true;
    outstanding++;
    sentAt[slot] = System.nanoTime();
    conns[c].enqueue(slot, request);
  }

  private void stopIssuing() {
    if (!issuing) {
      return;
    }
    issuing = false;
    if (phaseTimer != -1) {
      vertx.cancelTimer(phaseTimer);
    }
    if (outstanding == 0) {
      finishDrain();
      return;
    }
    drainTimer = vertx.setTimer(DRAIN_MILLIS, t -> {
      drainTimer = -1;
      drained.tryFail(String.format("%d of %d requests still unanswered %d ms after the phase "
          + "stopped", outstanding, busy.length, DRAIN_MILLIS));
    });
  }

  private void finishDrain() {
    if (drainTimer != -1) {
      vertx.cancelTimer(drainTimer);
      drainTimer = -1;
    }
    drained.tryComplete();
  }

  private void onAnswer(Frame frame) {
    long now = System.nanoTime();
    int slot = frame.requestId();
    if (slot < 0 || slot >= busy.length || !busy[slot]) {
      unexpectedAnswers++;
      return;
    }
    busy[slot] = false;
    outstanding--;
    if (frame.epoch() != epoch) {
      answersFromOtherEpochs++;
    }
    // Answers that drain after the window closed still count: the window ends at the last one.
    recorder.record(now - sentAt[slot], now, frame, op == Op.GET ? expectedGetBody() : -1);
    if (issuing) {
      issue(slot);
    } else if (outstanding == 0) {
      finishDrain();
    }
  }

  private int expectedGetBody() {
    return GET_BODY_OVERHEAD + value.length();
  }

  private void onConnectionLost(String node, String why) {
    issuing = false;
    if (drained != null) {
      drained.tryFail("connection to node '" + node + "' " + why);
    }
  }

  /** One pipelined connection; writes gathered per event-loop turn. */
  private final class Conn {
    final NetSocket socket;
    private Buffer outgoing;

    Conn(NetSocket socket, String node) {
      this.socket = socket;
      socket.handler(new FrameParser(codec.limits(), LoadGenerator.this::onAnswer,
          e -> onConnectionLost(node, "sent a malformed frame: " + e.getMessage())));
      socket.closeHandler(v -> onConnectionLost(node, "closed"));
    }

    void enqueue(int requestId, Request request) {
      if (outgoing == null) {
        outgoing = Buffer.buffer(4096);
        context.runOnContext(v -> flush());
      }
      codec.encodeRequest(outgoing, requestId, epoch, 0, request);
    }

    private void flush() {
      Buffer out = outgoing;
      outgoing = null;
      socket.write(out);
    }
  }

  /** Latency and status counts of one phase; a new one replaces it when recording starts. */
  private static final class Recorder {
    final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    final long[] byStatus = new long[256];
    long answers;
    long malformed;
    long lastAnswer;

    void record(long nanos, long now, Frame frame, int expectedOkBody) {
      answers++;
      lastAnswer = now;
      latency.recordValue(Math.min(nanos, MAX_LATENCY_NANOS));
      int status = frame.statusCode();
      if (status != Status.OK.code()) {
        byStatus[status]++;
      } else if (expectedOkBody >= 0 && frame.body().length() != expectedOkBody) {
        malformed++;
      }
    }

    PhaseResult result(Op op, double seconds) {
      Map<String, Long> errors = new LinkedHashMap<>();
      for (int code = 0; code < byStatus.length; code++) {
        if (byStatus[code] > 0) {
          errors.put(PhaseResult.statusName(code), byStatus[code]);
        }
      }
      if (malformed > 0) {
        errors.put("MALFORMED", malformed);
      }
      return new PhaseResult(op, answers, seconds, latency, errors);
    }
  }
}
