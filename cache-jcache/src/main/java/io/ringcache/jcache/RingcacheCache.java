package io.ringcache.jcache;

import io.ringcache.client.CacheClient;
import io.ringcache.client.NamedCache;
import io.ringcache.client.Versioned;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.management.ObjectName;

/**
 * A JCache {@link Cache} over one ringcache named cache.
 *
 * <p>Design: each operation reads the key's value and version, decides what JCache says happens
 * (which {@code ExpiryPolicy} method to ask, whether the writer runs, what counts in the
 * statistics), and then writes with the version it read; when another client wrote in between,
 * the write is refused and the operation starts again from the read (at most
 * {@value #MAX_ATTEMPTS} times). That makes {@code putIfAbsent}, {@code replace},
 * {@code getAndPut}, {@code remove(k, v)} and {@code invoke} atomic per key across clients without
 * locks, on the nodes' versions. The class is long because JCache's interface is: each method is
 * short and the work lives in {@link Store} (cluster calls), {@link PolicyExpiry} (TTLs),
 * {@link Integration} (loader and writer), {@link ReadThrough} (single-flight loading of misses),
 * {@link ListenerHub} (events) and {@link ProcessorEntry} (entry processors).
 *
 * <p>Failure: what is guaranteed across node failures is what the client guarantees for each
 * call (docs/jcache.md). The writer runs before the cache changes; if it fails, the cache does
 * not change. A loader's or writer's side effects are not undone when the cache write after
 * them fails, and a write retried after a lost race calls the writer again.
 */
public final class RingcacheCache<K, V> implements Cache<K, V> {

  static final int MAX_ATTEMPTS = 100;
  static final long CLOSE_WAIT_SECONDS = 10;

  private final RingcacheCacheManager manager;
  private final String name;
  private final MutableConfiguration<K, V> configuration;
  private final Store<K, V> store;
  private final PolicyExpiry expiry;
  private final Integration<K, V> integration;
  private final ReadThrough<K, V> readThrough;
  private final ListenerHub<K, V> listeners;
  private final Statistics statistics = new Statistics();
  private final ConfigurationBean configurationBean = new ConfigurationBean(this);
  private final ExecutorService loadExecutor;
  private volatile boolean closed;

  RingcacheCache(RingcacheCacheManager manager, String name, CompleteConfiguration<K, V> config,
      NamedCache<byte[]> named, ExecutorService dispatcher, ExecutorService async,
      ExecutorService loadExecutor) {
    this.manager = manager;
    this.name = name;
    this.configuration = new MutableConfiguration<>(config);
    this.loadExecutor = loadExecutor;
    ClassLoader loader = manager.getClassLoader();
    this.store = new Store<>(named, new KeyCodec(loader), new Serialization<>(loader));
    this.expiry = new PolicyExpiry(configuration.getExpiryPolicyFactory().create());
    this.integration = new Integration<>(configuration);
    this.readThrough = new ReadThrough<>(store, integration, expiry, statistics);
    this.listeners = new ListenerHub<>(this, named, store::decodeKey, store::decode,
        dispatcher, async);
    store.hub(listeners);
    for (CacheEntryListenerConfiguration<K, V> l :
        configuration.getCacheEntryListenerConfigurations()) {
      listeners.register(l);
    }
    statistics.enabled(configuration.isStatisticsEnabled());
    if (configuration.isManagementEnabled()) {
      MBeans.register(configurationBean, mbeanName(MBeans.Kind.CONFIGURATION));
    }
    if (configuration.isStatisticsEnabled()) {
      MBeans.register(statistics, mbeanName(MBeans.Kind.STATISTICS));
    }
  }

  // ---- reads ----------------------------------------------------------------------------------

  @Override
  public V get(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    V value = getOne(key);
    statistics.getTime(start);
    return value;
  }

  private V getOne(K key) {
    String k = store.key(key);
    Store.Hit<V> hit = store.read(k);
    if (hit != null) {
      statistics.hits(1);
      store.access(k, hit.version(), expiry.forAccess());
      return hit.value();
    }
    statistics.misses(1);
    if (!integration.readsThrough()) {
      return null;
    }
    return readThrough.load(key);
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    ensureOpen();
    requireKeys(keys);
    long start = System.nanoTime();
    Map<String, K> byStored = new LinkedHashMap<>();
    for (K key : keys) {
      byStored.put(store.key(key), key);
    }
    Map<String, Store.Hit<V>> hits = store.readAll(byStored.keySet());
    Map<K, V> result = new HashMap<>();
    List<K> missing = new ArrayList<>();
    for (Map.Entry<String, K> e : byStored.entrySet()) {
      Store.Hit<V> hit = hits.get(e.getKey());
      if (hit == null) {
        missing.add(e.getValue());
        continue;
      }
      result.put(e.getValue(), hit.value());
      store.access(e.getKey(), hit.version(), expiry.forAccess());
    }
    statistics.hits(result.size());
    statistics.misses(missing.size());
    if (!missing.isEmpty() && integration.readsThrough()) {
      result.putAll(readThrough.loadAll(missing));
    }
    statistics.getTime(start);
    return result;
  }

  @Override
  public boolean containsKey(K key) {
    ensureOpen();
    requireKey(key);
    return store.read(store.key(key)) != null;
  }

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues,
      CompletionListener completionListener) {
    ensureOpen();
    requireKeys(keys);
    CompletionListener listener = completionListener != null ? completionListener
        : new CompletionListener() {
          @Override
          public void onCompletion() {}

          @Override
          public void onException(Exception e) {}
        };
    if (!integration.hasLoader()) {
      listener.onCompletion();
      return;
    }
    Set<K> copy = new HashSet<>(keys);
    loadExecutor.execute(() -> {
      try {
        load(copy, replaceExistingValues);
        listener.onCompletion();
      } catch (Exception e) {
        listener.onException(e);
      }
    });
  }

  private void load(Set<K> keys, boolean replaceExisting) {
    List<K> toLoad = new ArrayList<>();
    for (K key : keys) {
      if (replaceExisting || store.read(store.key(key)) == null) {
        toLoad.add(key);
      }
    }
    if (toLoad.isEmpty()) {
      return;
    }
    Map<K, V> loaded = integration.loadAll(toLoad);
    if (loaded == null) {
      return;
    }
    for (K key : toLoad) {
      V value = loaded.get(key);
      if (value == null) {
        continue;
      }
      if (replaceExisting) {
        putOne(key, value, false);
      } else {
        readThrough.create(store.key(key), value);
      }
    }
  }

  // ---- writes ---------------------------------------------------------------------------------

  @Override
  public void put(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    integration.write(key, value);
    putOne(key, value, false);
    statistics.putTime(start);
  }

  /**
   * Creates or updates {@code key}: the value it replaced, or null. Asks the expiry policy for
   * creation or update; counts a put when stored, and a hit or miss when {@code countRead}.
   */
  private V putOne(K key, V value, boolean countRead) {
    String k = store.key(key);
    if (expiry.eternal() && !countRead) {
      store.put(k, value);
      statistics.puts(1);
      return null;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Store.Hit<V> hit = store.read(k);
      if (hit == null) {
        long version = store.create(k, value, expiry.forCreation());
        if (version < 0) {
          continue;
        }
        if (version > 0) {
          statistics.puts(1);
        }
        if (countRead) {
          statistics.misses(1);
        }
        return null;
      }
      if (store.update(k, hit.version(), value, expiry.forUpdate()) < 0) {
        continue;
      }
      statistics.puts(1);
      if (countRead) {
        statistics.hits(1);
      }
      return hit.value();
    }
    throw contention(key, "put");
  }

  @Override
  public V getAndPut(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    integration.write(key, value);
    V old = putOne(key, value, true);
    statistics.putTime(start);
    statistics.getTime(start);
    return old;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    ensureOpen();
    if (map == null) {
      throw new NullPointerException("putAll: map is null");
    }
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      requireKey(e.getKey());
      if (e.getValue() == null) {
        throw new NullPointerException("putAll: the value of key " + e.getKey() + " is null");
      }
    }
    long start = System.nanoTime();
    Collection<Cache.Entry<? extends K, ? extends V>> toWrite = new ArrayList<>();
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      toWrite.add(new RingcacheEntry<>(e.getKey(), e.getValue()));
    }
    CacheWriterException failure = integration.writeAll(toWrite);
    Set<K> unwritten = new HashSet<>();
    if (failure != null) {
      for (Cache.Entry<? extends K, ? extends V> e : toWrite) {
        unwritten.add(e.getKey());
      }
    }
    for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
      if (!unwritten.contains(e.getKey())) {
        putOne(e.getKey(), e.getValue(), false);
      }
    }
    statistics.putTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    String k = store.key(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (store.read(k) != null) {
        statistics.hits(1);
        return false;
      }
      integration.write(key, value);
      long version = store.create(k, value, expiry.forCreation());
      if (version < 0) {
        continue;
      }
      statistics.misses(1);
      if (version > 0) {
        statistics.puts(1);
      }
      statistics.putTime(start);
      return true;
    }
    throw contention(key, "putIfAbsent");
  }

  @Override
  public boolean remove(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    integration.delete(key);
    boolean removed = removeOne(key) != null;
    if (removed) {
      statistics.removals(1);
      statistics.removeTime(start);
    }
    return removed;
  }

  /** Removes whatever value the key has: that value, or null if absent. */
  private V removeOne(K key) {
    String k = store.key(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Store.Hit<V> hit = store.read(k);
      if (hit == null) {
        return null;
      }
      if (store.remove(k, hit.version(), false)) {
        return hit.value();
      }
    }
    throw contention(key, "remove");
  }

  @Override
  public boolean remove(K key, V oldValue) {
    ensureOpen();
    requireKey(key);
    if (oldValue == null) {
      throw new NullPointerException("remove: oldValue is null for key " + key);
    }
    long start = System.nanoTime();
    String k = store.key(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Store.Hit<V> hit = store.read(k);
      if (hit == null) {
        statistics.misses(1);
        return false;
      }
      if (!hit.value().equals(oldValue)) {
        statistics.hits(1);
        store.access(k, hit.version(), expiry.forAccess());
        return false;
      }
      integration.delete(key);
      if (store.remove(k, hit.version(), false)) {
        statistics.hits(1);
        statistics.removals(1);
        statistics.removeTime(start);
        return true;
      }
    }
    throw contention(key, "remove");
  }

  @Override
  public V getAndRemove(K key) {
    ensureOpen();
    requireKey(key);
    long start = System.nanoTime();
    integration.delete(key);
    V old = removeOne(key);
    if (old != null) {
      statistics.hits(1);
      statistics.removals(1);
      statistics.removeTime(start);
    } else {
      statistics.misses(1);
    }
    statistics.getTime(start);
    return old;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    ensureOpen();
    requireKey(key);
    if (oldValue == null || newValue == null) {
      throw new NullPointerException("replace: a null value for key " + key);
    }
    long start = System.nanoTime();
    String k = store.key(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Store.Hit<V> hit = store.read(k);
      if (hit == null) {
        statistics.misses(1);
        return false;
      }
      if (!hit.value().equals(oldValue)) {
        statistics.hits(1);
        store.access(k, hit.version(), expiry.forAccess());
        return false;
      }
      integration.write(key, newValue);
      if (store.update(k, hit.version(), newValue, expiry.forUpdate()) >= 0) {
        statistics.hits(1);
        statistics.puts(1);
        statistics.putTime(start);
        return true;
      }
    }
    throw contention(key, "replace");
  }

  @Override
  public boolean replace(K key, V value) {
    return replaceOne(key, value, "replace") != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    return replaceOne(key, value, "getAndReplace");
  }

  private V replaceOne(K key, V value, String op) {
    ensureOpen();
    requireKey(key);
    requireValue(value);
    long start = System.nanoTime();
    String k = store.key(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Store.Hit<V> hit = store.read(k);
      if (hit == null) {
        statistics.misses(1);
        return null;
      }
      integration.write(key, value);
      if (store.update(k, hit.version(), value, expiry.forUpdate()) >= 0) {
        statistics.hits(1);
        statistics.puts(1);
        statistics.putTime(start);
        statistics.getTime(start);
        return hit.value();
      }
    }
    throw contention(key, op);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    ensureOpen();
    requireKeys(keys);
    removeKeys(new ArrayList<>(keys));
  }

  @Override
  public void removeAll() {
    ensureOpen();
    List<K> keys = new ArrayList<>();
    Iterator<Map.Entry<String, Versioned<byte[]>>> it = store.named().entries();
    while (it.hasNext()) {
      keys.add(store.decodeKey(it.next().getKey()));
    }
    removeKeys(keys);
  }

  private void removeKeys(List<K> keys) {
    long start = System.nanoTime();
    List<K> toDelete = new ArrayList<>(keys);
    CacheWriterException failure = integration.deleteAll(toDelete);
    Set<Object> undeleted = failure == null ? Set.of() : new HashSet<>(toDelete);
    int removed = 0;
    for (K key : keys) {
      if (!undeleted.contains(key) && removeOne(key) != null) {
        removed++;
      }
    }
    statistics.removals(removed);
    if (removed > 0) {
      statistics.removeTime(start);
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void clear() {
    ensureOpen();
    Calls.join(store.named().clear());
  }

  // ---- entry processors -----------------------------------------------------------------------

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
    ensureOpen();
    requireKey(key);
    if (processor == null) {
      throw new NullPointerException("invoke: the entry processor is null");
    }
    String k = store.key(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, store.read(k),
          integration.readsThrough() ? integration::load : null);
      T result;
      try {
        result = processor.process(entry, arguments);
      } catch (EntryProcessorException e) {
        throw e;
      } catch (Exception e) {
        throw new EntryProcessorException(e);
      }
      try {
        if (apply(k, entry)) {
          if (entry.current() != null) {
            statistics.hits(1);
          } else {
            statistics.misses(1);
          }
          return result;
        }
      } catch (CacheLoaderException | CacheWriterException e) {
        throw new EntryProcessorException(e);
      }
    }
    throw contention(key, "invoke");
  }

  /**
   * Applies the processor's net effect; false if the entry changed since it was read. The lookup
   * itself counts as one hit or miss (the TCK's statistics tests), done by the caller.
   */
  private boolean apply(String k, ProcessorEntry<K, V> entry) {
    Store.Hit<V> current = entry.current();
    switch (entry.op()) {
      case NONE:
        return true;
      case ACCESS:
        store.access(k, current.version(), expiry.forAccess());
        return true;
      case LOAD:
        if (store.create(k, entry.value(), expiry.forCreation()) < 0) {
          return false;
        }
        statistics.puts(1);
        return true;
      case CREATE:
        integration.write(entry.getKey(), entry.value());
        long created = store.create(k, entry.value(), expiry.forCreation());
        if (created < 0) {
          return false;
        }
        if (created > 0) {
          statistics.puts(1);
        }
        return true;
      case UPDATE:
        integration.write(entry.getKey(), entry.value());
        if (store.update(k, current.version(), entry.value(), expiry.forUpdate()) < 0) {
          return false;
        }
        statistics.puts(1);
        return true;
      case REMOVE:
        integration.delete(entry.getKey());
        if (current == null) {
          return true;
        }
        if (!store.remove(k, current.version(), false)) {
          return false;
        }
        statistics.removals(1);
        return true;
      default:
        throw new IllegalStateException("unknown entry operation " + entry.op());
    }
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    ensureOpen();
    requireKeys(keys);
    if (processor == null) {
      throw new NullPointerException("invokeAll: the entry processor is null");
    }
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (EntryProcessorException e) {
        results.put(key, () -> {
          throw e;
        });
      } catch (RuntimeException e) {
        EntryProcessorException wrapped = new EntryProcessorException(e);
        results.put(key, () -> {
          throw wrapped;
        });
      }
    }
    return results;
  }

  // ---- iteration, listeners, configuration ----------------------------------------------------

  @Override
  public Iterator<Cache.Entry<K, V>> iterator() {
    ensureOpen();
    Iterator<Map.Entry<String, Versioned<byte[]>>> entries = store.named().entries();
    return new Iterator<>() {
      private K last;

      @Override
      public boolean hasNext() {
        ensureOpen();
        return entries.hasNext();
      }

      @Override
      public Cache.Entry<K, V> next() {
        ensureOpen();
        Map.Entry<String, Versioned<byte[]>> e = entries.next();
        K key = store.decodeKey(e.getKey());
        V value = store.decode(e.getValue().value());
        statistics.hits(1);
        store.access(e.getKey(), e.getValue().version(), expiry.forAccess());
        last = key;
        return new RingcacheEntry<>(key, value);
      }

      @Override
      public void remove() {
        ensureOpen();
        if (last == null) {
          throw new IllegalStateException("remove() before next(), or twice");
        }
        K key = last;
        last = null;
        RingcacheCache.this.remove(key);
      }
    };
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> config) {
    ensureOpen();
    if (config == null) {
      throw new NullPointerException("registerCacheEntryListener: configuration is null");
    }
    for (CacheEntryListenerConfiguration<K, V> c :
        configuration.getCacheEntryListenerConfigurations()) {
      if (c.equals(config)) {
        throw new IllegalArgumentException("listener configuration " + config
            + " is already registered on cache " + name);
      }
    }
    configuration.addCacheEntryListenerConfiguration(config);
    listeners.register(config);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> config) {
    ensureOpen();
    if (config == null) {
      throw new NullPointerException("deregisterCacheEntryListener: configuration is null");
    }
    configuration.removeCacheEntryListenerConfiguration(config);
    listeners.deregister(config);
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    if (clazz.isInstance(configuration)) {
      return clazz.cast(configuration);
    }
    throw new IllegalArgumentException("the configuration of cache " + name
        + " is a MutableConfiguration, not a " + clazz.getName());
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isAssignableFrom(NamedCache.class)) {
      return clazz.cast(store.named());
    }
    if (clazz.isAssignableFrom(CacheClient.class)) {
      return clazz.cast(manager.client());
    }
    throw new IllegalArgumentException("cache " + name + " cannot be unwrapped to "
        + clazz.getName() + "; it unwraps to RingcacheCache, NamedCache or CacheClient");
  }

  // ---- lifecycle and management ---------------------------------------------------------------

  @Override
  public void close() {
    if (closeQuietly()) {
      manager.released(this);
    }
  }

  /** Closes without telling the manager: true if this call closed it. */
  boolean closeQuietly() {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
    }
    MBeans.unregister(mbeanName(MBeans.Kind.CONFIGURATION));
    MBeans.unregister(mbeanName(MBeans.Kind.STATISTICS));
    List<Registration<K, V>> registered = new ArrayList<>();
    listeners.registrations().forEach(registered::add);
    listeners.close();
    // A loadAll still running uses the loader: let it finish before the loader is closed.
    loadExecutor.shutdown();
    awaitQuietly(loadExecutor);
    integration.close();
    Integration.closeQuietly(expiry.policy());
    for (Registration<K, V> r : registered) {
      Integration.closeQuietly(r.listener());
    }
    return true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Waits up to {@value #CLOSE_WAIT_SECONDS} s for a shut-down executor's running work. */
  static void awaitQuietly(ExecutorService executor) {
    try {
      executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void setStatisticsEnabled(boolean on) {
    configuration.setStatisticsEnabled(on);
    statistics.enabled(on);
    if (on) {
      MBeans.register(statistics, mbeanName(MBeans.Kind.STATISTICS));
    } else {
      MBeans.unregister(mbeanName(MBeans.Kind.STATISTICS));
    }
  }

  void setManagementEnabled(boolean on) {
    configuration.setManagementEnabled(on);
    if (on) {
      MBeans.register(configurationBean, mbeanName(MBeans.Kind.CONFIGURATION));
    } else {
      MBeans.unregister(mbeanName(MBeans.Kind.CONFIGURATION));
    }
  }

  private ObjectName mbeanName(MBeans.Kind kind) {
    return MBeans.name(kind, manager.getURI().toString(), name);
  }

  private void ensureOpen() {
    if (closed || manager.isClosed()) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  private static void requireKey(Object key) {
    if (key == null) {
      throw new NullPointerException("a JCache key cannot be null");
    }
  }

  private static void requireValue(Object value) {
    if (value == null) {
      throw new NullPointerException("a JCache value cannot be null");
    }
  }

  private static void requireKeys(Set<?> keys) {
    if (keys == null) {
      throw new NullPointerException("the key set is null");
    }
    for (Object k : keys) {
      requireKey(k);
    }
  }

  private CacheException contention(K key, String op) {
    return new CacheException(String.format("%s(%s) on cache %s lost the race to other writers"
        + " %d times in a row", op, key, name, MAX_ATTEMPTS));
  }
}
