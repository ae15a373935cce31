package io.ringcache.protocol;

import io.ringcache.ring.KeyHash;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cache key: non-empty, valid UTF-8 bytes, compared by content, in the cache named
 * {@value #DEFAULT_CACHE} or in a named cache.
 *
 * <h2>Named caches</h2>
 * A key of a named cache is qualified on the wire and in the store as {@code 0xFF name 0xFF key}:
 * 0xFF never occurs in UTF-8, so a qualified key cannot collide with a key of the default cache
 * (any valid UTF-8), and every layer below the front ends (routing, replication, transfers,
 * drains) handles it as one more key. Its ring position hashes the qualified bytes, so each
 * {@code (cache, key)} pair has its own place on the one ring.
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

  /** The cache of unqualified keys. */
  public static final String DEFAULT_CACHE = "default";
  /** The byte that opens and closes a cache name in a qualified key (never valid UTF-8). */
  public static final int CACHE_MARK = 0xFF;
  /** Longest cache name, in bytes. */
  public static final int MAX_CACHE_NAME_BYTES = 128;
  /** Most bytes a cache qualifier adds to a key: the two marks and the longest name. */
  public static final int MAX_QUALIFIER_BYTES = MAX_CACHE_NAME_BYTES + 2;

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

  /**
   * The key {@code key} of cache {@code cache}: unqualified for {@value #DEFAULT_CACHE}, else
   * {@code 0xFF cache 0xFF key}.
   */
  public static Key of(String cache, String key) {
    if (DEFAULT_CACHE.equals(cache)) {
      return of(key);
    }
    byte[] name = Utf8.encode(cache, "cache name");
    checkCacheName(name);
    byte[] k = Utf8.encode(key, "key");
    requireNonEmpty(k);
    byte[] b = new byte[k.length + name.length + 2];
    b[0] = (byte) CACHE_MARK;
    System.arraycopy(name, 0, b, 1, name.length);
    b[name.length + 1] = (byte) CACHE_MARK;
    System.arraycopy(k, 0, b, name.length + 2, k.length);
    return new Key(b);
  }

  private static void checkCacheName(byte[] name) {
    if (name.length == 0 || name.length > MAX_CACHE_NAME_BYTES) {
      throw new IllegalArgumentException(String.format(
          "cache name is %d bytes, must be 1..%d", name.length, MAX_CACHE_NAME_BYTES));
    }
  }

  /**
   * Where the key proper starts in {@code bytes}: 0 for an unqualified key, after the second mark
   * for a qualified one, or -1 if the bytes open a qualifier that is malformed (no closing mark, a
   * name of the wrong length or not UTF-8, an empty key).
   */
  static int keyStart(byte[] bytes) {
    if (bytes.length == 0 || (bytes[0] & 0xFF) != CACHE_MARK) {
      return 0;
    }
    for (int i = 1; i < bytes.length && i <= MAX_CACHE_NAME_BYTES + 1; i++) {
      if ((bytes[i] & 0xFF) == CACHE_MARK) {
        if (i == 1 || i + 1 >= bytes.length || Utf8.invalidOffset(bytes, 1, i) >= 0
            || namesDefault(bytes, i)) {
          return -1;
        }
        return i + 1;
      }
    }
    return -1;
  }

  /** Whether {@code bytes} are valid UTF-8. */
  public static boolean isUtf8(byte[] bytes) {
    return Utf8.invalidOffset(bytes) < 0;
  }

  private static final byte[] DEFAULT_BYTES =
      DEFAULT_CACHE.getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether the qualifier closing at {@code end} names the default cache: its keys are never
   * qualified, so such a key would be stored apart from the key it names.
   */
  private static boolean namesDefault(byte[] bytes, int end) {
    return end - 1 == DEFAULT_BYTES.length
        && Arrays.equals(bytes, 1, end, DEFAULT_BYTES, 0, DEFAULT_BYTES.length);
  }

  /** Whether the key belongs to a named cache (is qualified). */
  public boolean isQualified() {
    return (bytes[0] & 0xFF) == CACHE_MARK;
  }

  /** The key's cache: {@value #DEFAULT_CACHE} for an unqualified key. */
  public String cacheName() {
    int start = keyStart(bytes);
    return start == 0 ? DEFAULT_CACHE
        : new String(bytes, 1, start - 2, StandardCharsets.UTF_8);
  }

  /** Bytes of the key proper, without the cache qualifier. */
  public int userKeyLength() {
    return bytes.length - keyStart(bytes);
  }

  /** Whether the key belongs to cache {@code nameBytes} (its UTF-8 bytes; never the default). */
  public boolean inCache(byte[] nameBytes) {
    return isQualified() && bytes.length > nameBytes.length + 2
        && (bytes[nameBytes.length + 1] & 0xFF) == CACHE_MARK
        && Arrays.equals(bytes, 1, nameBytes.length + 1, nameBytes, 0, nameBytes.length);
  }

  /**
   * The key of bytes a node's store holds (validated when they arrived): no check, no copy; the
   * caller must not modify the array.
   */
  public static Key ofStored(byte[] bytes) {
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

  /** The key proper as text, without the cache qualifier (see {@link #cacheName()}). */
  public String asString() {
    int start = keyStart(bytes);
    return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
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

  /** The key as text; a named cache's key as {@code cache/key}. */
  @Override
  public String toString() {
    return isQualified() ? cacheName() + "/" + asString() : asString();
  }
}
