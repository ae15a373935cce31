package io.ringcache.node.server;

import io.ringcache.protocol.Key;
import java.io.ByteArrayOutputStream;

/**
 * Turns one raw URI path segment into a {@link Key}, per RFC 3986: {@code %XX} is one byte,
 * every other character is itself ({@code +} included: it means space only in form bodies, never
 * in a path), and the bytes must then be valid UTF-8 under the binary protocol's rules
 * ({@link Key#of(byte[])}). Raw non-ASCII bytes in the request line reach the server as one
 * character per byte (ISO-8859-1), so a client that sends UTF-8 unescaped gets the same key as one
 * that escapes it. Anything else is refused rather than repaired: a decoder that replaced bad
 * bytes with U+FFFD would let different paths collide on one key.
 */
final class PathKey {

  private PathKey() {}

  /** The offset of the first malformed {@code %} escape in {@code path}, or -1 when none is. */
  static int badEscape(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '%') {
        if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0
            || hex(path.charAt(i + 2)) < 0) {
          return i;
        }
        i += 2;
      }
    }
    return -1;
  }

  /**
   * The key named by {@code segment}.
   *
   * @throws KeyTooLargeException when the decoded key exceeds {@code maxKeyBytes}
   * @throws IllegalArgumentException for a bad escape, invalid UTF-8 or an empty key
   */
  static Key decode(String segment, int maxKeyBytes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        int hi = i + 2 < segment.length() ? hex(segment.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hex(segment.charAt(i + 2)) : -1;
        if (lo < 0) {
          throw new IllegalArgumentException(String.format(
              "invalid percent-encoding at index %d of the key's path segment: '%%' must be"
                  + " followed by two hex digits", i));
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c <= 0xFF) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException(String.format(
            "character U+%04X at index %d of the key's path segment is not a byte", (int) c, i));
      }
    }
    if (bytes.size() > maxKeyBytes) {
      throw new KeyTooLargeException(String.format(
          "key is %d bytes, limit is %d (maxKeyBytes)", bytes.size(), maxKeyBytes));
    }
    return Key.of(bytes.toByteArray());
  }

  /** The value of an ASCII hex digit, or -1 ({@link Character#digit} also takes other scripts). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** A decoded key longer than the node's key limit (HTTP 414, status KEY_TOO_LARGE). */
  static final class KeyTooLargeException extends RuntimeException {
    KeyTooLargeException(String message) {
      super(message, null, false, false);
    }
  }
}
