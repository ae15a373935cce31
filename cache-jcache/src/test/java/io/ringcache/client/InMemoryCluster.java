package io.ringcache.client;

import io.ringcache.protocol.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test double of a ringcache cluster's named caches, in memory: versions from one counter,
 * version-conditional writes, TTLs on the wall clock (expired entries are dropped when touched by
 * a read, a write or a scan, with an {@code EXPIRED} event, as a node's lazy expiry does), and
 * entry events delivered in write order on one separate thread, as a client I/O thread would.
 *
 * <p>It lives in the client's package only to build the client's exceptions, whose constructors
 * are package-private. It is not the system under test: the TCK in CI runs on a real cluster.
 */
public final class InMemoryCluster {

  private static final InMemoryCluster SHARED = new InMemoryCluster();

  final AtomicLong versions = new AtomicLong();
  final Map<String, Space> caches = new ConcurrentHashMap<>();
  final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "in-memory-cluster-events");
    t.setDaemon(true);
    return t;
  });

  public InMemoryCluster() {
    caches.put(CacheSettings.DEFAULT, new Space(CacheSettings.named(CacheSettings.DEFAULT)));
  }

  /** One cluster per JVM, as the TCK's many CacheManagers would share a real one. */
  public static InMemoryCluster shared() {
    return SHARED;
  }

  Space space(String name) {
    Space s = caches.get(name);
    if (s == null) {
      throw new CacheRejectedException(Status.NO_SUCH_CACHE, "no cache named '" + name + "'");
    }
    return s;
  }

  /** One entry as stored. */
  record Stored(byte[] value, long version, long expiresAtMillis) {
    boolean expired(long now) {
      return expiresAtMillis != 0 && expiresAtMillis <= now;
    }
  }

  /** One subscriber of a cache. */
  record Subscriber(EntryListener<byte[]> listener, boolean withOldValues) {}

  /** One named cache: settings, entries, subscribers, loads. Guarded by itself. */
  final class Space {
    final CacheSettings settings;
    final TreeMap<String, Stored> entries = new TreeMap<>();
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /** Keys being loaded by a getOrLoad caller: what the other callers wait for. */
    final Map<String, CompletableFuture<Void>> loads = new ConcurrentHashMap<>();

    Space(CacheSettings settings) {
      this.settings = settings;
    }

    /** The live entry of {@code key}, expiring it first if its time has come. */
    Stored live(String key) {
      Stored s = entries.get(key);
      if (s != null && s.expired(System.currentTimeMillis())) {
        entries.remove(key);
        emit(EntryEvent.Type.EXPIRED, key, null, s.value(), versions.incrementAndGet());
        return null;
      }
      return s;
    }

    long write(String key, Stored old, byte[] value, long ttlMillis) {
      long version = versions.incrementAndGet();
      long expiresAt;
      if (ttlMillis == NamedCache.KEEP_TTL) {
        expiresAt = old == null ? 0 : old.expiresAtMillis();
      } else {
        expiresAt = ttlMillis == 0 ? 0 : System.currentTimeMillis() + ttlMillis;
      }
      entries.put(key, new Stored(value.clone(), version, expiresAt));
      emit(old == null ? EntryEvent.Type.CREATED : EntryEvent.Type.UPDATED, key, value,
          old == null ? null : old.value(), version);
      return version;
    }

    void delete(String key, Stored old, boolean asExpired) {
      entries.remove(key);
      emit(asExpired ? EntryEvent.Type.EXPIRED : EntryEvent.Type.REMOVED, key, null, old.value(),
          versions.incrementAndGet());
    }

    void emit(EntryEvent.Type type, String key, byte[] value, byte[] old, long version) {
      for (Subscriber s : subscribers) {
        EntryEvent<byte[]> e = new EntryEvent<>(type, key, value,
            s.withOldValues() ? old : null, version);
        events.execute(() -> s.listener().onEvent(e));
      }
    }

    List<Map.Entry<String, Versioned<byte[]>>> snapshot() {
      List<Map.Entry<String, Versioned<byte[]>>> all = new ArrayList<>();
      for (String key : new ArrayList<>(entries.keySet())) {
        Stored s = live(key);
        if (s != null) {
          all.add(Map.entry(key, new Versioned<>(s.value().clone(), s.version())));
        }
      }
      return all;
    }
  }

  CacheAdmin admin() {
    return new CacheAdmin() {
      @Override
      public java.util.concurrent.CompletionStage<CacheSettings> create(CacheSettings settings) {
        return java.util.concurrent.CompletableFuture.completedFuture(
            caches.computeIfAbsent(settings.name(), n -> new Space(settings)).settings);
      }

      @Override
      public java.util.concurrent.CompletionStage<Optional<CacheSettings>> get(String name) {
        Space s = caches.get(name);
        return java.util.concurrent.CompletableFuture.completedFuture(
            Optional.ofNullable(s == null ? null : s.settings));
      }

      @Override
      public java.util.concurrent.CompletionStage<List<CacheSettings>> list() {
        List<CacheSettings> all = new ArrayList<>();
        caches.values().forEach(s -> all.add(s.settings));
        return java.util.concurrent.CompletableFuture.completedFuture(all);
      }

      @Override
      public java.util.concurrent.CompletionStage<Boolean> destroy(String name) {
        if (CacheSettings.DEFAULT.equals(name)) {
          Space s = caches.get(name);
          synchronized (s) {
            s.entries.clear();
          }
          return java.util.concurrent.CompletableFuture.completedFuture(true);
        }
        return java.util.concurrent.CompletableFuture.completedFuture(
            caches.remove(name) != null);
      }
    };
  }
}
