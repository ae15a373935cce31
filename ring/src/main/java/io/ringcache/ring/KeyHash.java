package io.ringcache.ring;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * Maps keys to positions on the ring.
 *
 * <p>A position is the first 64 bits of {@code murmur3_128(SEED)} over the key's bytes (UTF-8 for
 * strings), read as a signed {@code long}. The seed and the function are part of the on-disk and
 * on-wire contract: every process and every release must place a key at the same position, so
 * {@code KeyHashTest} pins golden values. Never switch to {@code Hashing.goodFastHash}, whose seed
 * changes per JVM.
 */
public final class KeyHash {

  /** Fixed seed, ASCII "RING". Changing it moves every key in every deployed cluster. */
  public static final int SEED = 0x52494E47;

  private static final HashFunction MURMUR = Hashing.murmur3_128(SEED);

  private KeyHash() {}

  /** Position of a raw byte key. */
  public static long of(byte[] key) {
    return MURMUR.hashBytes(key).asLong();
  }

  /** Position of a string key, hashed over its UTF-8 bytes. */
  public static long of(String key) {
    return of(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Position of {@code length} bytes of {@code key} starting at {@code offset}. */
  public static long of(byte[] key, int offset, int length) {
    return MURMUR.hashBytes(key, offset, length).asLong();
  }
}
