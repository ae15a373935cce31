package io.ringcache.protocol;

import io.ringcache.ring.KeyHash;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cache key: non-empty, valid UTF-8 bytes, compared by content.
 *
 * <p>Immutable: the bytes are copied in (or adopted from a caller that gives them up,
 * {@link #adopt}) and never handed out, so a key can serve as a map key in
 * a store and be shared across threads. Its ring position ({@link KeyHash}) is computed once at
 * construction, since every decoded key is routed; the hash code is cached on first use (racy
 * single-check over one int, as {@link String} does).
 * Size limits are not a property of a key but of a connection's {@link ProtocolLimits}; the codec
 * enforces them.
 */
public final class Key implements Comparable<Key> {

  private final byte[] bytes;
  private final long position;
  private int hash;

  private Key(byte[] bytes) {
    this.bytes = bytes;
    this.position = KeyHash.of(bytes);
  }

  /** The key of {@code s}'s UTF-8 bytes; rejects empty strings and unpaired surrogates. */
  public static Key of(String s) {
    byte[] b = Utf8.encode(s, "key");
    requireNonEmpty(b);
    return new Key(b);
  }

  /** The key of a copy of {@code bytes}; rejects empty or invalid UTF-8 input. */
  public static Key of(byte[] bytes) {
    byte[] b = bytes.clone();
    requireNonEmpty(b);
    int bad = Utf8.invalidOffset(b);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          String.format("key is not valid UTF-8 (byte offset %d of %d)", bad, b.length));
    }
    return new Key(b);
  }

  /**
   * A key over {@code bytes} themselves, not a copy: for front ends that parse each key into an
   * array of its own. The caller must not change the array afterwards.
   *
   * @throws IllegalArgumentException if the bytes are empty or not valid UTF-8
   */
  public static Key adopt(byte[] bytes) {
    requireNonEmpty(bytes);
    int bad = Utf8.invalidOffset(bytes);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          String.format("key is not valid UTF-8 (byte offset %d of %d)", bad, bytes.length));
    }
    return new Key(bytes);
  }

  /** Wraps bytes the caller has validated and will not modify. */
  static Key trusted(byte[] bytes) {
    return new Key(bytes);
  }

  private static void requireNonEmpty(byte[] b) {
    if (b.length == 0) {
      throw new IllegalArgumentException("key must not be empty");
    }
  }

  /** Length in bytes. */
  public int length() {
    return bytes.length;
  }

  /** The key's ring position, {@link KeyHash#of(byte[])}. */
  public long position() {
    return position;
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Appends the bytes (without a length prefix) to {@code out}. */
  public void appendTo(Buffer out) {
    out.appendBytes(bytes);
  }

  public String asString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** Unsigned byte order, which is also code point order for UTF-8. */
  @Override
  public int compareTo(Key o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return asString();
  }
}
