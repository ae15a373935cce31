package io.ringcache.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One named cache ({@link CacheClient#cache(String)}): the key-value operations of
 * {@link AsyncRingCache}, scoped to the cache, plus cache-wide operations, version-conditional
 * writes and entry events. Keys of different caches never collide; each (cache, key) pair has its
 * own place on the ring, and rebalancing, replication and drains move every cache's entries.
 *
 * <p>Writes without a TTL of their own take the cache's {@link CacheSettings} expiry. Every
 * method returns at once and never throws; a call on a cache that does not exist fails with
 * {@link CacheRejectedException} of status {@code NO_SUCH_CACHE}.
 */
public interface NamedCache<V> extends AsyncRingCache<V> {

  /** TTL argument meaning "keep the entry's remaining TTL" (a new entry gets none). */
  long KEEP_TTL = -1;

  /** The cache's name. */
  String name();

  /** A view of the same cache whose values go through {@code codec}. */
  <W> NamedCache<W> typed(ValueCodec<W> codec);

  /**
   * Writes {@code value} only if the key's version is {@code expectedVersion}, where 0 means
   * "only if absent"; completes with the new version, or fails with
   * {@link VersionMismatchException} carrying the current version (0 when absent).
   *
   * @param ttlMillis TTL of the write: a positive number of milliseconds, 0 for none, or
   *     {@link #KEEP_TTL}
   */
  CompletionStage<Long> putIfVersion(String key, long expectedVersion, V value, long ttlMillis);

  /**
   * Removes the key only if its version is {@code expectedVersion} (any version when 0): true if
   * removed, false if absent or at another version.
   *
   * @param asExpired tell subscribers the entry {@code EXPIRED} rather than was {@code REMOVED}
   *     (a layer above that found it past its expiry, or JCache's zero durations)
   */
  CompletionStage<Boolean> removeIfVersion(String key, long expectedVersion, boolean asExpired);

  /**
   * The value and version, setting the entry's TTL to {@code ttl} ({@link Duration#ZERO}: no
   * expiry) in the same step, or empty if absent; a touch is a write (new version, replicated)
   * that sends subscribers no event, since the value did not change (JCache's access expiry).
   */
  CompletionStage<Optional<Versioned<V>>> getAndTouch(String key, Duration ttl);

  /**
   * The key's value, loading it with {@code loader} when absent, with at most one loader call per
   * key in the whole cluster at a time (single flight): the first caller that misses gets a lease
   * from the key's coordinating owner and loads; the others wait for the value it stores, and one
   * of them takes over if the holder gives up, dies or overruns its lease. The loaded value is
   * stored only if the key is still absent, so a late loader never overwrites a newer value; the
   * stage completes with the value the cache holds then. A loader that completes with null stores
   * nothing and completes the stage with null. Waiting is bounded: past
   * {@link #SINGLE_FLIGHT_MAX_WAIT} the caller loads by itself.
   */
  CompletionStage<V> getOrLoad(String key,
      Function<String, ? extends CompletionStage<? extends V>> loader);

  /** How long {@link #getOrLoad} waits for another caller's value before it loads itself. */
  Duration SINGLE_FLIGHT_MAX_WAIT = Duration.ofSeconds(30);

  /** Default of {@link CacheClient.Builder#loadLease}: how long a {@link #getOrLoad} lease lasts. */
  Duration SINGLE_FLIGHT_LEASE = Duration.ofSeconds(10);

  /** Live entries of the cache in the whole cluster (each key counted at its primary owner). */
  CompletionStage<Long> size();

  /**
   * Removes every entry of the cache on every owner, without events; entries a rebalance moves
   * while it runs are not brought back. Writes that race the clear may survive it.
   */
  CompletionStage<Void> clear();

  /** As {@link #clear()}, but each removed entry's primary sends a {@code REMOVED} event. */
  CompletionStage<Void> removeAll();

  /**
   * Up to about {@code limit} entries from {@code cursor} on ({@link ScanCursor#START} first),
   * read from each range's primary owner; continue with {@link ScanPage#next()} until it is null.
   */
  CompletionStage<ScanPage<V>> scan(ScanCursor cursor, int limit);

  /**
   * Every entry of the cache, one page at a time, without duplicates, waiting on the calling
   * thread for each page (never call it on a client thread). Entries written or removed during
   * the walk may or may not appear.
   */
  Iterator<Map.Entry<String, Versioned<V>>> entries();

  /**
   * Delivers the cache's entry events to {@code listener}, from every owner, until the
   * subscription is cancelled or the client closed; completes once every current owner has
   * confirmed. With {@code withOldValues} each event carries the value it replaced.
   */
  CompletionStage<Subscription> subscribe(EntryListener<V> listener, boolean withOldValues);
}
