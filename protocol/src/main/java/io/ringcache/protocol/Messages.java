package io.ringcache.protocol;

/** Validation shared by the message records. */
final class Messages {

  private Messages() {}

  /** TTL meaning "keep the entry's remaining TTL", where a message allows it (CAS). */
  static final long KEEP_TTL = -1;

  static void requireTtlOrKeep(long ttlMillis) {
    if (ttlMillis < KEEP_TTL) {
      throw new IllegalArgumentException(String.format(
          "ttlMillis is %d, must be -1 (keep), 0 (none) or positive", ttlMillis));
    }
  }

  static void requireCacheName(String cache) {
    java.util.Objects.requireNonNull(cache, "cache");
    byte[] b = Utf8.encode(cache, "cache name");
    if (b.length == 0 || b.length > Key.MAX_CACHE_NAME_BYTES) {
      throw new IllegalArgumentException(String.format(
          "cache name is %d bytes, must be 1..%d", b.length, Key.MAX_CACHE_NAME_BYTES));
    }
  }

  static void requireTtl(long ttlMillis) {
    if (ttlMillis < 0) {
      throw new IllegalArgumentException(
          String.format("ttlMillis is %d, must be 0 (none) or positive", ttlMillis));
    }
  }
}
