package io.ringcache.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A near cache's settings ({@link CacheClient#nearCache}).
 *
 * @param maxEntries most entries held (when {@code maxBytes} is 0), at least 1
 * @param maxBytes most bytes of keys and values held, or 0 to bound by entries
 * @param lease how long after the read that fetched it an entry may be served, at most; the
 *     staleness bound. At least 1 ms
 * @param refreshAhead whether an entry read in the second half of its lease is read again from
 *     the cluster in the background, in batches, so that a key read steadily stays near instead
 *     of missing once per lease (on by default; see {@code docs/near-cache.md})
 */
public record NearCacheSettings(long maxEntries, long maxBytes, Duration lease,
    boolean refreshAhead) {

  public static final long DEFAULT_MAX_ENTRIES = 10_000;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(1);

  /** Settings with refresh-ahead on. */
  public NearCacheSettings(long maxEntries, long maxBytes, Duration lease) {
    this(maxEntries, maxBytes, lease, true);
  }

  public NearCacheSettings {
    Objects.requireNonNull(lease, "lease");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
    }
    if (lease.isNegative() || lease.toMillis() < 1) {
      throw new IllegalArgumentException("lease must be at least 1 ms, was " + lease);
    }
  }

  /** 10,000 entries, a 1 s lease. */
  public static NearCacheSettings defaults() {
    return new NearCacheSettings(DEFAULT_MAX_ENTRIES, 0, DEFAULT_LEASE);
  }

  public NearCacheSettings withMaxEntries(long entries) {
    return new NearCacheSettings(entries, 0, lease, refreshAhead);
  }

  public NearCacheSettings withMaxBytes(long bytes) {
    return new NearCacheSettings(maxEntries, bytes, lease, refreshAhead);
  }

  public NearCacheSettings withLease(Duration leaseTime) {
    return new NearCacheSettings(maxEntries, maxBytes, leaseTime, refreshAhead);
  }

  public NearCacheSettings withRefreshAhead(boolean on) {
    return new NearCacheSettings(maxEntries, maxBytes, lease, on);
  }
}
