package io.ringcache.client;

/**
 * A near cache's counters since it was made.
 *
 * @param hits reads served from the near cache
 * @param misses reads that went to the cluster (absent, expired lease, or not vouched for)
 * @param unvouched of the misses, those whose entry was there but could not be served: its
 *     owner's event stream was silent, had a gap, or had not spoken since the read
 * @param invalidations entries dropped by an event or by this client's own write
 * @param flushes times every entry was dropped (events missed, topology changed)
 */
public record NearCacheStats(long hits, long misses, long unvouched, long invalidations,
    long flushes) {}
