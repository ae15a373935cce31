package io.ringcache.client;

import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.ProtocolException;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One pipelined binary-protocol connection to a node.
 *
 * <h2>Design</h2>
 * Any thread may send. The sender encodes its frame on its own thread, registers the reply under
 * a fresh request id and queues the frame; the first frame queued since the last flush schedules
 * one flush on the connection's event loop, which writes everything queued as one buffer. Under
 * load many requests share one write and one event-loop hop, which is what makes pipelining pay.
 * Answers arrive on the event loop, may come in any order, and are matched by request id. HELLO
 * (with the auth token) is the first frame of every connection, so the node authenticates it
 * before any data request.
 *
 * <h2>Concurrency</h2>
 * {@code pending} and the queue are concurrent; socket state is touched only on the event loop.
 * A request registered after the connection failed is caught by a second look at {@code failed}
 * after registering, so no reply is left behind (whoever removes the id from {@code pending}
 * delivers the outcome, exactly once).
 *
 * <h2>Failure</h2>
 * A failed connect, a close or an I/O error fails every pending request and marks the connection
 * dead; its {@link NodeChannel} replaces it on the next send. A sweep fails requests older than
 * the request timeout with {@link CacheTimeoutException}; a later answer to them is dropped. A
 * refused HELLO fails everything with AUTH_FAILED, which is not retried.
 *
 * <h2>Bounds</h2>
 * At most {@code maxPending} requests wait for an answer and at most
 * {@link ClientSettings#MAX_QUEUED_BYTES} wait to be written; a request beyond either fails at
 * once with {@link CacheOverloadedException}, unsent; with {@code overloadWait} set, a call made
 * on an application thread first waits up to that long for an answer or a flush to make room
 * (several waiting threads may each pass, so the bound can be exceeded by one request per
 * waiting thread). A flush writes at most
 * {@link #WRITE_CHUNK_BYTES} at a time and stops while the socket's write queue is full, going on
 * when it drains: a burst of calls never becomes one huge buffer.
 */
final class Connection {

  /** What a connection reports to its owner. */
  interface Listener {
    /** Every answer's header epoch: the answering node's installed topology. */
    void epochSeen(long epoch, HostAndPort from);

    /** The connection could not be opened or was lost. */
    void connectionFailed(HostAndPort address);
  }

  private final HostAndPort address;
  private final Context context;
  private final NetClient client;
  private final FrameCodec codec;
  private final Listener listener;
  private final long timeoutNanos;
  private final int maxPending;
  private final long overloadWaitNanos;
  private final AtomicLong queuedBytes = new AtomicLong();
  /** Application threads waiting in {@link #awaitRoom}; signalled only while there are some. */
  private final AtomicInteger waiting = new AtomicInteger();
  private final Object room = new Object();
  /** Most bytes one flush gathers into one write. */
  static final int WRITE_CHUNK_BYTES = 1024 * 1024;
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final Queue<Buffer> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicInteger ids = new AtomicInteger(1);
  private final long sweepTimer;
  private volatile boolean failed;
  /** Set on the event loop once connected. */
  private NetSocket socket;
  private volatile boolean everConnected;

  private record Pending(Reply reply, long deadline) {}

  Connection(HostAndPort address, Context context, NetClient client, FrameCodec codec,
      Listener listener, long timeoutNanos, Request.Hello hello, int maxPending,
      long overloadWaitNanos) {
    this.maxPending = maxPending;
    this.overloadWaitNanos = overloadWaitNanos;
    this.address = address;
    this.context = context;
    this.client = client;
    this.codec = codec;
    this.listener = listener;
    this.timeoutNanos = timeoutNanos;
    long sweepMillis = Math.max(5, Math.min(100, timeoutNanos / 10_000_000L));
    this.sweepTimer = context.owner().setPeriodic(sweepMillis, id -> context.runOnContext(
        v -> sweep()));
    send(hello, 0, 0, new HelloReply());
    context.runOnContext(v -> connect());
  }

  boolean isFailed() {
    return failed;
  }

  HostAndPort address() {
    return address;
  }

  /** Queues one request; the outcome goes to {@code reply}. Never throws. */
  void send(Request request, int flags, long epoch, Reply reply) {
    if (failed) {
      reply.failed(new CacheUnavailableException(Status.UNAVAILABLE,
          "connection to " + address + " is down", null), false);
      return;
    }
    int id = nextId();
    Buffer frame;
    try {
      frame = codec.encodeRequest(id, epoch, flags, request);
    } catch (ProtocolException e) {
      reply.failed(Errors.of(e), false);
      return;
    }
    if (!hasRoom(frame.length()) && !awaitRoom(frame.length())) {
      reply.failed(new CacheOverloadedException(String.format(
          "%s: %d requests wait for answers (maxPendingRequests %d) and %d bytes to be written"
              + " (limit %d); the call was not sent (overloadWait %d ms)", address,
          pending.size(), maxPending, queuedBytes.get(), ClientSettings.MAX_QUEUED_BYTES,
          overloadWaitNanos / 1_000_000)), false);
      return;
    }
    pending.put(id, new Pending(reply, System.nanoTime() + timeoutNanos));
    if (failed) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.reply.failed(new CacheUnavailableException(Status.UNAVAILABLE,
            "connection to " + address + " is down", null), false);
      }
      return;
    }
    queuedBytes.addAndGet(frame.length());
    queue.add(frame);
    if (flushScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> flush());
    }
  }

  private boolean hasRoom(int frameBytes) {
    return pending.size() < maxPending
        && queuedBytes.get() + frameBytes <= ClientSettings.MAX_QUEUED_BYTES;
  }

  /**
   * Waits up to {@code overloadWait} for room, on an application thread only: an event loop
   * that waited here would stop the answers that make room. True once there is room, or once
   * the connection failed (the caller then fails the call as down).
   */
  private boolean awaitRoom(int frameBytes) {
    if (overloadWaitNanos <= 0 || Context.isOnVertxThread()) {
      return false;
    }
    long deadline = System.nanoTime() + overloadWaitNanos;
    waiting.incrementAndGet();
    try {
      synchronized (room) {
        while (!hasRoom(frameBytes) && !failed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(room, left);
        }
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Wakes waiting callers after an answer, a timeout, a flush or a failure made room. */
  private void roomMade() {
    if (waiting.get() > 0) {
      synchronized (room) {
        room.notifyAll();
      }
    }
  }

  private int nextId() {
    int id = ids.getAndIncrement();
    if (id <= 0) {
      // Wrapped: 0 is what a node answers when it could not read an id, so never use it.
      ids.compareAndSet(id + 1, 2);
      return 1;
    }
    return id;
  }

  private void connect() {
    client.connect(address.port(), address.host()).onComplete(ar -> {
      if (ar.failed()) {
        fail(new CacheUnavailableException(Status.UNAVAILABLE, String.format(
            "cannot connect to %s: %s", address, ar.cause().getMessage()), ar.cause()));
        return;
      }
      NetSocket s = ar.result();
      if (failed) {
        s.close();
        return;
      }
      socket = s;
      everConnected = true;
      s.handler(new FrameParser(codec.limits(), this::onFrame, this::onBadFrame));
      s.drainHandler(v -> flush());
      s.closeHandler(v -> fail(new CacheUnavailableException(Status.UNAVAILABLE,
          "connection to " + address + " closed", null)));
      s.exceptionHandler(e -> fail(new CacheUnavailableException(Status.UNAVAILABLE,
          "connection to " + address + " failed: " + e.getMessage(), e)));
      flush();
    });
  }

  private void flush() {
    flushScheduled.set(false);
    if (socket == null || failed) {
      return;
    }
    try {
      writeQueued();
    } finally {
      roomMade();
    }
  }

  private void writeQueued() {
    while (!socket.writeQueueFull()) {
      Buffer first = queue.poll();
      if (first == null) {
        return;
      }
      Buffer next = queue.peek() == null ? null : queue.poll();
      if (next == null) {
        queuedBytes.addAndGet(-first.length());
        socket.write(first);
        continue;
      }
      Buffer out = Buffer.buffer(first.length() * 4 + next.length());
      out.appendBuffer(first).appendBuffer(next);
      while (out.length() < WRITE_CHUNK_BYTES) {
        Buffer b = queue.poll();
        if (b == null) {
          break;
        }
        out.appendBuffer(b);
      }
      queuedBytes.addAndGet(-out.length());
      socket.write(out);
    }
    // The socket's queue is full: the drain handler goes on with what is left.
  }

  private void onFrame(Frame frame) {
    listener.epochSeen(frame.epoch(), address);
    Pending p = pending.remove(frame.requestId());
    if (p == null) {
      return;
    }
    roomMade();
    Response response;
    try {
      response = codec.decodeResponse(frame);
    } catch (ProtocolException e) {
      p.reply.failed(new CacheRejectedException(Status.INTERNAL,
          "malformed answer from " + address + ": " + e.getMessage()), true);
      return;
    }
    p.reply.answered(response);
  }

  private void onBadFrame(ProtocolException e) {
    fail(new CacheUnavailableException(Status.INTERNAL,
        "malformed frame from " + address + ": " + e.getMessage(), null));
  }

  private void sweep() {
    if (failed) {
      return;
    }
    long now = System.nanoTime();
    Iterator<Map.Entry<Integer, Pending>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Integer, Pending> e = it.next();
      if (now - e.getValue().deadline > 0 && pending.remove(e.getKey()) != null) {
        e.getValue().reply.failed(new CacheTimeoutException(String.format(
            "%s did not answer within %d ms", address, timeoutNanos / 1_000_000)), true);
        roomMade();
      }
    }
  }

  /** Closes the connection and fails everything pending with {@code error}. Idempotent. */
  void fail(CacheException error) {
    if (failed) {
      return;
    }
    failed = true;
    context.owner().cancelTimer(sweepTimer);
    boolean maybeApplied = everConnected;
    for (Integer id : pending.keySet()) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.reply.failed(error, maybeApplied);
      }
    }
    queue.clear();
    queuedBytes.set(0);
    roomMade();
    if (!(error instanceof CacheClosedException) && error.status() != Status.AUTH_FAILED) {
      listener.connectionFailed(address);
    }
    context.runOnContext(v -> {
      if (socket != null) {
        socket.close();
      }
    });
  }

  /** Watches the HELLO answer: a refused token fails the connection with AUTH_FAILED. */
  private final class HelloReply implements Reply {
    @Override
    public void answered(Response response) {
      if (response instanceof Response.Failure f) {
        fail(new CacheRejectedException(f.status(), String.format(
            "%s refused HELLO: %s", address, f.message().isEmpty() ? f.status() : f.message())));
      }
    }

    @Override
    public void failed(CacheException error, boolean maybeApplied) {
      // The connection's own failure is reported to every request; nothing more to do.
    }
  }
}
