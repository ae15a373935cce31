package io.ringcache.node.server;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
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
 * connection closes.
 *
 * <p>Peer-only operations ({@link Opcode#isPeerOnly()}: replication, range transfer) are served
 * only once the connection's HELLO carried the cluster's {@link PeerSecret}; before that they get
 * FORBIDDEN and the connection stays open (the boundary is intact, and ordinary requests remain
 * fine). A HELLO with a wrong peer secret gets AUTH_FAILED and the connection closes, like a
 * wrong auth token.
 * Every request is answered exactly once, or the connection is gone.
 */
final class ClientConnection {

  private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());
  private static final long CLOSE_GRACE_MILLIS = 300;
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
  private Buffer outgoing;

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
  }

  void start() {
    FrameParser parser = new FrameParser(codec.limits(), this::onFrame, this::onFatal);
    socket.handler(parser);
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
    inFlight++;
    int id = frame.requestId();
    router.handle(request, frame.flags(), frame.epoch()).onComplete(ar -> {
      inFlight--;
      Response response = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
      if (response.status() != Status.OK) {
        stats.error(response.status());
      }
      if (!closing) {
        codec.encodeResponse(buffer(), op, id, epoch.getAsLong(), 0, response);
      }
    });
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
    if (outgoing == null) {
      outgoing = Buffer.buffer(256);
      context.runOnContext(v -> flush());
    }
    return outgoing;
  }

  private void flush() {
    Buffer out = outgoing;
    outgoing = null;
    if (out != null && out.length() > 0) {
      socket.write(out);
    }
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
      flush();
      context.owner().setTimer(CLOSE_GRACE_MILLIS, t -> {
        socket.close();
        LOG.fine(() -> "closed connection from " + socket.remoteAddress() + " after an error");
      });
    });
  }
}
