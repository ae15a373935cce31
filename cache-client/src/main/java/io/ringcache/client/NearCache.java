package io.ringcache.client;

/**
 * A {@link NamedCache} with a near cache in front of its reads ({@link CacheClient#nearCache}).
 *
 * <p>A read served from the near cache returns a value that was the newest acknowledged value of
 * its key at most {@link NearCacheSettings#lease()} earlier: an entry is served only within its
 * lease, counted from the start of the read that fetched it, and only while the event stream of
 * the node that owns it is known complete since that read (it has spoken since, shown no gap, and
 * is not silent). Events from the owners invalidate entries as soon as they arrive; this client's
 * own writes invalidate its copy at once. See {@code docs/near-cache.md}.
 */
public interface NearCache<V> extends NamedCache<V> {

  /** Counters of the near cache, shared by every typed view of it. */
  NearCacheStats nearCacheStats();

  /** Drops every near-cached entry (the cluster's are untouched). */
  void invalidateAll();

  /** A view of the same near cache whose values go through {@code codec}. */
  @Override
  <W> NearCache<W> typed(ValueCodec<W> codec);
}
