package io.ringcache.client;

import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolException;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pipelined binary-protocol connection to a node.
 *
 * <h2>Design</h2>
 * Any thread may send. The sender registers the reply in the {@link PendingTable}, which picks
 * the request id, and encodes the frame straight into the connection's outgoing buffer (no buffer
 * per frame, no copy into a combined one); the first frame since the last flush schedules one
 * flush on the connection's event loop, which writes the outgoing buffer as it is and starts a
 * new one. Under load many requests share one write and one event-loop hop, which is what makes
 * pipelining pay. Answers arrive on the event loop, may come in any order, and are matched by
 * request id. HELLO (with the auth token) is the first frame of every connection, so the node
 * authenticates it before any data request.
 *
 * <h2>Concurrency</h2>
 * The pending table, the outgoing buffers, the byte count and {@code failed} change under
 * {@code lock}, held only for table and buffer operations: replies are delivered, and waiting
 * callers woken, outside it. Socket state is touched only on the event loop. A request is either
 * registered before {@link #fail} takes the table (and is failed by it) or sees {@code failed}
 * and is refused: whoever removes an id from the table delivers its outcome, exactly once.
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
 * waiting thread). An outgoing buffer that reaches {@link #WRITE_CHUNK_BYTES} is closed and a
 * new one started, so one write carries at most that plus one frame; a flush stops while the
 * socket's write queue is full, going on when it drains: a burst of calls never becomes one huge
 * buffer.
 */
final class Connection implements NodeChannel.Link {

  /** What a connection reports to its owner. */
  interface Listener {
    /** Every answer's header epoch: the answering node's installed topology. */
    void epochSeen(long epoch, HostPort from);

    /** The connection could not be opened or was lost. */
    void connectionFailed(HostPort address);

    /** An EVENT frame: an entry event of subscription {@code subscription} (0: all of them). */
    void eventReceived(HostPort from, int subscription, Response.Event event);
  }

  private static final Logger LOG = System.getLogger(Connection.class.getName());

  private final HostPort address;
  private final Context context;
  private final NetClient client;
  private final FrameCodec codec;
  private final Listener listener;
  private final long timeoutNanos;
  private final int maxPending;
  private final long overloadWaitNanos;
  /** Application threads waiting in {@link #awaitRoom}; signalled only while there are some. */
  private final AtomicInteger waiting = new AtomicInteger();
  private final Object room = new Object();
  /** Most bytes one write carries: a full outgoing buffer is closed and a new one started. */
  static final int WRITE_CHUNK_BYTES = 1024 * 1024;
  /** Smallest outgoing buffer; each new one is sized by what the previous write carried. */
  private static final int MIN_BUFFER_BYTES = 512;
  private final Object lock = new Object();
  /** Under {@code lock}. */
  private final PendingTable pending = new PendingTable();
  /** Full outgoing buffers, oldest first, written before {@code outgoing}; under {@code lock}. */
  private final ArrayDeque<Buffer> full = new ArrayDeque<>();
  /** Frames not yet handed to the socket, after those in {@code full}; under {@code lock}. */
  private Buffer outgoing = Buffer.buffer(MIN_BUFFER_BYTES);
  /** Bytes in {@code full} and {@code outgoing}; written under {@code lock}. */
  private volatile long queuedBytes;
  /** Whether a flush is scheduled and has not started; under {@code lock}. */
  private boolean flushScheduled;
  /** Bytes of the last frame refused for the byte bound, a hint for awaitRoom; under lock. */
  private int lastRefused;
  private final long sweepTimer;
  /** Written under {@code lock}. */
  private volatile boolean failed;
  /** Set on the event loop once connected. */
  private NetSocket socket;
  private volatile boolean everConnected;

  Connection(HostPort address, Context context, NetClient client, FrameCodec codec,
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

  @Override
  public boolean isFailed() {
    return failed;
  }

  HostPort address() {
    return address;
  }

  /** Queues one request; the outcome goes to {@code reply}. Never throws. */
  @Override
  public void send(Request request, int flags, long epoch, Reply reply) {
    int outcome = enqueue(request, flags, epoch, reply, false);
    if (outcome == NO_ROOM) {
      outcome = awaitRoom(lastRefusedBytes())
          ? enqueue(request, flags, epoch, reply, true) : NO_ROOM;
    }
    switch (outcome) {
      case QUEUED_FLUSH -> context.runOnContext(v -> flush());
      case DOWN -> reply.failed(new CacheUnavailableException(Status.UNAVAILABLE,
          "connection to " + address + " is down", null), false);
      case NO_ROOM -> reply.failed(new CacheOverloadedException(String.format(
          "%s: %d requests wait for answers (maxPendingRequests %d) and %d bytes to be written"
              + " (limit %d); the call was not sent (overloadWait %d ms)", address,
          pendingCount(), maxPending, queuedBytes, ClientSettings.MAX_QUEUED_BYTES,
          overloadWaitNanos / 1_000_000)), false);
      default -> {
        // QUEUED: a flush is scheduled already; BAD_FRAME: the reply has heard.
      }
    }
  }

  private static final int QUEUED = 0;
  private static final int QUEUED_FLUSH = 1;
  private static final int DOWN = 2;
  private static final int NO_ROOM = 3;
  private static final int BAD_FRAME = 4;

  /**
   * Registers and encodes one request under the lock; with {@code force} the bounds are not
   * checked (the caller waited for room already).
   */
  private int enqueue(Request request, int flags, long epoch, Reply reply, boolean force) {
    RuntimeException refused;
    synchronized (lock) {
      if (failed) {
        return DOWN;
      }
      if (!force && pending.size() >= maxPending) {
        return NO_ROOM;
      }
      int id = pending.add(reply, System.nanoTime() + timeoutNanos);
      int before = outgoing.length();
      try {
        codec.encodeRequest(outgoing, id, epoch, flags, request);
        refused = null;
      } catch (RuntimeException e) {
        // Sizes are checked before anything is appended; reset anyway, so that no half frame
        // can reach the stream whatever went wrong.
        ((BufferInternal) outgoing).getByteBuf().writerIndex(before);
        refused = e;
      }
      if (refused == null) {
        int bytes = outgoing.length() - before;
        if (force || queuedBytes + bytes <= ClientSettings.MAX_QUEUED_BYTES) {
          queuedBytes += bytes;
          if (outgoing.length() >= WRITE_CHUNK_BYTES) {
            full.add(outgoing);
            outgoing = Buffer.buffer(MIN_BUFFER_BYTES);
          }
          if (flushScheduled) {
            return QUEUED;
          }
          flushScheduled = true;
          return QUEUED_FLUSH;
        }
        // Over the byte bound: take the frame back out, unsent.
        ((BufferInternal) outgoing).getByteBuf().writerIndex(before);
        lastRefused = bytes;
        pending.remove(id);
        return NO_ROOM;
      }
      pending.remove(id);
    }
    reply.failed(refused instanceof ProtocolException p ? Errors.of(p)
        : new CacheRejectedException(Status.INTERNAL, "cannot encode " + request.opcode()
            + ": " + refused), false);
    return BAD_FRAME;
  }

  private int lastRefusedBytes() {
    synchronized (lock) {
      return pending.size() >= maxPending ? 0 : lastRefused;
    }
  }

  private int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  private boolean hasRoom(int frameBytes) {
    return pendingCount() < maxPending
        && queuedBytes + frameBytes <= ClientSettings.MAX_QUEUED_BYTES;
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
    synchronized (lock) {
      flushScheduled = false;
    }
    if (socket == null || failed) {
      return;
    }
    try {
      writeQueued();
    } finally {
      roomMade();
    }
  }

  /** Hands the queued buffers to the socket, oldest first, while its write queue has room. */
  private void writeQueued() {
    while (!socket.writeQueueFull()) {
      Buffer out;
      synchronized (lock) {
        out = full.poll();
        if (out == null) {
          out = outgoing;
          if (out.length() == 0) {
            return;
          }
          // Room for twice what this write carried: a busier turn then fills it without the
          // buffer growing (each growth copies what is in it).
          outgoing = Buffer.buffer(
              (int) Math.min(WRITE_CHUNK_BYTES, Math.max(MIN_BUFFER_BYTES, 2L * out.length())));
        }
        queuedBytes -= out.length();
      }
      socket.write(out);
    }
    // The socket's queue is full: the drain handler goes on with what is left.
  }

  private void onFrame(Frame frame) {
    if (frame.opcodeCode() == Opcode.EVENT.code()) {
      // Unsolicited: an event of a subscription, not the answer to a pending request.
      Response.Event event;
      try {
        event = codec.decodeResponse(frame) instanceof Response.Event e ? e : null;
      } catch (ProtocolException e) {
        // An event this client cannot read (larger than its own limits, say) is an event lost.
        LOG.log(Level.WARNING, () -> "malformed event from " + address + ": " + e.getMessage());
        event = new Response.Event(Response.EventType.MISSED, null, 0, null, null,
            "an event from " + address + " could not be read: " + e.getMessage());
      }
      if (event != null) {
        listener.eventReceived(address, frame.requestId(), event);
      }
      return;
    }
    listener.epochSeen(frame.epoch(), address);
    Reply reply;
    synchronized (lock) {
      reply = pending.remove(frame.requestId());
    }
    if (reply == null) {
      return;
    }
    roomMade();
    Response response;
    try {
      response = codec.decodeResponse(frame);
    } catch (ProtocolException e) {
      reply.failed(new CacheRejectedException(Status.INTERNAL,
          "malformed answer from " + address + ": " + e.getMessage()), true);
      return;
    }
    reply.answered(response);
  }

  private void onBadFrame(ProtocolException e) {
    fail(new CacheUnavailableException(Status.INTERNAL,
        "malformed frame from " + address + ": " + e.getMessage(), null));
  }

  private void sweep() {
    if (failed) {
      return;
    }
    List<Reply> expired = new ArrayList<>(0);
    synchronized (lock) {
      pending.removeExpired(System.nanoTime(), expired);
    }
    if (expired.isEmpty()) {
      return;
    }
    for (Reply r : expired) {
      r.failed(new CacheTimeoutException(String.format(
          "%s did not answer within %d ms", address, timeoutNanos / 1_000_000)), true);
    }
    roomMade();
  }

  /** Closes the connection and fails everything pending with {@code error}. Idempotent. */
  @Override
  public void fail(CacheException error) {
    List<Reply> orphans;
    synchronized (lock) {
      if (failed) {
        return;
      }
      failed = true;
      orphans = pending.removeAll();
      full.clear();
      outgoing = Buffer.buffer(0);
      queuedBytes = 0;
    }
    context.owner().cancelTimer(sweepTimer);
    boolean maybeApplied = everConnected;
    for (Reply r : orphans) {
      r.failed(error, maybeApplied);
    }
    roomMade();
    if (!(error instanceof CacheClosedException) && error.protocolStatus() != Status.AUTH_FAILED) {
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
