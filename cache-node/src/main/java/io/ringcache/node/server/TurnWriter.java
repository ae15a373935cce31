package io.ringcache.node.server;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.Objects;

/**
 * Gathers one connection's answers of one event-loop turn into a single buffer and writes it once,
 * at the end of the turn or as soon as it reaches {@link #FLUSH_BYTES}: one socket write per read
 * batch, whatever the protocol (binary or RESP).
 *
 * <h2>Design</h2>
 * The buffer for the next turn is sized from what the previous turn wrote, the next power of two
 * above its length within [{@link #MIN_BYTES}, {@link #FLUSH_BYTES}]: a pipeline of SET answers
 * needs a few dozen bytes and one of GET answers kilobytes, and a fixed size either wastes memory
 * per turn or regrows (and copies) the buffer several times in it (the largest allocation site of
 * both protocols' profiles, issue 12).
 *
 * <h2>Backpressure</h2>
 * After a write that leaves the socket's write queue full, {@code onWriteQueueFull} runs; the
 * connection stops reading until the socket drains, so a client that does not read its answers
 * holds at most one write queue of them here.
 *
 * <h2>Concurrency</h2>
 * Not thread-safe: used on the connection's context only.
 */
public final class TurnWriter {

  /** Answers gathered beyond this many bytes are written at once. */
  public static final int FLUSH_BYTES = 64 * 1024;
  /** The smallest buffer handed out. */
  static final int MIN_BYTES = 256;
  /** The first turn's size, before anything is known about the connection. */
  static final int FIRST_BYTES = 4096;

  private final Context context;
  private final NetSocket socket;
  private final Runnable onWriteQueueFull;
  private Buffer pending;
  private int nextBytes = FIRST_BYTES;

  public TurnWriter(Context context, NetSocket socket, Runnable onWriteQueueFull) {
    this.context = Objects.requireNonNull(context, "context");
    this.socket = Objects.requireNonNull(socket, "socket");
    this.onWriteQueueFull = Objects.requireNonNull(onWriteQueueFull, "onWriteQueueFull");
  }

  /** This turn's buffer to append answers to; the first call of a turn schedules its flush. */
  public Buffer buffer() {
    if (pending == null) {
      pending = Buffer.buffer(nextBytes);
      context.runOnContext(v -> flush());
    }
    return pending;
  }

  /** Writes the turn's answers now if they reached {@link #FLUSH_BYTES}. */
  public void flushIfFull() {
    if (pending != null && pending.length() >= FLUSH_BYTES) {
      flush();
    }
  }

  /** Writes what this turn gathered, if anything. */
  public void flush() {
    Buffer out = pending;
    pending = null;
    if (out == null) {
      return;
    }
    nextBytes = nextCapacity(out.length());
    if (out.length() > 0) {
      socket.write(out);
      if (socket.writeQueueFull()) {
        onWriteQueueFull.run();
      }
    }
  }

  /** The next turn's capacity after a turn that wrote {@code lastLength} bytes. */
  static int nextCapacity(int lastLength) {
    int high = Integer.highestOneBit(Math.min(Math.max(1, lastLength), FLUSH_BYTES));
    int above = high >= FLUSH_BYTES ? FLUSH_BYTES : high << 1;
    return Math.max(MIN_BYTES, above);
  }
}
