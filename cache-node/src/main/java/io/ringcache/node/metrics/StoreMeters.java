package io.ringcache.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreStats;
import java.util.List;

/**
 * Micrometer's standard cache meters ({@code cache.gets}, {@code cache.puts}, {@code
 * cache.evictions}, {@code cache.size}, plus {@code cache.eviction.weight} as Micrometer's
 * Caffeine binder names it) over the store's own counters, and {@code ringcache.store.*} for what
 * the standard set has no name for.
 *
 * <p>Not Micrometer's {@code CaffeineCacheMetrics}: Caffeine's statistics count loads as puts and
 * know nothing of tombstones, while {@link StoreStats} counts our writes and treats a tombstone as
 * a miss. Every meter is a function of the store's counters, read at scrape time, so the request
 * path pays nothing for them.
 */
final class StoreMeters extends CacheMeterBinder<LocalStore> {

  static final String CACHE_NAME = "ringcache";

  private final LocalStore store;

  StoreMeters(LocalStore store) {
    super(store, CACHE_NAME, List.<Tag>of());
    // The base class holds the cache weakly; the node holds the store for its whole life anyway.
    this.store = store;
  }

  @Override
  protected Long size() {
    return store.size();
  }

  @Override
  protected long hitCount() {
    return store.stats().hits();
  }

  @Override
  protected Long missCount() {
    return store.stats().misses();
  }

  @Override
  protected Long evictionCount() {
    return store.stats().evictions();
  }

  @Override
  protected long putCount() {
    return store.stats().puts();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    Iterable<Tag> tags = getTagsWithCacheName();
    FunctionCounter.builder("cache.eviction.weight", store, s -> s.stats().evictedBytes())
        .tags(tags)
        .description("Weighted bytes freed by evictions (size bound), not by expiry or delete")
        .register(registry);
    Gauge.builder("ringcache.store.weight", store, s -> s.stats().weightedBytes())
        .tags(tags).baseUnit("bytes")
        .description("Current weighted size: key + value + per-entry overhead, tombstones too")
        .register(registry);
    Gauge.builder("ringcache.store.max.weight", store, s -> s.stats().maxBytes())
        .tags(tags).baseUnit("bytes")
        .description("The configured bound on the weighted size")
        .register(registry);
    FunctionCounter.builder("ringcache.store.expirations", store, s -> s.stats().expirations())
        .tags(tags)
        .description("Entries and tombstones removed because their TTL ran out")
        .register(registry);
    FunctionCounter.builder("ringcache.store.deletes", store, s -> s.stats().deletes())
        .tags(tags)
        .description("Deletes that removed a live value")
        .register(registry);
  }
}
