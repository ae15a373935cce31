package io.ringcache.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 validation without allocation: rejects overlong forms, surrogate code points
 * (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences, per RFC 3629 section 4.
 * {@code new String(bytes, UTF_8)} would instead replace bad input silently, and two different
 * byte keys would then print the same.
 */
final class Utf8 {

  private Utf8() {}

  /** Offset of the first byte of the first invalid sequence, or -1 when {@code b} is valid. */
  static int invalidOffset(byte[] b) {
    return invalidOffset(b, 0, b.length);
  }

  /** {@link #invalidOffset(byte[])} over {@code b[from..to)}; the offset is from the array start. */
  static int invalidOffset(byte[] b, int from, int to) {
    int i = from;
    int n = to;
    while (i < n) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        min = 0x800;
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= n) {
        return i;
      }
      int cp = c & (0x3F >> need);
      for (int k = 1; k <= need; k++) {
        int cc = b[i + k] & 0xFF;
        if ((cc & 0xC0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }

  /** UTF-8 bytes of {@code s}, rejecting unpaired surrogates that getBytes would turn into '?'. */
  static byte[] encode(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException(
            String.format("%s has an unpaired surrogate at index %d", what, i));
      }
      if (Character.isLowSurrogate(ch)) {
        throw new IllegalArgumentException(
            String.format("%s has an unpaired surrogate at index %d", what, i));
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
