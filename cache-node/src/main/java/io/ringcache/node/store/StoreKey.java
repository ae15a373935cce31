package io.ringcache.node.store;

import io.ringcache.ring.KeyHash;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cache key's bytes, as the store holds them.
 *
 * <h2>Design</h2>
 * One of these sits in every stored entry, so its size is paid a million times over. A key of up
 * to {@value #INLINE_MAX} bytes (most keys) is packed into two {@code long} fields: a 32-byte
 * object and no array, where an object holding an array reference and the ring position took 24
 * bytes plus the array's 32 (measured with {@code bin/memory-bench}). A longer key keeps its
 * array. The form depends only on the length, so two equal keys always have the same form.
 *
 * <p>Equality is on the bytes. The hash code mixes the packed words (or the array), which costs a
 * few multiplications per map operation instead of a stored field. The ring position is not
 * stored either: range scans (transfers, drops of ranges no longer owned) and every write (the
 * store's range digests, {@link DigestSlices}) compute it ({@link #position()}), from the packed
 * words without an array for a packed key; the request path routes by the protocol key's own
 * position before it reaches the store.
 *
 * <p>Keys are immutable: {@link #of} copies its argument; {@link #wrap} takes ownership of an
 * array the caller will not touch again (a freshly decoded request frame).
 */
public abstract sealed class StoreKey permits StoreKey.Packed, StoreKey.Array {

  /** Longest key packed into fields rather than kept as an array. */
  static final int INLINE_MAX = 16;

  private StoreKey() {}

  /** A key over a copy of {@code bytes}. */
  public static StoreKey of(byte[] bytes) {
    return wrap(bytes.clone());
  }

  /** A key over the UTF-8 bytes of {@code key}. */
  public static StoreKey of(String key) {
    return wrap(key.getBytes(StandardCharsets.UTF_8));
  }

  /** A key over {@code bytes} without a copy; the caller must never modify the array afterwards. */
  public static StoreKey wrap(byte[] bytes) {
    if (bytes == null) {
      throw new NullPointerException("bytes");
    }
    return bytes.length <= INLINE_MAX ? new Packed(bytes) : new Array(bytes);
  }

  /** The key's ring position ({@link KeyHash#of(byte[])}), computed on each call. */
  public long position() {
    return KeyHash.of(rawBytes());
  }

  /** A copy of the key's bytes. */
  public byte[] bytes() {
    byte[] raw = rawBytes();
    return raw == arrayOrNull() ? raw.clone() : raw;
  }

  /** Number of bytes in the key. */
  public abstract int length();

  /** Whether the key's bytes start with {@code prefix} (a named cache's qualifier). */
  public boolean startsWith(byte[] prefix) {
    if (length() < prefix.length) {
      return false;
    }
    byte[] raw = rawBytes();
    return Arrays.equals(raw, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The key's bytes: the key's own array (do not modify) or a fresh one. */
  abstract byte[] rawBytes();

  /** The array this key holds, or {@code null} when packed. */
  abstract byte[] arrayOrNull();

  @Override
  public String toString() {
    return "StoreKey[" + length() + " bytes]";
  }

  /** Up to 16 bytes, little-endian in {@code low} (bytes 0-7) and {@code high} (8-15). */
  static final class Packed extends StoreKey {
    private final long low;
    private final long high;
    private final int length;

    Packed(byte[] bytes) {
      this.length = bytes.length;
      this.low = word(bytes, 0);
      this.high = word(bytes, 8);
    }

    private static long word(byte[] bytes, int from) {
      long w = 0;
      for (int i = Math.min(bytes.length, from + 8) - 1; i >= from; i--) {
        w = (w << 8) | (bytes[i] & 0xFF);
      }
      return w;
    }

    @Override
    public int length() {
      return length;
    }

    /**
     * {@link KeyHash#of(byte[])} over the packed words, without building the byte array: the store
     * asks for a key's position on every write (its digest slice, {@link DigestSlices}). For up to
     * 15 bytes MurmurHash3 mixes the little-endian tail words {@code low} and {@code high} (both
     * zero beyond the key); 16 bytes are one whole block. {@code StoreKeyTest} checks every length
     * against {@link KeyHash}.
     */
    @Override
    public long position() {
      long h1 = KeyHash.SEED;
      long h2 = KeyHash.SEED;
      if (length == INLINE_MAX) {
        h1 ^= mixK1(low);
        h1 = Long.rotateLeft(h1, 27) + h2;
        h1 = h1 * 5 + 0x52dce729;
        h2 ^= mixK2(high);
        h2 = Long.rotateLeft(h2, 31) + h1;
        h2 = h2 * 5 + 0x38495ab5;
      } else {
        h2 ^= mixK2(high);
        h1 ^= mixK1(low);
      }
      h1 ^= length;
      h2 ^= length;
      h1 += h2;
      h2 += h1;
      h1 = fmix64(h1);
      h2 = fmix64(h2);
      return h1 + h2;
    }

    private static long mixK1(long k1) {
      return Long.rotateLeft(k1 * 0x87c37b91114253d5L, 31) * 0x4cf5ad432745937fL;
    }

    private static long mixK2(long k2) {
      return Long.rotateLeft(k2 * 0x4cf5ad432745937fL, 33) * 0x87c37b91114253d5L;
    }

    private static long fmix64(long k) {
      k ^= k >>> 33;
      k *= 0xff51afd7ed558ccdL;
      k ^= k >>> 33;
      k *= 0xc4ceb9fe1a85ec53L;
      k ^= k >>> 33;
      return k;
    }

    @Override
    byte[] rawBytes() {
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++) {
        out[i] = (byte) ((i < 8 ? low >>> (8 * i) : high >>> (8 * (i - 8))));
      }
      return out;
    }

    @Override
    byte[] arrayOrNull() {
      return null;
    }

    @Override
    public boolean equals(Object o) {
      return o == this || (o instanceof Packed p
          && p.low == low && p.high == high && p.length == length);
    }

    @Override
    public int hashCode() {
      long h = low * 0x9E3779B97F4A7C15L;
      h ^= Long.rotateLeft(high * 0xC2B2AE3D27D4EB4FL, 31) ^ length;
      h ^= h >>> 29;
      h *= 0xBF58476D1CE4E5B9L;
      return (int) (h ^ (h >>> 32));
    }
  }

  /** A key longer than {@value #INLINE_MAX} bytes, kept as its array. */
  static final class Array extends StoreKey {
    private final byte[] bytes;

    Array(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    byte[] rawBytes() {
      return bytes;
    }

    @Override
    byte[] arrayOrNull() {
      return bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o == this || (o instanceof Array a && Arrays.equals(a.bytes, bytes));
    }

    @Override
    public int hashCode() {
      int h = Arrays.hashCode(bytes) * 0x9E3779B9;
      return h ^ (h >>> 16);
    }
  }
}
