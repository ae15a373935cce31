package io.ringcache.node.store;

/**
 * A point-in-time snapshot of a store's counters; counters only grow over the store's life.
 *
 * @param entries estimated number of entries, tombstones included
 * @param weightedBytes current weighted size (see {@link StoreConfig#maxBytes()})
 * @param maxBytes the configured bound
 * @param hits reads that found a live value
 * @param misses reads that found nothing, an expired entry or a tombstone
 * @param evictions entries removed to stay within {@code maxBytes}
 * @param evictedBytes weighted bytes those evictions freed
 * @param expirations entries (values and tombstones) removed because their TTL ran out
 * @param puts writes that stored a value: set, compare-and-set, increment, and applied replica or
 *     transfer entries (Caffeine's own put counter counts loads only)
 * @param deletes deletes that removed a live value
 */
public record StoreStats(
    long entries,
    long weightedBytes,
    long maxBytes,
    long hits,
    long misses,
    long evictions,
    long evictedBytes,
    long expirations,
    long puts,
    long deletes) {

  /** {@code hits / (hits + misses)}, or 1.0 before the first read (Caffeine's convention). */
  public double hitRatio() {
    long reads = hits + misses;
    return reads == 0 ? 1.0 : (double) hits / reads;
  }
}
