package io.ringcache.jcache;

import javax.cache.Cache;

/**
 * A key and value read from a cache (iteration, {@code invokeAll} results, writer calls): a
 * snapshot, detached from the cache.
 */
public final class RingcacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  RingcacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
