package io.ringcache.jcache;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * ringcache's JSR-107 {@link CachingProvider}, found through {@code ServiceLoader}
 * ({@code META-INF/services/javax.cache.spi.CachingProvider}).
 *
 * <p>Design: one {@link RingcacheCacheManager} per (URI, ClassLoader), as JSR-107 "Caching Providers" asks;
 * the URI names the cluster ({@code ringcache://host:port,host:port}). The default URI is the
 * system property {@value #URI_PROPERTY}, else {@value #DEFAULT_URI}. Store-by-reference is not
 * supported: values always travel to the nodes, so every cache stores by value.
 *
 * <p>Concurrency: the manager table is guarded by the provider; class loaders are held weakly.
 */
public final class RingcacheCachingProvider implements CachingProvider {

  /** System property: the default CacheManager URI. */
  public static final String URI_PROPERTY = "ringcache.jcache.uri";
  public static final String DEFAULT_URI = "ringcache://127.0.0.1:7101";

  private final Map<ClassLoader, Map<URI, RingcacheCacheManager>> managers = new WeakHashMap<>();

  @Override
  public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader,
      Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties props = properties == null ? new Properties() : properties;
    Map<URI, RingcacheCacheManager> byUri = managers.computeIfAbsent(loader,
        l -> new HashMap<>());
    RingcacheCacheManager manager = byUri.get(managerUri);
    if (manager == null || manager.isClosed()) {
      manager = new RingcacheCacheManager(this, managerUri, loader, props);
      byUri.put(managerUri, manager);
    }
    return manager;
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : RingcacheCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    String text = System.getProperty(URI_PROPERTY, DEFAULT_URI);
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new CacheException(String.format("%s is '%s', not a URI", URI_PROPERTY, text), e);
    }
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    List<RingcacheCacheManager> all = new ArrayList<>();
    synchronized (this) {
      managers.values().forEach(m -> all.addAll(m.values()));
      managers.clear();
    }
    all.forEach(RingcacheCacheManager::close);
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Map<URI, RingcacheCacheManager> byUri;
    synchronized (this) {
      byUri = managers.remove(loader);
    }
    if (byUri != null) {
      new ArrayList<>(byUri.values()).forEach(RingcacheCacheManager::close);
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    RingcacheCacheManager manager;
    synchronized (this) {
      Map<URI, RingcacheCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.remove(managerUri);
      if (byUri != null && byUri.isEmpty()) {
        managers.remove(loader);
      }
    }
    if (manager != null) {
      manager.close();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return false;
  }

  /** Forgets a manager that closed itself, unless a newer one took its place. */
  synchronized void released(RingcacheCacheManager manager) {
    Map<URI, RingcacheCacheManager> byUri = managers.get(manager.getClassLoader());
    if (byUri != null) {
      byUri.remove(manager.getURI(), manager);
      if (byUri.isEmpty()) {
        managers.remove(manager.getClassLoader());
      }
    }
  }
}
