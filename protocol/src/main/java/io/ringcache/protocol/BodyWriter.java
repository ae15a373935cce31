package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;

/** Appends the body primitives that {@link BodyReader} reads. Callers validate sizes first. */
final class BodyWriter {

  private BodyWriter() {}

  static void key(Buffer out, Key key) {
    out.appendUnsignedShort(key.length());
    out.appendBytes(key.bytes());
  }

  static void value(Buffer out, Buffer value) {
    out.appendInt(value.length());
    out.appendBuffer(value);
  }

  /** u16 length + UTF-8; rejects strings over 65535 bytes. */
  static void string(Buffer out, String s, String what) {
    byte[] b = Utf8.encode(s, what);
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException(
          String.format("%s is %d bytes, limit is 65535", what, b.length));
    }
    out.appendUnsignedShort(b.length);
    out.appendBytes(b);
  }
}
