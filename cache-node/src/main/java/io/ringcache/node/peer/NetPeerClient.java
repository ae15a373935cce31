package io.ringcache.node.peer;

import io.ringcache.node.cluster.SourceAddress;
import io.ringcache.node.security.NodeTls;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.ProtocolException;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link PeerClient} over one pipelined connection per peer address, owned by one event loop.
 *
 * <h2>Design</h2>
 * Each server event loop has its own client, so a request, its connection and its answer stay on
 * one thread: no locks, no hand-offs. Requests get ids from a per-connection counter and wait in
 * a map until the answer with that id arrives (answers may come out of order). Frames written
 * during one event-loop turn are gathered in one buffer and flushed once at the end of the turn,
 * which is what makes pipelining pay off.
 *
 * <p>REPLICATE requests (replica writes and range-transfer entries) go further: those of one turn
 * for one peer and one epoch are gathered into one REPLICATE_BATCH ({@link ReplicaBatch}, group
 * commit), at most {@value #BATCH_MAX_ENTRIES} entries and {@value #BATCH_MAX_BYTES} bytes each,
 * and the answer's outcomes are split back to each caller's future. The receiver then parses,
 * dispatches and answers one frame instead of N. Nothing waits for a batch to fill: it goes at the
 * end of the turn that opened it, so batching adds no latency, and a lone entry goes as a plain
 * REPLICATE.
 *
 * <h2>Failure</h2>
 * A connection that fails or closes fails all its pending requests with {@code UNAVAILABLE} and is
 * forgotten, so the next request reconnects. A sweep every 50 ms fails requests older than the
 * request timeout with {@code TIMEOUT}; an answer that arrives later is dropped.
 */
public final class NetPeerClient implements PeerClient {

  /**
   * First capacity of a turn's request buffer: a few dozen pipelined requests (replica writes,
   * forwarded requests) fit without the buffer regrowing from a small start.
   */
  private static final int OUTGOING_INITIAL_BYTES = 4096;

  private static final long SWEEP_MILLIS = 50;
  /** Most REPLICATE entries gathered into one frame. */
  static final int BATCH_MAX_ENTRIES = 256;
  /** Most body bytes of one REPLICATE_BATCH (the frame limit may be lower). */
  static final int BATCH_MAX_BYTES = 1 << 20;

  private final Vertx vertx;
  private final Context context;
  private final FrameCodec codec;
  private final NetClient client;
  private final long timeoutNanos;
  private final LongSupplier epoch;
  private final Request.Hello hello;
  private final BatchCounters batches;
  private final int batchEntries;
  private final int batchBytes;
  private final Map<String, Connection> connections = new HashMap<>();
  private final long sweepTimer;
  private boolean closed;
  /** The event-loop thread of {@link #context}; null until known, which makes calls hop. */
  private volatile Thread owner;

  /**
   * @param hello sent first on every connection (carries the cluster's auth token)
   * @param epoch this node's current topology epoch, stamped on every request
   * @param tls how peers are reached: TLS verified against the cluster's CA, or plain text
   */
  public NetPeerClient(Vertx vertx, Context context, FrameCodec codec, long timeoutMillis,
      Request.Hello hello, LongSupplier epoch, NodeTls tls) {
    this(vertx, context, codec, timeoutMillis, hello, epoch, tls, new BatchCounters());
  }

  /** As above, counting the REPLICATE frames and entries sent into {@code batches}. */
  public NetPeerClient(Vertx vertx, Context context, FrameCodec codec, long timeoutMillis,
      Request.Hello hello, LongSupplier epoch, NodeTls tls, BatchCounters batches) {
    this(vertx, context, codec, timeoutMillis, hello, epoch, tls, batches, "");
  }

  /**
   * As above, opening every connection from {@code localHost}, the node's configured host, when
   * it is an IP address ({@link SourceAddress}); a host name or
   * {@code ""} leaves the choice to the operating system.
   */
  public NetPeerClient(Vertx vertx, Context context, FrameCodec codec, long timeoutMillis,
      Request.Hello hello, LongSupplier epoch, NodeTls tls, BatchCounters batches,
      String localHost) {
    this.batches = batches;
    this.batchEntries = Math.min(BATCH_MAX_ENTRIES, codec.limits().maxBatchEntries());
    this.batchBytes = Math.min(BATCH_MAX_BYTES,
        codec.limits().maxFrameBytes() - Frame.HEADER_BYTES);
    this.vertx = vertx;
    this.context = context;
    this.codec = codec;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.hello = hello;
    this.epoch = epoch;
    NetClientOptions options = new NetClientOptions()
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.max(100, timeoutMillis));
    SourceAddress.of(localHost).ifPresent(options::setLocalAddress);
    this.client = vertx.createNetClient(tls.peerClient(options));
    this.sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    context.runOnContext(v -> owner = Thread.currentThread());
  }

  @Override
  public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
    if (Thread.currentThread() != owner) {
      // Connections and their buffers belong to one event-loop thread; a call from any other
      // thread is moved there rather than racing it.
      Promise<Response> moved = Promise.promise();
      context.runOnContext(v -> send(peer, flags, epoch, request).onComplete(moved));
      return moved.future();
    }
    if (closed) {
      return Future.failedFuture(new PeerException(Status.UNAVAILABLE, "node is shutting down"));
    }
    String address = peer.host() + ":" + peer.clientPort();
    Connection c = connections.computeIfAbsent(address, a -> new Connection(peer, a));
    return c.send(flags, epoch, request);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(sweepTimer);
    for (Connection c : new ArrayList<>(connections.values())) {
      c.fail(Status.UNAVAILABLE, "node is shutting down");
    }
    connections.clear();
    return client.close();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Connection c : new ArrayList<>(connections.values())) {
      c.expire(now);
    }
  }

  /** An unanswered frame: one caller's request, or a batch of callers' REPLICATE entries. */
  private static final class Pending {
    private final Promise<Response> promise;
    private final ReplicaBatch batch;
    final long deadline;

    Pending(Promise<Response> promise, ReplicaBatch batch, long deadline) {
      this.promise = promise;
      this.batch = batch;
      this.deadline = deadline;
    }

    void complete(Response r) {
      if (batch != null) {
        batch.answer(r);
      } else {
        promise.tryComplete(r);
      }
    }

    void fail(PeerException e) {
      if (batch != null) {
        batch.fail(e);
      } else {
        promise.tryFail(e);
      }
    }
  }

  /**
   * Most requests one peer connection may have unanswered; beyond it a request fails at once
   * with BUSY (not applied) rather than queueing without bound behind a slow or dead peer.
   */
  static final int MAX_PENDING = 65_536;

  /** One connection's lifecycle: connecting, open, gone. */
  private final class Connection {
    private final String address;
    private final NodeAddress peer;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<Buffer> queuedWhileConnecting = new ArrayList<>();
    private Buffer outgoing;
    private boolean flushScheduled;
    /** REPLICATE entries gathered this turn, sent as one frame by {@link #flush()}. */
    private ReplicaBatch batch;
    private NetSocket socket;
    private boolean failed;
    private int nextId = 1;

    Connection(NodeAddress peer, String address) {
      this.peer = peer;
      this.address = address;
      connect();
    }

    private void connect() {
      client.connect(peer.clientPort(), peer.host()).onComplete(ar -> {
        if (ar.failed()) {
          fail(Status.UNAVAILABLE,
              String.format("cannot reach node '%s' at %s: %s", peer.name(), address,
                  ar.cause().getMessage()));
          return;
        }
        if (failed) {
          ar.result().close();
          return;
        }
        socket = ar.result();
        FrameParser parser = new FrameParser(codec.limits(), frame -> {
          Pending p = pending.remove(frame.requestId());
          if (p == null) {
            return;
          }
          try {
            p.complete(codec.decodeResponse(frame));
          } catch (ProtocolException e) {
            p.fail(new PeerException(Status.INTERNAL,
                "malformed answer from " + peer.name() + ": " + e.getMessage()));
          }
        }, e -> {
          fail(Status.INTERNAL, "malformed frame from " + peer.name() + ": " + e.getMessage());
          socket.close();
        });
        socket.handler(parser);
        socket.closeHandler(v -> fail(Status.UNAVAILABLE,
            String.format("connection to node '%s' at %s closed", peer.name(), address)));
        socket.exceptionHandler(e -> fail(Status.UNAVAILABLE,
            String.format("connection to node '%s' at %s failed: %s", peer.name(), address,
                e.getMessage())));
        for (Buffer b : queuedWhileConnecting) {
          socket.write(b);
        }
        queuedWhileConnecting.clear();
      });
      // HELLO goes first so the peer authenticates this connection before any data request.
      sendFrame(0, epoch.getAsLong(), hello, new Pending(Promise.promise(), null, deadline()));
    }

    Future<Response> send(int flags, long requestEpoch, Request request) {
      if (request instanceof Request.Replicate r && flags == 0) {
        return gather(requestEpoch, r);
      }
      Promise<Response> promise = Promise.promise();
      sendFrame(flags, requestEpoch, request, new Pending(promise, null, deadline()));
      return promise.future();
    }

    /** Adds {@code r} to this turn's batch for {@code requestEpoch}, sealing the open one first. */
    private Future<Response> gather(long requestEpoch, Request.Replicate r) {
      if (failed) {
        return Future.failedFuture(down());
      }
      int bytes;
      try {
        bytes = codec.replicateEntryBytes(r);
      } catch (ProtocolException e) {
        return Future.failedFuture(new PeerException(e.status(), e.getMessage()));
      }
      if (batch != null && !batch.fits(requestEpoch, bytes)) {
        seal();
      }
      if (batch == null) {
        batch = new ReplicaBatch(requestEpoch, batchEntries, batchBytes);
        scheduleFlush();
      }
      Future<Response> answer = batch.add(r, bytes);
      if (batch.full()) {
        seal();
      }
      return answer;
    }

    /** Sends the open batch as one frame (into this turn's buffer). */
    private void seal() {
      ReplicaBatch b = batch;
      batch = null;
      if (b == null) {
        return;
      }
      batches.frames.increment();
      batches.entries.add(b.size());
      sendFrame(0, b.epoch(), b.request(), new Pending(null, b, deadline()));
    }

    private long deadline() {
      return System.nanoTime() + timeoutNanos;
    }

    private PeerException down() {
      return new PeerException(Status.UNAVAILABLE,
          String.format("connection to node '%s' at %s is down", peer.name(), address));
    }

    private void sendFrame(int flags, long requestEpoch, Request request, Pending waiter) {
      if (failed) {
        waiter.fail(down());
        return;
      }
      if (pending.size() >= MAX_PENDING) {
        waiter.fail(new PeerException(Status.BUSY, String.format(
            "%d requests to node '%s' wait for answers, limit is %d; not sent", pending.size(),
            peer.name(), MAX_PENDING)));
        return;
      }
      if (outgoing == null) {
        outgoing = Buffer.buffer(OUTGOING_INITIAL_BYTES);
      }
      int id = nextId++;
      if (nextId == Integer.MAX_VALUE) {
        nextId = 1;
      }
      try {
        codec.encodeRequest(outgoing, id, requestEpoch, flags, request);
      } catch (ProtocolException e) {
        // The encoder left the buffer as it was; this request alone is refused, not sent.
        waiter.fail(new PeerException(e.status(), e.getMessage()));
        return;
      }
      pending.put(id, waiter);
      scheduleFlush();
    }

    private void scheduleFlush() {
      if (!flushScheduled) {
        flushScheduled = true;
        context.runOnContext(v -> flush());
      }
    }

    private void flush() {
      // Sealing encodes the batch into this turn's buffer; the flush is still the scheduled one.
      seal();
      flushScheduled = false;
      Buffer out = outgoing;
      outgoing = null;
      if (out == null || failed) {
        return;
      }
      if (socket == null) {
        queuedWhileConnecting.add(out);
      } else {
        socket.write(out);
      }
    }

    void expire(long now) {
      Iterator<Map.Entry<Integer, Pending>> it = pending.entrySet().iterator();
      while (it.hasNext()) {
        Pending p = it.next().getValue();
        if (now - p.deadline > 0) {
          it.remove();
          p.fail(new PeerException(Status.TIMEOUT, String.format(
              "node '%s' did not answer within %d ms", peer.name(), timeoutNanos / 1_000_000)));
        }
      }
    }

    void fail(Status status, String message) {
      if (failed) {
        return;
      }
      failed = true;
      connections.remove(address, this);
      List<Pending> all = new ArrayList<>(pending.values());
      pending.clear();
      outgoing = null;
      ReplicaBatch open = batch;
      batch = null;
      if (open != null) {
        open.fail(new PeerException(status, message));
      }
      for (Pending p : all) {
        p.fail(new PeerException(status, message));
      }
      if (socket != null) {
        socket.close();
      }
    }
  }
}
