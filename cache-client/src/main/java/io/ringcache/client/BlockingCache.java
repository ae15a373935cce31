package io.ringcache.client;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link AsyncRingCache} for callers that wait: each method blocks until its call completes and
 * throws the {@link CacheException} the call failed with. Every call is bounded by the client's
 * request timeout and retry budget, so none waits forever. Do not call these from a stage callback
 * of the same client: that thread is the one that would complete the call.
 */
public interface BlockingCache<V> {

  Optional<Versioned<V>> get(String key);

  Map<String, Versioned<V>> getAll(Collection<String> keys);

  long put(String key, V value);

  long put(String key, V value, Duration ttl);

  OptionalLong putIfAbsent(String key, V value, Duration ttl);

  OptionalLong replace(String key, V value, Duration ttl);

  long compareAndSet(String key, long expectedVersion, V value);

  boolean remove(String key);

  long increment(String key, long delta);

  void putAll(Map<String, ? extends V> entries);

  void putAll(Map<String, ? extends V> entries, Duration ttl);
}
