package io.ringcache.node.store;

import java.time.Duration;

/**
 * Settings of a {@link LocalStore}.
 *
 * @param maxBytes bound on the weighted size: the heap each entry's key and value arrays take
 *     plus {@link LocalStore#ENTRY_OVERHEAD_BYTES} ({@link LocalStore#weightOf}), tombstones
 *     included. Default: 25% of the JVM's
 *     maximum heap ({@code Runtime.maxMemory()}), leaving room for garbage-collector headroom,
 *     network buffers and the in-flight copies made by replication and transfers
 * @param tombstoneTtl how long a delete's tombstone outlives it, so a late replica write or range
 *     transfer carrying an older version cannot resurrect the key. It must exceed the longest
 *     replication delay and the duration of a transfer phase. Default: 60 s
 * @param maxClockOffset how far ahead of this node's wall clock the version of a replicated or
 *     transferred entry may be; an entry further ahead is refused ({@link
 *     StoreStatus#CLOCK_OFFSET}) and the clock is left unchanged. It must exceed the clock skew
 *     between nodes. Default: 500 ms
 */
public record StoreConfig(long maxBytes, Duration tombstoneTtl, Duration maxClockOffset) {

  /** Default tombstone lifetime. */
  public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofSeconds(60);

  /** Default maximum clock offset. */
  public static final Duration DEFAULT_MAX_CLOCK_OFFSET = Duration.ofMillis(500);

  /** Validates the settings with messages that name the value and the limit. */
  public StoreConfig {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0 but was " + maxBytes);
    }
    if (tombstoneTtl == null) {
      throw new NullPointerException("tombstoneTtl");
    }
    if (tombstoneTtl.isNegative() || tombstoneTtl.isZero() || tombstoneTtl.toMillis() == 0) {
      throw new IllegalArgumentException(
          "tombstoneTtl must be at least 1 ms but was " + tombstoneTtl);
    }
    if (maxClockOffset == null) {
      throw new NullPointerException("maxClockOffset");
    }
    if (maxClockOffset.isNegative()) {
      throw new IllegalArgumentException(
          "maxClockOffset must be >= 0 but was " + maxClockOffset);
    }
  }

  /** Settings with the default maximum clock offset. */
  public StoreConfig(long maxBytes, Duration tombstoneTtl) {
    this(maxBytes, tombstoneTtl, DEFAULT_MAX_CLOCK_OFFSET);
  }

  /** 25% of the maximum heap, a 60 s tombstone TTL and a 500 ms maximum clock offset. */
  public static StoreConfig defaults() {
    return new StoreConfig(defaultMaxBytes(), DEFAULT_TOMBSTONE_TTL);
  }

  /** 25% of {@code Runtime.maxMemory()}. */
  public static long defaultMaxBytes() {
    return Math.max(1, Runtime.getRuntime().maxMemory() / 4);
  }

  /** This config with another byte bound. */
  public StoreConfig withMaxBytes(long bytes) {
    return new StoreConfig(bytes, tombstoneTtl, maxClockOffset);
  }

  /** This config with another tombstone lifetime. */
  public StoreConfig withTombstoneTtl(Duration ttl) {
    return new StoreConfig(maxBytes, ttl, maxClockOffset);
  }

  /** This config with another maximum clock offset. */
  public StoreConfig withMaxClockOffset(Duration offset) {
    return new StoreConfig(maxBytes, tombstoneTtl, offset);
  }
}
