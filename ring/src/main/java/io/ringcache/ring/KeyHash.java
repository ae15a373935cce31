package io.ringcache.ring;

import java.nio.charset.StandardCharsets;

/**
 * Maps keys to positions on the ring.
 *
 * <p>A position is the first 64 bits ({@code h1}) of MurmurHash3 x64 128 with seed {@link #SEED}
 * over the key's bytes (UTF-8 for strings), read as a signed {@code long}: the same value as
 * Guava's {@code Hashing.murmur3_128(SEED).hashBytes(key).asLong()}, which {@code KeyHashTest}
 * checks over thousands of random inputs and pins with golden values. The seed and the function
 * are part of the on-wire contract: every process and every release must place a key at the same
 * position.
 *
 * <p>Why not call Guava: its {@code hashBytes} allocates a hasher state and a {@code HashCode}
 * per call and cost about 55 ns on a short key here, more than the ring lookup it precedes.
 * This implementation allocates nothing for byte arrays and for ASCII strings (the common case)
 * and reads each 16-byte block as two little-endian longs.
 *
 * <p>Reference: Austin Appleby's MurmurHash3 ({@code MurmurHash3_x64_128}, public domain).
 */
public final class KeyHash {

  /** Fixed seed, ASCII "RING". Changing it moves every key in every deployed cluster. */
  public static final int SEED = 0x52494E47;

  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private KeyHash() {}

  /** Position of a raw byte key. */
  public static long of(byte[] key) {
    return of(key, 0, key.length);
  }

  /** Position of a string key, hashed over its UTF-8 bytes. */
  public static long of(String key) {
    int length = key.length();
    for (int i = 0; i < length; i++) {
      if (key.charAt(i) >= 0x80) {
        return of(key.getBytes(StandardCharsets.UTF_8));
      }
    }
    return ofAscii(key);
  }

  /** Position of {@code length} bytes of {@code key} starting at {@code offset}. */
  public static long of(byte[] key, int offset, int length) {
    long h1 = SEED;
    long h2 = SEED;
    int blocks = length >>> 4;
    for (int b = 0; b < blocks; b++) {
      int at = offset + (b << 4);
      long k1 = littleEndian(key, at, 8);
      long k2 = littleEndian(key, at + 8, 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = offset + (blocks << 4);
    int rest = length & 15;
    if (rest > 8) {
      h2 ^= mixK2(littleEndian(key, tail + 8, rest - 8));
    }
    if (rest > 0) {
      h1 ^= mixK1(littleEndian(key, tail, Math.min(rest, 8)));
    }
    return finish(h1, h2, length);
  }

  /** {@link #of(byte[], int, int)} over a string whose chars are all ASCII, without copying. */
  private static long ofAscii(String key) {
    int length = key.length();
    long h1 = SEED;
    long h2 = SEED;
    int blocks = length >>> 4;
    for (int b = 0; b < blocks; b++) {
      int at = b << 4;
      h1 ^= mixK1(littleEndian(key, at, 8));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(littleEndian(key, at + 8, 8));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = blocks << 4;
    int rest = length & 15;
    if (rest > 8) {
      h2 ^= mixK2(littleEndian(key, tail + 8, rest - 8));
    }
    if (rest > 0) {
      h1 ^= mixK1(littleEndian(key, tail, Math.min(rest, 8)));
    }
    return finish(h1, h2, length);
  }

  private static long littleEndian(byte[] bytes, int at, int count) {
    long v = 0;
    for (int i = count - 1; i >= 0; i--) {
      v = (v << 8) | (bytes[at + i] & 0xFFL);
    }
    return v;
  }

  private static long littleEndian(String ascii, int at, int count) {
    long v = 0;
    for (int i = count - 1; i >= 0; i--) {
      v = (v << 8) | (ascii.charAt(at + i) & 0xFFL);
    }
    return v;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long finish(long h1, long h2, int length) {
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    return h1 + h2;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
