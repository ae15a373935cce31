package io.ringcache.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * Cuts a TCP byte stream into {@link Frame}s: feed it every buffer a socket delivers, in order,
 * and it emits each complete frame, in order, to the frame handler.
 *
 * <h2>Design</h2>
 * A frame that lies wholly inside one received buffer is emitted as a slice of that buffer, with
 * no copy. Only the tail of a buffer holding an incomplete frame is copied, into a buffer sized
 * for the whole frame once its length is known, and later chunks are appended to it, so a large
 * frame arriving in many chunks costs one copy, not one per chunk. The parser takes ownership of
 * the buffers it is given: the caller must not modify them afterwards.
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

  private final ProtocolLimits limits;
  private final Handler<Frame> frameHandler;
  private final Handler<ProtocolException> errorHandler;
  /** Bytes of an incomplete frame, or null when the last chunk ended on a frame boundary. */
  private Buffer pending;
  private boolean failed;

  public FrameParser(ProtocolLimits limits, Handler<Frame> frameHandler,
      Handler<ProtocolException> errorHandler) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.frameHandler = Objects.requireNonNull(frameHandler, "frameHandler");
    this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
  }

  /** True after a fatal error; the parser then ignores input. */
  public boolean failed() {
    return failed;
  }

  /** Bytes held for an incomplete frame. */
  public int buffered() {
    return pending == null ? 0 : pending.length();
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed || chunk.length() == 0) {
      return;
    }
    Buffer data;
    if (pending == null) {
      data = chunk;
    } else {
      pending.appendBuffer(chunk);
      data = pending;
    }
    int pos = 0;
    int end = data.length();
    int expected = 0;
    while (!failed && end - pos >= 4) {
      int length = data.getInt(pos);
      if (length < Frame.MIN_LENGTH) {
        fail(new ProtocolException(Status.BAD_REQUEST, String.format(
            "frame length %d is below the header size %d", length, Frame.MIN_LENGTH), true, false,
            ProtocolException.NO_REQUEST_ID, 0));
        return;
      }
      long frameBytes = 4L + length;
      if (frameBytes > limits.maxFrameBytes()) {
        if (end - pos < Frame.HEADER_BYTES) {
          expected = Frame.HEADER_BYTES;
          break;
        }
        fail(new ProtocolException(Status.FRAME_TOO_LARGE, String.format(
            "frame is %d bytes, limit is %d (maxFrameBytes)", frameBytes, limits.maxFrameBytes()),
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
      // rather than being compacted in place.
      Buffer tail = Buffer.buffer(Math.max(expected, end - pos));
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
