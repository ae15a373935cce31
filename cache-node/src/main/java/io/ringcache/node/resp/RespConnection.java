package io.ringcache.node.resp;

import io.ringcache.node.server.TurnWriter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One RESP connection: commands parsed as they arrive, run at once, answered in the order they
 * were sent.
 *
 * <h2>Design</h2>
 * RESP has no request ids, so answers must leave in command order even though commands complete
 * out of order (a GET served locally overtakes a SET being replicated). Each command takes a slot
 * at the tail of a queue when it is parsed; its reply fills the slot; the queue is written from
 * its head as far as slots are filled. Replies written during one event-loop turn are gathered
 * and flushed once at its end, or earlier when they reach {@link TurnWriter#FLUSH_BYTES}.
 *
 * <h2>Backpressure</h2>
 * Parsing stops (and the socket is paused) while {@code maxInFlight} commands wait for their
 * replies, while the answers ready behind a slower one exceed {@link #MAX_HELD_BYTES}, and while
 * the socket's write queue is full; it resumes when all clear. So a client that pipelines
 * without reading holds at most {@code maxInFlight} commands, about {@link #MAX_HELD_BYTES} of
 * held answers (plus the commands already running) and one write queue of replies here, plus
 * the unparsed rest of one read.
 *
 * <h2>Failure</h2>
 * A protocol error is answered {@code -ERR Protocol error: ...} after the replies of the commands
 * before it, then the connection closes after a short grace (input is discarded meanwhile, so a
 * client still sending gets the answer rather than a reset). Until it authenticates, a
 * connection gets Redis's small unauthenticated bounds and must authenticate within the HELLO
 * timeout.
 */
final class RespConnection {

  /** Bytes of answers ready but held behind an earlier command's that stop reading. */
  static final long MAX_HELD_BYTES = 8L * 1024 * 1024;
  private static final long CLOSE_GRACE_MILLIS = 300;

  /** One command's place in the answer order. */
  private static final class Slot {
    RespReply reply;
    long bytes;
    boolean closeAfter;
  }

  private final NetSocket socket;
  private final Context context;
  private final CommandTable commands;
  private final RespLimits limits;
  private final int maxInFlight;
  private final Session session;
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private RespParser parser;
  private final TurnWriter out;
  private boolean writePaused;
  private boolean readingPaused;
  private boolean closing;
  private long heldBytes;
  private long authTimer = -1;
  private long authTimeoutMillis;

  RespConnection(NetSocket socket, Context context, CommandTable commands, RespLimits limits,
      int maxInFlight, boolean authRequired) {
    this.socket = socket;
    this.context = context;
    this.commands = commands;
    this.limits = limits;
    this.maxInFlight = maxInFlight;
    this.session = new Session(String.valueOf(socket.remoteAddress()), !authRequired);
    this.out = new TurnWriter(context, socket, () -> {
      writePaused = true;
      updateReading();
    });
  }

  void start(long authTimeoutMillis) {
    this.authTimeoutMillis = authTimeoutMillis;
    parser = new RespParser(session.authenticated ? limits : RespLimits.UNAUTHENTICATED,
        this::onCommand, this::onProtocolError);
    socket.handler(parser);
    socket.drainHandler(v -> {
      writePaused = false;
      updateReading();
    });
    if (!session.authenticated) {
      armAuthTimer();
    }
  }

  /** An unauthenticated connection (new, or after RESET) must authenticate in time. */
  private void armAuthTimer() {
    cancelAuthTimer();
    authTimer = context.owner().setTimer(authTimeoutMillis, t -> {
      authTimer = -1;
      if (!session.authenticated && !closing) {
        Slot slot = new Slot();
        slot.reply = RespReply.error(String.format(
            "NOAUTH not authenticated within %d ms (helloTimeout)", authTimeoutMillis));
        slot.closeAfter = true;
        slots.add(slot);
        writeReady();
      }
    });
  }

  private void cancelAuthTimer() {
    if (authTimer >= 0) {
      context.owner().cancelTimer(authTimer);
      authTimer = -1;
    }
  }

  private void onCommand(List<byte[]> args) {
    if (closing) {
      return;
    }
    boolean wasAuthenticated = session.authenticated;
    Future<RespReply> reply = commands.dispatch(session, args);
    if (!wasAuthenticated && session.authenticated) {
      parser.limits(limits);
      cancelAuthTimer();
    } else if (wasAuthenticated && !session.authenticated) {
      parser.limits(RespLimits.UNAUTHENTICATED);
      armAuthTimer();
    }
    if (reply.isComplete() && reply.succeeded() && slots.isEmpty() && !session.closeAfterReply) {
      // Nothing waits ahead of it: the answer goes out now, without taking a slot.
      ReplyWriter.write(reply.result(), session.protocol, buffer());
      out.flushIfFull();
      return;
    }
    Slot slot = new Slot();
    slots.add(slot);
    if (session.closeAfterReply) {
      slot.closeAfter = true;
      closing = true;
      parser.pause();
    }
    if (reply.isComplete()) {
      fill(slot, reply.succeeded() ? reply.result() : internal(reply.cause()));
    } else {
      reply.onComplete(ar -> fill(slot, ar.succeeded() ? ar.result() : internal(ar.cause())));
    }
    updateReading();
  }

  private void fill(Slot slot, RespReply reply) {
    slot.reply = reply;
    slot.bytes = Replies.size(reply);
    heldBytes += slot.bytes;
    writeReady();
  }

  private static RespReply internal(Throwable e) {
    return RespReply.error("ERR internal error: " + e);
  }

  private void onProtocolError(RespProtocolException e) {
    Slot slot = new Slot();
    slot.reply = RespReply.error("ERR Protocol error: " + e.getMessage());
    slot.closeAfter = true;
    slots.add(slot);
    writeReady();
  }

  /** Writes the replies at the head of the queue that are ready. */
  private void writeReady() {
    while (!slots.isEmpty() && slots.peekFirst().reply != null) {
      Slot slot = slots.pollFirst();
      heldBytes -= slot.bytes;
      ReplyWriter.write(slot.reply, session.protocol, buffer());
      if (slot.closeAfter) {
        slots.clear();
        closeAfterFlush(!parser.failed());
        return;
      }
      out.flushIfFull();
    }
    updateReading();
  }

  private Buffer buffer() {
    return out.buffer();
  }

  /**
   * Reads while the write queue has room, fewer than maxInFlight commands wait, and the answers
   * held behind a slow one stay under {@link #MAX_HELD_BYTES}.
   */
  private void updateReading() {
    boolean read = !closing && !writePaused && slots.size() < maxInFlight
        && heldBytes < MAX_HELD_BYTES;
    if (read && readingPaused) {
      readingPaused = false;
      socket.resume();
      parser.resume();
    } else if (!read && !readingPaused && !closing) {
      readingPaused = true;
      parser.pause();
      socket.pause();
    }
  }

  /**
   * Flushes, then closes: at once after QUIT ({@code now}), after a grace period after an
   * error, reading and discarding input meanwhile so the client gets the answer, not a reset.
   */
  private void closeAfterFlush(boolean now) {
    closing = true;
    parser.pause();
    socket.resume();
    cancelAuthTimer();
    socket.handler(b -> { });
    context.runOnContext(v -> {
      out.flush();
      if (now) {
        socket.end();
      } else {
        context.owner().setTimer(CLOSE_GRACE_MILLIS, t -> socket.close());
      }
    });
  }
}
