package io.ringcache.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Objects;

/**
 * Cuts a TCP byte stream into {@link Frame}s: feed it every buffer a socket delivers, in order,
 * and it emits each complete frame, in order, to the frame handler.
 *
 * <h2>Design</h2>
 * A frame that lies wholly inside one received buffer is emitted as a slice of that buffer, with
 * no copy. Only the tail of a buffer holding an incomplete frame is copied, and later chunks are
 * appended to it. The parser takes ownership of the buffers it is given: the caller must not
 * modify them afterwards.
 *
 * <h2>Memory</h2>
 * The body of an incomplete frame is held only as its bytes arrive: the tail buffer reserves at
 * most {@link #RESERVE_AHEAD_BYTES} beyond what has been received, and grows (doubling) as more
 * comes. So a header declaring a maximal frame costs kilobytes until the body really arrives,
 * and a thousand such headers cost a few megabytes, not a gigabyte.
 *
 * <h2>Backpressure</h2>
 * {@link #pause()} stops the parser emitting frames, even in the middle of a received buffer: the
 * rest is held, and later input is appended to it, until {@link #resume()} emits what is held. The
 * caller pauses its socket too, so what is held stays bounded by what was already read.
 *
 * <h2>Limits</h2>
 * The declared length is checked as soon as the header is complete, before any of the body is
 * buffered: a length below {@link Frame#MIN_LENGTH} is rejected from the 4-byte prefix alone; a
 * frame over {@code maxFrameBytes} is rejected once the 20 header bytes are in, so that the error
 * answer can carry the request id. So a peer cannot make the parser hold more than
 * {@code maxFrameBytes} of one frame.
 *
 * <h2>Failure</h2>
 * Both rejections are fatal: the frame boundary is lost. The parser reports one
 * {@link ProtocolException} (with {@link ProtocolException#isFatal()} set and the request id when
 * the header was readable) to the error handler, drops its buffer and ignores all further input.
 * The caller sends the error answer ({@link FrameCodec#encodeError(Buffer, ProtocolException,
 * long)}) and closes the connection. {@link #end()} reports a stream that stopped inside a frame.
 *
 * <p>Not thread-safe: use it from the connection's event loop.
 */
public final class FrameParser implements Handler<Buffer> {

  /** Most bytes an incomplete frame's buffer reserves beyond those already received. */
  public static final int RESERVE_AHEAD_BYTES = 8 * 1024;

  private final Handler<Frame> frameHandler;
  private final Handler<ProtocolException> errorHandler;
  private int maxFrameBytes;
  /** Bytes not yet emitted (an incomplete frame, or input held while paused), or null. */
  private Buffer pending;
  private boolean failed;
  private boolean paused;

  public FrameParser(ProtocolLimits limits, Handler<Frame> frameHandler,
      Handler<ProtocolException> errorHandler) {
    this.maxFrameBytes = Objects.requireNonNull(limits, "limits").maxFrameBytes();
    this.frameHandler = Objects.requireNonNull(frameHandler, "frameHandler");
    this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
  }

  /**
   * Sets the largest frame accepted from now on, length prefix included (a connection that has
   * not yet authenticated gets a small one). Applies to frames whose header is not yet checked.
   */
  public void maxFrameBytes(int bytes) {
    if (bytes < Frame.HEADER_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes " + bytes + " is below the header size");
    }
    this.maxFrameBytes = bytes;
  }

  /** Stops emitting frames until {@link #resume()}; input that arrives meanwhile is held. */
  public void pause() {
    paused = true;
  }

  /** True between {@link #pause()} and {@link #resume()}. */
  public boolean paused() {
    return paused;
  }

  /** Emits the complete frames held while paused, then goes on with later input. */
  public void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    if (!failed && pending != null) {
      parse(pending);
    }
  }

  /** True after a fatal error; the parser then ignores input. */
  public boolean failed() {
    return failed;
  }

  /** Bytes held for an incomplete frame (or held while paused). */
  public int buffered() {
    return pending == null ? 0 : pending.length();
  }

  /** Bytes of heap the held input's buffer occupies: what it holds plus what it reserved. */
  public int reservedBytes() {
    if (pending == null) {
      return 0;
    }
    return pending instanceof BufferInternal b ? b.getByteBuf().capacity() : pending.length();
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed || chunk.length() == 0) {
      return;
    }
    if (pending != null) {
      pending.appendBuffer(chunk);
    } else if (paused) {
      pending = Buffer.buffer(chunk.length()).appendBuffer(chunk);
    }
    if (!paused) {
      parse(pending != null ? pending : chunk);
    }
  }

  private void parse(Buffer data) {
    int pos = 0;
    int end = data.length();
    int expected = 0;
    while (!failed && !paused && end - pos >= 4) {
      int length = data.getInt(pos);
      if (length < Frame.MIN_LENGTH) {
        fail(new ProtocolException(Status.BAD_REQUEST, String.format(
            "frame length %d is below the header size %d", length, Frame.MIN_LENGTH), true, false,
            ProtocolException.NO_REQUEST_ID, 0));
        return;
      }
      long frameBytes = 4L + length;
      if (frameBytes > maxFrameBytes) {
        if (end - pos < Frame.HEADER_BYTES) {
          expected = Frame.HEADER_BYTES;
          break;
        }
        fail(new ProtocolException(Status.FRAME_TOO_LARGE, String.format(
            "frame is %d bytes, limit is %d (maxFrameBytes)", frameBytes, maxFrameBytes),
            true, true, data.getInt(pos + 8), data.getUnsignedByte(pos + 4)));
        return;
      }
      if (end - pos < frameBytes) {
        expected = (int) frameBytes;
        break;
      }
      Frame frame = new Frame(
          data.getUnsignedByte(pos + 4),
          data.getUnsignedByte(pos + 5),
          data.getUnsignedByte(pos + 6),
          data.getInt(pos + 8),
          data.getLong(pos + 12),
          data.slice(pos + Frame.HEADER_BYTES, pos + (int) frameBytes));
      pos += (int) frameBytes;
      frameHandler.handle(frame);
    }
    if (failed) {
      return;
    }
    keepTail(data, pos, end, expected);
  }

  private void keepTail(Buffer data, int pos, int end, int expected) {
    if (pos == end) {
      pending = null;
    } else if (pos == 0 && data == pending) {
      // Nothing consumed from our own buffer: keep appending to it.
      return;
    } else {
      // Frames emitted before this point may be slices of data, so the tail goes to a new buffer
      // rather than being compacted in place. It reserves the whole frame only when that is
      // little beyond what has arrived: a declared length alone is not worth a large allocation.
      int held = end - pos;
      int reserve = Math.max(held, Math.min(expected, held + RESERVE_AHEAD_BYTES));
      Buffer tail = Buffer.buffer(reserve);
      tail.appendBuffer(data, pos, end - pos);
      pending = tail;
    }
  }

  /**
   * Signals the end of the stream. Reports a fatal BAD_REQUEST when it stopped inside a frame;
   * does nothing after an earlier failure.
   */
  public void end() {
    if (!failed && pending != null && pending.length() > 0) {
      int held = pending.length();
      boolean headerRead = held >= Frame.HEADER_BYTES;
      fail(new ProtocolException(Status.BAD_REQUEST, String.format(
          "stream ended inside a frame: %d of %s bytes received", held,
          held >= 4 ? Long.toString(4L + pending.getInt(0)) : "at least 4"), true, headerRead,
          headerRead ? pending.getInt(8) : ProtocolException.NO_REQUEST_ID,
          held > 4 ? pending.getUnsignedByte(4) : 0));
    }
  }

  private void fail(ProtocolException e) {
    failed = true;
    pending = null;
    errorHandler.handle(e);
  }
}
