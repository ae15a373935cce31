package io.ringcache.jcache;

import io.ringcache.client.CacheClient;
import io.ringcache.client.CacheSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * A JCache {@link CacheManager} over one {@link CacheClient}, made on first use by the
 * {@link ClientFactory} and closed with the manager.
 *
 * <p>Design: caches are cluster state. {@code createCache} records the cache in the cluster
 * ({@code CacheAdmin.create}); when the cluster already has a cache of that name with the same
 * key and value types, this manager opens it (data included) rather than failing, since another
 * application instance created it; other types fail with {@link CacheException}.
 * {@code getCache} opens any cache the cluster has. {@code getCacheNames} lists the caches this
 * manager has open, {@code destroyCache} removes a cache from the whole cluster, and
 * {@code close} closes this manager's caches without touching their data.
 *
 * <p>Concurrency: opening and closing caches is serialized on the manager; cache operations are
 * not.
 */
public final class RingcacheCacheManager implements CacheManager {

  private final RingcacheCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final Map<String, RingcacheCache<?, ?>> caches = new LinkedHashMap<>();
  private CacheClient client;
  private volatile boolean closed;

  RingcacheCacheManager(RingcacheCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public synchronized <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(
      String cacheName, C configuration) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    if (caches.containsKey(cacheName)) {
      throw new CacheException("cache '" + cacheName + "' already exists in CacheManager " + uri);
    }
    CompleteConfiguration<K, V> complete = complete(configuration);
    CacheSettings wanted = CacheDefinitions.settings(cacheName, complete);
    CacheSettings stored = Calls.join(client().caches().create(wanted));
    if (!CacheDefinitions.sameTypes(stored, wanted)) {
      throw new CacheException(String.format("cache '%s' already exists in the cluster with key"
          + " type %s and value type %s; asked for %s and %s", cacheName,
          stored.attributes().get(CacheDefinitions.KEY_TYPE),
          stored.attributes().get(CacheDefinitions.VALUE_TYPE), complete.getKeyType().getName(),
          complete.getValueType().getName()));
    }
    return open(cacheName, complete);
  }

  @SuppressWarnings("unchecked")
  private static <K, V> CompleteConfiguration<K, V> complete(Configuration<K, V> config) {
    if (config instanceof CompleteConfiguration) {
      return new MutableConfiguration<>((CompleteConfiguration<K, V>) config);
    }
    MutableConfiguration<K, V> m = new MutableConfiguration<>();
    m.setTypes(config.getKeyType(), config.getValueType());
    m.setStoreByValue(config.isStoreByValue());
    return m;
  }

  private <K, V> RingcacheCache<K, V> open(String cacheName, CompleteConfiguration<K, V> config) {
    String clusterName = CacheDefinitions.clusterName(cacheName);
    RingcacheCache<K, V> cache = new RingcacheCache<>(this, cacheName, config,
        client().cache(clusterName), executor("ringcache-jcache-events-" + clusterName, 1),
        executor("ringcache-jcache-listeners-" + clusterName, 1),
        executor("ringcache-jcache-load-" + clusterName, 1));
    caches.put(cacheName, cache);
    return cache;
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    Cache<K, V> cache = getCache(cacheName);
    if (cache == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    CompleteConfiguration<K, V> config = cache.getConfiguration(CompleteConfiguration.class);
    if (!config.getKeyType().equals(keyType)) {
      throw new ClassCastException(String.format("cache '%s' has key type %s, not %s",
          cacheName, config.getKeyType().getName(), keyType.getName()));
    }
    if (!config.getValueType().equals(valueType)) {
      throw new ClassCastException(String.format("cache '%s' has value type %s, not %s",
          cacheName, config.getValueType().getName(), valueType.getName()));
    }
    return cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <K, V> Cache<K, V> getCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    RingcacheCache<?, ?> open = caches.get(cacheName);
    if (open != null) {
      return (Cache<K, V>) open;
    }
    Optional<CacheSettings> stored = Calls.join(
        client().caches().get(CacheDefinitions.clusterName(cacheName)));
    if (stored.isEmpty()) {
      return null;
    }
    return open(cacheName, CacheDefinitions.<K, V>configuration(stored.get(), classLoader));
  }

  @Override
  public synchronized Iterable<String> getCacheNames() {
    ensureOpen();
    return Collections.unmodifiableList(new ArrayList<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    RingcacheCache<?, ?> cache;
    synchronized (this) {
      cache = caches.remove(cacheName);
    }
    if (cache != null) {
      cache.closeQuietly();
    }
    Calls.join(client().caches().destroy(CacheDefinitions.clusterName(cacheName)));
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    RingcacheCache<?, ?> cache = openCache(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    RingcacheCache<?, ?> cache = openCache(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  private RingcacheCache<?, ?> openCache(String cacheName) {
    ensureOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    return (RingcacheCache<?, ?>) getCache(cacheName);
  }

  /** The manager's client, made on first use. */
  synchronized CacheClient client() {
    ensureOpen();
    if (client == null) {
      client = clientFactory().create(uri, properties);
    }
    return client;
  }

  private ClientFactory clientFactory() {
    String className = properties.getProperty(ClientFactory.PROPERTY,
        System.getProperty(ClientFactory.PROPERTY));
    if (className == null || className.isBlank()) {
      return new SeedClientFactory();
    }
    try {
      Class<?> type = Class.forName(className.trim(), true, classLoader);
      return (ClientFactory) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new CacheException(String.format("%s names %s, which is not a ClientFactory with a"
          + " public no-argument constructor loadable from %s", ClientFactory.PROPERTY, className,
          classLoader), e);
    }
  }

  synchronized void released(RingcacheCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  @Override
  public void close() {
    List<RingcacheCache<?, ?>> open;
    CacheClient toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(caches.values());
      caches.clear();
      toClose = client;
      client = null;
    }
    for (RingcacheCache<?, ?> c : open) {
      c.closeQuietly();
    }
    if (toClose != null) {
      toClose.close();
    }
    provider.released(this);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    if (clazz.isAssignableFrom(CacheClient.class)) {
      return clazz.cast(client());
    }
    throw new IllegalArgumentException("CacheManager " + uri + " cannot be unwrapped to "
        + clazz.getName() + "; it unwraps to RingcacheCacheManager or CacheClient");
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("CacheManager " + uri + " is closed");
    }
  }

  /** Daemon threads named after their job, so an application's exit is never held up. */
  static ExecutorService executor(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
