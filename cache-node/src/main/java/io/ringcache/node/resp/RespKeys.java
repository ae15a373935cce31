package io.ringcache.node.resp;

import io.ringcache.protocol.Key;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Maps a RESP key (any bytes, even empty) to a cluster {@link Key} (non-empty valid UTF-8).
 *
 * <h2>Design</h2>
 * A key that is already a valid cluster key maps to itself, so a key written with {@code SET}
 * reads back through the binary protocol and the HTTP API under the same name. Any other key
 * (empty, invalid UTF-8, or containing the escape character) maps to the escape character
 * U+F8FF (private use) followed by the key's bytes in lowercase hex. The mapping is injective:
 * identity keys never contain U+F8FF, escaped keys always start with it, and hex decodes
 * uniquely. An escaped key takes 3 + 2n bytes of the key limit.
 */
final class RespKeys {

  static final char ESCAPE = '\uF8FF';
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final byte[] ESCAPE_UTF8 =
      String.valueOf(ESCAPE).getBytes(StandardCharsets.UTF_8);

  private RespKeys() {}

  /**
   * The cluster key for {@code raw}, or a {@link RespError} naming the key limit. An identity key
   * takes {@code raw} itself (the parser gives every argument an array of its own).
   */
  static Key toKey(byte[] raw, int maxKeyBytes) {
    boolean identity = raw.length <= maxKeyBytes && standsForItself(raw);
    long stored = identity || raw.length > maxKeyBytes ? raw.length : 3 + 2L * raw.length;
    if (stored > maxKeyBytes) {
      throw new RespError(String.format("ERR key is %d bytes (%d as stored), limit is %d"
          + " (maxKeyBytes)", raw.length, stored, maxKeyBytes));
    }
    if (identity) {
      return Key.adopt(raw);
    }
    StringBuilder s = new StringBuilder(1 + 2 * raw.length).append(ESCAPE);
    for (byte b : raw) {
      s.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
    return Key.of(s.toString());
  }

  /** Whether {@code raw} is non-empty valid UTF-8 without the escape character. */
  private static boolean standsForItself(byte[] raw) {
    if (raw.length == 0) {
      return false;
    }
    boolean ascii = true;
    for (byte b : raw) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return true;
    }
    boolean valid = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(raw), CharBuffer.allocate(raw.length), true)
        .isUnderflow();
    if (!valid) {
      return false;
    }
    for (int i = 0; i + 2 < raw.length; i++) {
      if (raw[i] == ESCAPE_UTF8[0] && raw[i + 1] == ESCAPE_UTF8[1]
          && raw[i + 2] == ESCAPE_UTF8[2]) {
        return false;
      }
    }
    return true;
  }
}
