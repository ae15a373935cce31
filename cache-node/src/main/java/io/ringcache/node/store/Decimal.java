package io.ringcache.node.store;

import java.nio.charset.StandardCharsets;

/** Parsing and formatting of counters: decimal ASCII signed 64-bit integers, no whitespace. */
final class Decimal {

  /** Longest valid form: "-9223372036854775808". */
  static final int MAX_LENGTH = 20;

  private Decimal() {}

  /**
   * Whether {@code bytes} hold an optional '-' then 1 to 19 digits and fit in a long. Leading
   * zeros are accepted; '+', spaces and anything else are not.
   */
  static boolean isLong(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
      return false;
    }
    int i = bytes[0] == '-' ? 1 : 0;
    if (i == bytes.length) {
      return false;
    }
    for (int j = i; j < bytes.length; j++) {
      if (bytes[j] < '0' || bytes[j] > '9') {
        return false;
      }
    }
    try {
      Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
      return true;
    } catch (NumberFormatException outOfRange) {
      return false;
    }
  }

  /** The value of bytes for which {@link #isLong} holds. */
  static long parse(byte[] bytes) {
    return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
  }

  static byte[] format(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** A short, printable rendering of a value for error messages. */
  static String describe(byte[] bytes) {
    int shown = Math.min(bytes.length, 32);
    StringBuilder out = new StringBuilder(shown + 24).append('"');
    for (int i = 0; i < shown; i++) {
      int b = bytes[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
        out.append((char) b);
      } else {
        out.append(String.format("\\x%02x", b));
      }
    }
    out.append('"');
    if (shown < bytes.length) {
      out.append("... (").append(bytes.length).append(" bytes)");
    }
    return out.toString();
  }
}
