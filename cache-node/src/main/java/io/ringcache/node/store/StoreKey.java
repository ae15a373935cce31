package io.ringcache.node.store;

import io.ringcache.ring.KeyHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cache key: its bytes plus its ring position, computed once.
 *
 * <p>Equality is on the bytes; the hash code comes from the ring position, which is already a
 * well-mixed murmur3 value, so the map never rehashes the bytes. Keys are immutable: {@link #of}
 * copies its argument, {@link #wrap} takes ownership of an array the caller will not touch again
 * (a freshly decoded request frame).
 */
public final class StoreKey {

  private final byte[] bytes;
  private final long position;

  private StoreKey(byte[] bytes) {
    this(bytes, KeyHash.of(bytes));
  }

  private StoreKey(byte[] bytes, long position) {
    this.bytes = bytes;
    this.position = position;
  }

  /** A key over a copy of {@code bytes}. */
  public static StoreKey of(byte[] bytes) {
    return new StoreKey(bytes.clone());
  }

  /** A key over the UTF-8 bytes of {@code key}. */
  public static StoreKey of(String key) {
    return new StoreKey(key.getBytes(StandardCharsets.UTF_8));
  }

  /** A key over {@code bytes} without a copy; the caller must never modify the array afterwards. */
  public static StoreKey wrap(byte[] bytes) {
    if (bytes == null) {
      throw new NullPointerException("bytes");
    }
    return new StoreKey(bytes);
  }

  /**
   * {@link #wrap(byte[])} for a key whose ring position is already known (the protocol's {@code
   * Key} computes it once while decoding), so the request path hashes each key once. The caller
   * vouches that {@code position == KeyHash.of(bytes)}.
   */
  public static StoreKey wrap(byte[] bytes, long position) {
    if (bytes == null) {
      throw new NullPointerException("bytes");
    }
    return new StoreKey(bytes, position);
  }

  /** The key's ring position ({@link KeyHash#of(byte[])}). */
  public long position() {
    return position;
  }

  /** A copy of the key's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes in the key. */
  public int length() {
    return bytes.length;
  }

  /** The key's bytes without a copy, for the store's weigher and codecs in this package. */
  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof StoreKey other
            && other.position == position
            && Arrays.equals(other.bytes, bytes));
  }

  @Override
  public int hashCode() {
    return Long.hashCode(position);
  }

  @Override
  public String toString() {
    return "StoreKey[" + bytes.length + " bytes @ " + position + "]";
  }
}
