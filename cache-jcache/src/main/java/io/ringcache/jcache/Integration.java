package io.ringcache.jcache;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * A cache's {@link CacheLoader} and {@link CacheWriter} (JSR-107 "Integration"), made once from the
 * configuration's factories, run in this client.
 *
 * <p>Failure: anything a loader throws reaches the caller as a {@link CacheLoaderException},
 * anything a writer throws as a {@link CacheWriterException} (the original as cause). The batch
 * writer calls leave in their collection what was not written or deleted, as the spec asks, and
 * hand their failure back instead of throwing, so the caller applies the rest first.
 */
final class Integration<K, V> {

  private final CacheLoader<K, V> loader;
  private final CacheWriter<K, V> writer;
  private final boolean readThrough;
  private final boolean writeThrough;

  @SuppressWarnings("unchecked")
  Integration(CompleteConfiguration<K, V> config) {
    this.loader = config.getCacheLoaderFactory() == null ? null
        : config.getCacheLoaderFactory().create();
    // A writer of supertypes takes K and V: the cast only narrows what it is called with.
    this.writer = config.getCacheWriterFactory() == null ? null
        : (CacheWriter<K, V>) config.getCacheWriterFactory().create();
    this.readThrough = config.isReadThrough();
    this.writeThrough = config.isWriteThrough();
  }

  boolean readsThrough() {
    return readThrough && loader != null;
  }

  boolean hasLoader() {
    return loader != null;
  }

  boolean writesThrough() {
    return writeThrough && writer != null;
  }

  V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("CacheLoader.load(" + key + ") failed", e);
    }
  }

  Map<K, V> loadAll(Iterable<? extends K> keys) {
    try {
      return loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoaderException("CacheLoader.loadAll failed", e);
    }
  }

  void write(K key, V value) {
    if (!writesThrough()) {
      return;
    }
    try {
      writer.write(new RingcacheEntry<>(key, value));
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheWriterException("CacheWriter.write(" + key + ") failed", e);
    }
  }

  void delete(K key) {
    if (!writesThrough()) {
      return;
    }
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (Exception e) {
      throw new CacheWriterException("CacheWriter.delete(" + key + ") failed", e);
    }
  }

  /** Writes {@code entries}; afterwards it holds the entries not written. Null if all went. */
  CacheWriterException writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
    if (!writesThrough() || entries.isEmpty()) {
      return null;
    }
    try {
      writer.writeAll(entries);
      return null;
    } catch (CacheWriterException e) {
      return e;
    } catch (Exception e) {
      return new CacheWriterException("CacheWriter.writeAll failed", e);
    }
  }

  /** Deletes {@code keys}; afterwards it holds the keys not deleted. Null if all went. */
  CacheWriterException deleteAll(Collection<?> keys) {
    if (!writesThrough() || keys.isEmpty()) {
      return null;
    }
    try {
      writer.deleteAll(keys);
      return null;
    } catch (CacheWriterException e) {
      return e;
    } catch (Exception e) {
      return new CacheWriterException("CacheWriter.deleteAll failed", e);
    }
  }

  void close() {
    closeQuietly(loader);
    closeQuietly(writer);
  }

  static void closeQuietly(Object o) {
    if (o instanceof Closeable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        // closing a user's component: nothing more the cache can do about its failure
      }
    }
  }
}
