package io.ringcache.protocol;

/** Validation shared by the message records. */
final class Messages {

  private Messages() {}

  static void requireTtl(long ttlMillis) {
    if (ttlMillis < 0) {
      throw new IllegalArgumentException(
          String.format("ttlMillis is %d, must be 0 (none) or positive", ttlMillis));
    }
  }
}
