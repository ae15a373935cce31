package io.ringcache.node.peer;

import io.ringcache.node.security.NodeTls;
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

  private final Vertx vertx;
  private final Context context;
  private final FrameCodec codec;
  private final NetClient client;
  private final long timeoutNanos;
  private final LongSupplier epoch;
  private final Request.Hello hello;
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
    this.vertx = vertx;
    this.context = context;
    this.codec = codec;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.hello = hello;
    this.epoch = epoch;
    this.client = vertx.createNetClient(tls.peerClient(new NetClientOptions()
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.max(100, timeoutMillis))));
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

  private static final class Pending {
    final Promise<Response> promise;
    final long deadline;

    Pending(Promise<Response> promise, long deadline) {
      this.promise = promise;
      this.deadline = deadline;
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
            p.promise.complete(codec.decodeResponse(frame));
          } catch (ProtocolException e) {
            p.promise.fail(new PeerException(Status.INTERNAL,
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
      sendFrame(0, epoch.getAsLong(), hello, Promise.promise());
    }

    Future<Response> send(int flags, long requestEpoch, Request request) {
      Promise<Response> promise = Promise.promise();
      sendFrame(flags, requestEpoch, request, promise);
      return promise.future();
    }

    private void sendFrame(int flags, long requestEpoch, Request request,
        Promise<Response> promise) {
      if (failed) {
        promise.fail(new PeerException(Status.UNAVAILABLE,
            String.format("connection to node '%s' at %s is down", peer.name(), address)));
        return;
      }
      if (pending.size() >= MAX_PENDING) {
        promise.fail(new PeerException(Status.BUSY, String.format(
            "%d requests to node '%s' wait for answers, limit is %d; not sent", pending.size(),
            peer.name(), MAX_PENDING)));
        return;
      }
      int id = nextId++;
      if (nextId == Integer.MAX_VALUE) {
        nextId = 1;
      }
      pending.put(id, new Pending(promise, System.nanoTime() + timeoutNanos));
      boolean schedule = outgoing == null;
      if (schedule) {
        outgoing = Buffer.buffer(OUTGOING_INITIAL_BYTES);
      }
      codec.encodeRequest(outgoing, id, requestEpoch, flags, request);
      if (schedule) {
        context.runOnContext(v -> flush());
      }
    }

    private void flush() {
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
          p.promise.tryFail(new PeerException(Status.TIMEOUT, String.format(
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
      for (Pending p : all) {
        p.promise.tryFail(new PeerException(status, message));
      }
      if (socket != null) {
        socket.close();
      }
    }
  }
}
