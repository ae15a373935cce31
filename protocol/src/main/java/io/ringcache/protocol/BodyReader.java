package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a body front to back, checking every declared length against the bytes left and against
 * the {@link ProtocolLimits} before it reads or allocates. Failures are non-fatal
 * {@link ProtocolException}s addressed to the frame being read (the frame boundary is intact).
 *
 * <p>Order of checks for a length: negative, then over the configured limit, then past the end of
 * the body. So an oversized key is reported as KEY_TOO_LARGE even when the body is also short.
 */
final class BodyReader {

  private final Buffer buf;
  private final ProtocolLimits limits;
  private final boolean hasRequestId;
  private final int requestId;
  private final int opcodeCode;
  private int pos;

  BodyReader(Buffer buf, ProtocolLimits limits, Frame frame) {
    this.buf = buf;
    this.limits = limits;
    this.hasRequestId = frame != null;
    this.requestId = frame == null ? ProtocolException.NO_REQUEST_ID : frame.requestId();
    this.opcodeCode = frame == null ? 0 : frame.opcodeCode();
  }

  ProtocolException fail(Status status, String format, Object... args) {
    return new ProtocolException(status, String.format(format, args), false, hasRequestId,
        requestId, opcodeCode);
  }

  int remaining() {
    return buf.length() - pos;
  }

  private void need(int n, String what) {
    if (remaining() < n) {
      throw fail(Status.BAD_REQUEST, "%s needs %d bytes, %d left in the body", what, n,
          remaining());
    }
  }

  int u8(String what) {
    need(1, what);
    return buf.getUnsignedByte(pos++);
  }

  int u16(String what) {
    need(2, what);
    int v = buf.getUnsignedShort(pos);
    pos += 2;
    return v;
  }

  int i32(String what) {
    need(4, what);
    int v = buf.getInt(pos);
    pos += 4;
    return v;
  }

  /** The next i32 without consuming it; the caller checked 4 bytes are left. */
  int peekI32() {
    return buf.getInt(pos);
  }

  long i64(String what) {
    need(8, what);
    long v = buf.getLong(pos);
    pos += 8;
    return v;
  }

  double f64(String what) {
    need(8, what);
    double v = buf.getDouble(pos);
    pos += 8;
    return v;
  }

  /**
   * u16 length + a key: strict UTF-8 bytes, 1..maxKeyBytes, optionally qualified by a cache name
   * ({@code 0xFF name 0xFF key}, {@link Key}), whose bytes do not count against the limit.
   */
  Key key() {
    int len = u16("key length");
    if (len == 0) {
      throw fail(Status.BAD_REQUEST, "key is empty");
    }
    boolean qualified = remaining() > 0 && (buf.getUnsignedByte(pos) == Key.CACHE_MARK);
    if (!qualified && len > limits.maxKeyBytes()) {
      throw fail(Status.KEY_TOO_LARGE, "key is %d bytes, limit is %d (maxKeyBytes)", len,
          limits.maxKeyBytes());
    }
    if (len > limits.maxKeyBytes() + Key.MAX_QUALIFIER_BYTES) {
      throw fail(Status.KEY_TOO_LARGE, "key with its cache name is %d bytes, limit is %d"
          + " (maxKeyBytes %d + %d for the cache name)", len,
          limits.maxKeyBytes() + Key.MAX_QUALIFIER_BYTES, limits.maxKeyBytes(),
          Key.MAX_QUALIFIER_BYTES);
    }
    byte[] bytes = bytes(len, "key");
    int start = Key.keyStart(bytes);
    if (start < 0) {
      throw fail(Status.BAD_REQUEST, "key opens a cache name (byte 0xFF) but is not"
          + " 0xFF name 0xFF key with a 1..%d byte UTF-8 name other than '%s' and a non-empty"
          + " key", Key.MAX_CACHE_NAME_BYTES, Key.DEFAULT_CACHE);
    }
    if (len - start > limits.maxKeyBytes()) {
      throw fail(Status.KEY_TOO_LARGE, "key is %d bytes, limit is %d (maxKeyBytes)",
          len - start, limits.maxKeyBytes());
    }
    int bad = Utf8.invalidOffset(bytes, start, len);
    if (bad >= 0) {
      throw fail(Status.BAD_REQUEST, "key is not valid UTF-8 (byte offset %d of %d)",
          bad - start, len - start);
    }
    return Key.trusted(bytes);
  }

  /** i32 length + bytes, 0..maxValueBytes, returned as a slice of the body (no copy). */
  Buffer value() {
    int len = i32("value length");
    if (len < 0) {
      throw fail(Status.BAD_REQUEST, "value length %d is negative", len);
    }
    if (len > limits.maxValueBytes()) {
      throw fail(Status.VALUE_TOO_LARGE, "value is %d bytes, limit is %d (maxValueBytes)", len,
          limits.maxValueBytes());
    }
    checkFits(len, "value");
    Buffer v = buf.slice(pos, pos + len);
    pos += len;
    return v;
  }

  /** {@code len} raw bytes, at most {@code max} (BAD_REQUEST beyond). */
  byte[] bytes(int len, String what, int max) {
    if (len > max) {
      throw fail(Status.BAD_REQUEST, "%s is %d bytes, limit is %d", what, len, max);
    }
    return bytes(len, what);
  }

  /** u16 length + strict UTF-8. */
  String string(String what) {
    int len = u16(what + " length");
    return utf8(bytes(len, what), what);
  }

  /** The rest of the body as strict UTF-8. */
  String rest(String what) {
    return utf8(bytes(remaining(), what), what);
  }

  /**
   * An i32 entry count, at most {@code max}, and small enough that {@code count * minEntryBytes}
   * fits the bytes left, so a lying count cannot make the decoder allocate.
   */
  int count(String what, int max, String limitName, int minEntryBytes) {
    int n = i32(what + " count");
    if (n < 0) {
      throw fail(Status.BAD_REQUEST, "%s count %d is negative", what, n);
    }
    if (n > max) {
      throw fail(Status.BAD_REQUEST, "%s has %d entries, limit is %d (%s)", what, n, max,
          limitName);
    }
    if ((long) n * minEntryBytes > remaining()) {
      throw fail(Status.BAD_REQUEST,
          "%s count %d needs at least %d bytes, %d left in the body", what, n,
          (long) n * minEntryBytes, remaining());
    }
    return n;
  }

  /** Fails unless the whole body was consumed. */
  void end(String what) {
    if (remaining() != 0) {
      throw fail(Status.BAD_REQUEST, "%d trailing bytes after the %s body", remaining(), what);
    }
  }

  private void checkFits(int len, String what) {
    if (len > remaining()) {
      throw fail(Status.BAD_REQUEST, "%s length %d points past the end of the body (%d bytes left)",
          what, len, remaining());
    }
  }

  private byte[] bytes(int len, String what) {
    checkFits(len, what);
    byte[] b = buf.getBytes(pos, pos + len);
    pos += len;
    return b;
  }

  private String utf8(byte[] b, String what) {
    int bad = Utf8.invalidOffset(b);
    if (bad >= 0) {
      throw fail(Status.BAD_REQUEST, "%s is not valid UTF-8 (byte offset %d of %d)", what, bad,
          b.length);
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}
