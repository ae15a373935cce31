package io.ringcache.client;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous operations on the cache, with values of type {@code V} (see
 * {@link CacheClient#typed(ValueCodec)}). Keys are non-empty strings of at most
 * {@code maxKeyBytes} UTF-8 bytes (1024 by default).
 *
 * <p>Every method returns at once; it never throws, and its stage completes with the result or
 * with a {@link CacheException}. Stages complete on the client's I/O threads: do not block in a
 * callback; use the {@code *Async} variants with your own executor for slow work.
 *
 * <p>A TTL of {@link Duration#ZERO} means none. Conditional writes ({@code putIfAbsent},
 * {@code replace}, {@code compareAndSet}, {@code increment}) are retried only when the node cannot
 * have applied them; idempotent calls are retried on any transient failure (docs/client.md).
 */
public interface AsyncRingCache<V> {

  /** The value and its version, or empty when the key is absent. */
  CompletionStage<Optional<Versioned<V>>> get(String key);

  /**
   * The present keys among {@code keys}, with values and versions; absent keys are left out. The
   * keys are split by owner and fetched in parallel.
   */
  CompletionStage<Map<String, Versioned<V>>> getAll(Collection<String> keys);

  /** Stores {@code value} with no TTL; completes with the new version. */
  CompletionStage<Long> put(String key, V value);

  /** Stores {@code value}, expiring after {@code ttl}; completes with the new version. */
  CompletionStage<Long> put(String key, V value, Duration ttl);

  /** Stores {@code value} only if the key is absent: the new version, or empty if present. */
  CompletionStage<OptionalLong> putIfAbsent(String key, V value, Duration ttl);

  /** Stores {@code value} only if the key is present: the new version, or empty if absent. */
  CompletionStage<OptionalLong> replace(String key, V value, Duration ttl);

  /**
   * Stores {@code value} only if the key's version is {@code expectedVersion}, keeping no TTL;
   * completes with the new version or fails with {@link VersionMismatchException}.
   */
  CompletionStage<Long> compareAndSet(String key, long expectedVersion, V value);

  /** Deletes the key: true if it was present. */
  CompletionStage<Boolean> remove(String key);

  /**
   * Adds {@code delta} to a counter stored as decimal text, creating it from 0; completes with the
   * new value. A value that is not a number fails with {@link CacheRejectedException}
   * ({@code BAD_REQUEST}).
   */
  CompletionStage<Long> increment(String key, long delta);

  /** Stores every entry with no TTL; split by owner and sent in parallel. */
  CompletionStage<Void> putAll(Map<String, ? extends V> entries);

  /** Stores every entry, each expiring after {@code ttl}; split by owner, sent in parallel. */
  CompletionStage<Void> putAll(Map<String, ? extends V> entries, Duration ttl);

  /** The same operations, waiting for each result. */
  BlockingCache<V> blocking();
}
