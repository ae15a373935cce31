package io.ringcache.node.server;

import io.ringcache.node.caches.CacheServices;
import io.ringcache.node.caches.EventHub;
import io.ringcache.node.logging.EventThrottle;
import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.FrameParser;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.ProtocolException;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One binary-protocol connection from a client or a peer node.
 *
 * <h2>Design</h2>
 * Frames are parsed as they arrive and each request goes to the {@link RequestRouter} at once, so
 * a connection has many requests in flight and answers leave in completion order. Answers written
 * during one event-loop turn are gathered and flushed once at its end.
 *
 * <h2>Failure</h2>
 * A frame that breaks the framing (length out of bounds) gets an error answer and the connection
 * is closed, because the next frame boundary is unknown. A frame whose body is bad (unknown
 * opcode, key or value over its limit, bad UTF-8) gets its error answer and the connection stays
 * open: the boundary is intact. More than {@code maxInFlight} unanswered requests get BUSY. When
 * auth is on, anything but HELLO with an accepted token (primary or secondary, compared in
 * constant time by {@link io.ringcache.node.security.AuthTokens}) gets AUTH_FAILED and the
 * connection closes; until that HELLO, frames are limited to {@link #PRE_AUTH_MAX_FRAME_BYTES}
 * and the HELLO must come within the connection's HELLO timeout.
 * Every request is answered exactly once, or the connection is gone: an answer that cannot be
 * encoded (a multi-get whose values exceed the frame limit) is replaced by an error answer
 * naming the limit.
 *
 * <p>Peer-only operations ({@link Opcode#isPeerOnly()}: replication, range transfer) are served
 * only once the connection's HELLO carried the cluster's {@link PeerSecret}; before that they get
 * FORBIDDEN and the connection stays open (the boundary is intact, and ordinary requests remain
 * fine). A HELLO with a wrong peer secret gets AUTH_FAILED and the connection closes, like a
 * wrong auth token.
 *
 * <h2>Backpressure</h2>
 * The connection never reads faster than its client takes answers. Answers gathered in one turn
 * are flushed early once they reach {@link TurnWriter#FLUSH_BYTES}; whenever the socket's write
 * queue is full after a flush, the connection stops parsing (even in the middle of a received buffer) and
 * stops reading the socket, until the queue drains. So a client that pipelines large GETs and
 * never reads holds at most one answer beyond the write queue, plus the requests already in
 * flight (at most {@code maxInFlight}).
 */
final class ClientConnection {

  private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());
  private static final long CLOSE_GRACE_MILLIS = 300;
  /** Largest frame accepted before an auth-required connection has authenticated. */
  static final int PRE_AUTH_MAX_FRAME_BYTES = 64 * 1024;
  /** Most bytes of events one connection may have queued before it is disconnected. */
  static final long MAX_EVENT_QUEUE_BYTES = 16L * 1024 * 1024;
  /**
   * Bytes of events all connections of the node may have queued; beyond it, a connection that
   * has more than {@link #LAGGARD_BYTES} queued is disconnected as if it had reached its own
   * limit, so many slow subscribers cannot add up to more than this (plus a little each).
   */
  static final long NODE_EVENT_QUEUE_BYTES = 64L * 1024 * 1024;
  static final long LAGGARD_BYTES = 1024L * 1024;
  /**
   * How often a connection with subscriptions gets a HEARTBEAT event: its subscriber knows the
   * stream is alive and has no gap up to then (a near cache serves entries only while it does).
   */
  static final long HEARTBEAT_MILLIS = 100;
  private static final Response.Event HEARTBEAT =
      new Response.Event(Response.EventType.HEARTBEAT, null, 0, null, null, "");
  /** Most subscriptions one connection may hold. */
  static final int MAX_SUBSCRIPTIONS = 1024;
  /** One log line per 10 s for refused peer-only requests, however many connections send them. */
  private static final EventThrottle PEER_ONLY_LOG = new EventThrottle(10_000);

  private final NetSocket socket;
  private final Context context;
  private final FrameCodec codec;
  private final RequestRouter router;
  private final ServerSettings settings;
  private final PeerSecret peerSecret;
  private final NodeStats stats;
  private final LongSupplier epoch;
  private boolean authenticated;
  /** Whether this connection's HELLO carried the cluster's peer secret. */
  private boolean peer;
  private int inFlight;
  private boolean closing;
  private boolean readingPaused;
  /** The next turn's answer buffer: sized by what the last one wrote. */
  private final TurnWriter turn;
  private FrameParser parser;
  private long helloTimer = -1;
  /** Events of this connection's subscriptions, if it has any. */
  private final EventQueue events = new EventQueue();
  /** This connection's subscriptions, as "cache\nid"; read and written on its event loop. */
  private final Set<String> subscriptions = new HashSet<>();
  private volatile boolean closed;

  ClientConnection(NetSocket socket, Context context, FrameCodec codec, RequestRouter router,
      ServerSettings settings, PeerSecret peerSecret, NodeStats stats, LongSupplier epoch) {
    this.socket = socket;
    this.context = context;
    this.codec = codec;
    this.router = router;
    this.settings = settings;
    this.peerSecret = peerSecret;
    this.stats = stats;
    this.epoch = epoch;
    this.authenticated = !settings.authRequired();
    this.turn = new TurnWriter(context, socket, () -> {
      if (!readingPaused) {
        readingPaused = true;
        parser.pause();
        socket.pause();
      }
    });
  }

  void start() {
    parser = new FrameParser(codec.limits(), this::onFrame, this::onFatal);
    socket.handler(parser);
    socket.drainHandler(v -> {
      resumeReading();
      events.drain();
    });
    if (!authenticated) {
      parser.maxFrameBytes(Math.min(PRE_AUTH_MAX_FRAME_BYTES, codec.limits().maxFrameBytes()));
      long timeout = settings.connections().helloTimeoutMillis();
      helloTimer = context.owner().setTimer(timeout, t -> {
        helloTimer = -1;
        if (!authenticated && !closing) {
          answerError(Opcode.HELLO.code(), 0, Status.AUTH_FAILED, String.format(
              "no HELLO within %d ms (helloTimeout)", timeout));
          closeAfterFlush();
        }
      });
    }
  }

  private void onFrame(Frame frame) {
    if (closing) {
      return;
    }
    Opcode op = frame.opcode();
    if (frame.isResponse()) {
      answerError(frame.opcodeCode(), frame.requestId(), Status.BAD_REQUEST,
          "a client must not send answers (RESPONSE flag set)");
      return;
    }
    if (op == null) {
      answerError(frame.opcodeCode(), frame.requestId(), Status.UNKNOWN_OP,
          String.format("unknown opcode 0x%02x", frame.opcodeCode()));
      return;
    }
    Request request;
    try {
      request = codec.decodeRequest(frame);
    } catch (ProtocolException e) {
      stats.error(e.status());
      Buffer out = buffer();
      codec.encodeError(out, frame.opcodeCode(), frame.requestId(), epoch.getAsLong(),
          e.status(), e.getMessage());
      if (e.isFatal()) {
        closeAfterFlush();
      }
      return;
    }
    if (!authenticated) {
      if (request instanceof Request.Hello hello && settings.auth().accepts(hello.authToken())) {
        authenticated = true;
        parser.maxFrameBytes(codec.limits().maxFrameBytes());
        if (helloTimer >= 0) {
          context.owner().cancelTimer(helloTimer);
          helloTimer = -1;
        }
      } else {
        answerError(frame.opcodeCode(), frame.requestId(), Status.AUTH_FAILED,
            op == Opcode.HELLO ? "wrong auth token" : "authenticate with HELLO first");
        closeAfterFlush();
        return;
      }
    }
    if (request instanceof Request.Hello hello && hello.claimsPeer()) {
      if (!peerSecret.matches(hello.peerSecret())) {
        answerError(frame.opcodeCode(), frame.requestId(), Status.AUTH_FAILED,
            "wrong peer secret: the sender is not a member of this cluster");
        closeAfterFlush();
        return;
      }
      peer = true;
    }
    if (op.isPeerOnly() && !peer) {
      refusePeerOnly(op, frame.requestId());
      return;
    }
    if (inFlight >= settings.maxInFlight()) {
      answerError(frame.opcodeCode(), frame.requestId(), Status.BUSY, String.format(
          "%d requests in flight on this connection, limit is %d (maxInFlight)", inFlight,
          settings.maxInFlight()));
      return;
    }
    if (request instanceof Request.Subscribe sub) {
      subscribe(sub, frame.requestId());
      return;
    }
    inFlight++;
    int id = frame.requestId();
    router.handle(request, frame.flags(), frame.epoch()).onComplete(ar -> {
      if (Vertx.currentContext() != context) {
        // Every path completes on this loop; should one not, its answer still must not touch
        // this connection's state from another thread.
        context.runOnContext(v -> finish(op, id, ar));
        return;
      }
      finish(op, id, ar);
    });
  }

  private void finish(Opcode op, int id, io.vertx.core.AsyncResult<Response> ar) {
    {
      inFlight--;
      Response response = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
      if (response.status() != Status.OK) {
        stats.error(response.status());
      }
      if (!closing) {
        answer(op, id, response);
      }
    }
  }

  /**
   * SUBSCRIBE: this connection receives the cache's events (or stops), once the cache is known;
   * the answer says how many writes this node had coordinated before, so that a subscriber can
   * tell whether it may have missed some.
   */
  private void subscribe(Request.Subscribe sub, int id) {
    CacheServices caches = router.caches();
    if (sub.cancel()) {
      // No lookup: a destroyed cache's subscription must still be cancellable.
      if (subscriptions.remove(sub.cache() + "\n" + sub.subscriptionId())) {
        caches.events.unsubscribe(sub.cache(), events, sub.subscriptionId());
      }
      answer(Opcode.SUBSCRIBE, id, new Response.Counter(caches.coordinatedWrites.sum(), 0));
      return;
    }
    if (sub.subscriptionId() == 0) {
      answer(Opcode.SUBSCRIBE, id, new Response.Failure(Status.BAD_REQUEST,
          "subscription id 0 is reserved (a MISSED event for every subscription)"));
      return;
    }
    String handle = sub.cache() + "\n" + sub.subscriptionId();
    if (!subscriptions.contains(handle) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      answer(Opcode.SUBSCRIBE, id, new Response.Failure(Status.BAD_REQUEST, String.format(
          "%d subscriptions on this connection, limit is %d (maxSubscriptionsPerConnection)",
          subscriptions.size(), MAX_SUBSCRIPTIONS)));
      return;
    }
    inFlight++;
    caches.registry.resolve(sub.cache()).onComplete(ar -> {
      inFlight--;
      Response answer;
      if (ar.failed()) {
        answer = RequestRouter.failure(ar.cause());
      } else if (ar.result() == null) {
        answer = new Response.Failure(Status.NO_SUCH_CACHE, String.format(
            "cache '%s' does not exist", sub.cache()));
      } else if (closing || closed) {
        // Gone while the cache was looked up: nothing to deliver to.
        return;
      } else {
        long before = caches.coordinatedWrites.sum();
        caches.events.subscribe(sub.cache(), events, sub.subscriptionId(), sub.withOldValues());
        subscriptions.add(handle);
        events.startHeartbeats();
        answer = new Response.Counter(before, 0);
      }
      if (!closing) {
        answer(Opcode.SUBSCRIBE, id, answer);
      }
    });
  }

  /** The connection closed: its subscriptions end, and its queued events are let go. */
  void closed() {
    closed = true;
    events.stopHeartbeats();
    if (!subscriptions.isEmpty()) {
      router.caches().events.remove(events);
      subscriptions.clear();
    }
    events.release();
  }

  /**
   * The connection's event queue: events from any thread, written on the connection's event loop,
   * bounded by {@link #MAX_EVENT_QUEUE_BYTES}. A subscriber that falls further behind gets a
   * MISSED event (subscription id 0: all of them) and is disconnected: it must resubscribe and
   * drop what it derived from earlier events.
   */
  private final class EventQueue implements EventHub.Sink {
    private final ConcurrentLinkedQueue<Object[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;
    /** EVENT frames written so far on this connection; the event loop's alone. */
    private long seq;
    private long heartbeatTimer = -1;

    /** Starts the heartbeats, on the connection's loop, once it has a subscription. */
    void startHeartbeats() {
      if (heartbeatTimer < 0) {
        heartbeatTimer = context.owner().setPeriodic(HEARTBEAT_MILLIS, t -> {
          if (closed || closing || subscriptions.isEmpty()) {
            stopHeartbeats();
          } else {
            push(0, HEARTBEAT);
          }
        });
      }
    }

    void stopHeartbeats() {
      if (heartbeatTimer >= 0) {
        context.owner().cancelTimer(heartbeatTimer);
        heartbeatTimer = -1;
      }
    }

    @Override
    public void push(int subscription, Response.Event event) {
      if (overflowed || closing) {
        return;
      }
      long size = 64L + (event.key() == null ? 0 : event.key().length())
          + (event.value() == null ? 0 : event.value().length())
          + (event.oldValue() == null ? 0 : event.oldValue().length());
      long mine = bytes.addAndGet(size);
      long all = stats.eventQueuedBytes.addAndGet(size);
      if (mine > MAX_EVENT_QUEUE_BYTES || (all > NODE_EVENT_QUEUE_BYTES && mine > LAGGARD_BYTES)) {
        overflowed = true;
        bytes.addAndGet(-size);
        stats.eventQueuedBytes.addAndGet(-size);
        context.runOnContext(v -> overflow());
        return;
      }
      queue.add(new Object[] {subscription, event, size});
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> drain());
      }
    }

    /** Writes queued events until the socket's write queue is full (its drain resumes us). */
    void drain() {
      scheduled.set(false);
      Object[] next;
      while (!closing && !socket.writeQueueFull() && (next = queue.poll()) != null) {
        long size = (Long) next[2];
        bytes.addAndGet(-size);
        stats.eventQueuedBytes.addAndGet(-size);
        Response.Event e = ((Response.Event) next[1]).withSeq(++seq);
        try {
          codec.encodeResponse(buffer(), Opcode.EVENT, (Integer) next[0], epoch.getAsLong(), 0, e);
        } catch (ProtocolException tooLarge) {
          // Value and old value together over the frame limit: the value alone always fits
          // (maxFrameBytes covers a key and a value), so the event goes without its old value.
          codec.encodeResponse(buffer(), Opcode.EVENT, (Integer) next[0], epoch.getAsLong(), 0,
              new Response.Event(e.type(), e.seq(), e.key(), e.version(), e.value(), null, ""));
        }
        if (e.type() != Response.EventType.HEARTBEAT) {
          stats.eventsSent.increment();
        }
        turn.flushIfFull();
      }
    }

    /** Forgets what is queued (the connection closed), returning it to the node's budget. */
    void release() {
      Object[] next;
      while ((next = queue.poll()) != null) {
        long size = (Long) next[2];
        bytes.addAndGet(-size);
        stats.eventQueuedBytes.addAndGet(-size);
      }
    }

    private void overflow() {
      stats.eventSubscribersDropped.increment();
      // No more events for it from now on, whenever its socket finishes closing.
      router.caches().events.remove(this);
      subscriptions.clear();
      release();
      NodeLog.event(LOG, Level.WARNING, "events.overflow", settings.nodeName(), -1,
          String.format("disconnected event subscriber %s: more than %d bytes of events queued"
              + " (maxEventQueueBytes)", socket.remoteAddress(), MAX_EVENT_QUEUE_BYTES),
          "remote", String.valueOf(socket.remoteAddress()));
      codec.encodeResponse(buffer(), Opcode.EVENT, 0, epoch.getAsLong(), 0,
          new Response.Event(Response.EventType.MISSED, ++seq, null, 0, null, null,
              String.format("this subscriber fell more than %d bytes of events behind"
                  + " (maxEventQueueBytes); events were dropped and the connection is closed",
                  MAX_EVENT_QUEUE_BYTES)));
      closeAfterFlush();
    }
  }

  /**
   * Writes one answer. An answer the codec refuses (larger than the frame limit) becomes an
   * error answer with the codec's reason, so the request is still answered exactly once.
   */
  private void answer(Opcode op, int id, Response response) {
    Buffer out = buffer();
    try {
      codec.encodeResponse(out, op, id, epoch.getAsLong(), 0, response);
    } catch (ProtocolException e) {
      answerError(op.code(), id, e.status(), "the answer to " + op + " cannot be sent: "
          + e.getMessage() + (op == Opcode.MULTI_GET ? "; ask for fewer keys per call" : ""));
    } catch (RuntimeException e) {
      LOG.warning(() -> "cannot encode the answer to " + op + ": " + e);
      answerError(op.code(), id, Status.INTERNAL, "cannot encode the answer to " + op + ": "
          + e.getMessage());
    }
    turn.flushIfFull();
  }

  private void refusePeerOnly(Opcode op, int requestId) {
    stats.peerOnlyRefused.increment();
    answerError(op.code(), requestId, Status.FORBIDDEN, String.format(
        "%s is a peer-only operation: it is served only to cluster members, on a connection whose"
            + " HELLO carried the cluster's peer secret", op));
    long held = PEER_ONLY_LOG.pass();
    if (held >= 0) {
      NodeLog.event(LOG, Level.WARNING, "request.forbidden", settings.nodeName(), -1,
          String.format("refused %s from %s, a connection not authenticated as a peer"
              + " (%d more refused since the last report)", op, socket.remoteAddress(), held),
          "opcode", op.name(), "remote", String.valueOf(socket.remoteAddress()),
          "held_back", held);
    }
  }

  private void onFatal(ProtocolException e) {
    stats.error(e.status());
    codec.encodeError(buffer(), e, epoch.getAsLong());
    closeAfterFlush();
  }

  private void answerError(int opcode, int requestId, Status status, String message) {
    stats.error(status);
    codec.encodeError(buffer(), opcode, requestId, epoch.getAsLong(), status, message);
  }

  /** The buffer of answers for this event-loop turn; schedules its flush on first use. */
  private Buffer buffer() {
    return turn.buffer();
  }

  /** The write queue drained: take requests again, first those held in the parser. */
  private void resumeReading() {
    if (!readingPaused) {
      return;
    }
    readingPaused = false;
    socket.resume();
    parser.resume();
  }

  /**
   * Sends what is buffered, then closes after a short grace period. Input keeps being read and
   * discarded meanwhile (the failed parser ignores it): closing a socket with unread input makes
   * the kernel send a reset, and a client still writing a large frame would lose the answer.
   */
  private void closeAfterFlush() {
    if (closing) {
      return;
    }
    closing = true;
    context.runOnContext(v -> {
      turn.flush();
      context.owner().setTimer(CLOSE_GRACE_MILLIS, t -> {
        socket.close();
        LOG.fine(() -> "closed connection from " + socket.remoteAddress() + " after an error");
      });
    });
  }
}
