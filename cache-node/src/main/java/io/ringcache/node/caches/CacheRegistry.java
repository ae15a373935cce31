package io.ringcache.node.caches;

import io.ringcache.node.cluster.ClusterState;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.Key;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The named caches this node serves: their definitions, read from the cluster state, and the
 * node's own marks of the clears it applied.
 *
 * <h2>Design</h2>
 * The definitions live in one entry of the cluster state ({@link ClusterState#loadCaches}), which
 * outlives any member, the coordinator included; a change is a compare-and-set of the whole list,
 * so concurrent creators of one name agree on the first. Every node keeps an immutable snapshot,
 * read when it starts, every few seconds, before each step of a clear, and whenever a request
 * names a cache the snapshot lacks (such reads are merged: one in flight and one queued, however
 * many requests name unknown caches). So a
 * cache is served everywhere as soon as its creation returns, and a destroyed cache stops being
 * served once the destroy's clear has passed every member.
 *
 * <h2>Concurrency</h2>
 * The snapshot is a volatile immutable map; refreshes are merged (one in flight at a time) and
 * run on Vert.x worker threads through {@link ClusterState}. Clear marks are a concurrent map.
 */
public final class CacheRegistry {

  private static final int MAX_CACHES = 10_000;

  private final ClusterState state;
  private volatile Map<String, CacheSpec> byName = Map.of(Key.DEFAULT_CACHE,
      CacheSpec.defaultCache());
  private volatile byte[] stored = new byte[0];
  private Future<Void> refreshing;
  private long refreshStartedNanos;
  private Future<Void> queued;
  private final Map<String, Long> clearedBelow = new ConcurrentHashMap<>();

  public CacheRegistry(ClusterState state) {
    this.state = state;
  }

  /** The cache {@code name}, or null if this node does not know it. */
  public CacheSpec find(String name) {
    return byName.get(name);
  }

  /** Every cache this node knows, {@code default} first, then by name. */
  public List<CacheSpec> list() {
    List<CacheSpec> out = new ArrayList<>(byName.values());
    out.sort((a, b) -> Key.DEFAULT_CACHE.equals(a.name()) ? -1
        : Key.DEFAULT_CACHE.equals(b.name()) ? 1 : a.name().compareTo(b.name()));
    return out;
  }

  /**
   * The cache {@code name}, reading the cluster state first if this node does not know it: with a
   * read that starts after this call, so a cache whose creation completed before is found.
   */
  public Future<CacheSpec> resolve(String name) {
    CacheSpec spec = byName.get(name);
    if (spec != null) {
      return Future.succeededFuture(spec);
    }
    return refreshStartingAfter(System.nanoTime()).map(v -> byName.get(name));
  }

  /** Reads the definitions from the cluster state (merged with a read already in flight). */
  public Future<Void> refresh() {
    return refreshStartingAfter(Long.MIN_VALUE);
  }

  /**
   * A read of the cluster state that started at or after {@code sinceNanos}: the one in flight if
   * it did, else the next one, which every caller arriving meanwhile shares. So lookups of unknown
   * names cost at most one read in flight and one queued, however many arrive.
   */
  private synchronized Future<Void> refreshStartingAfter(long sinceNanos) {
    if (refreshing != null && refreshStartedNanos - sinceNanos >= 0) {
      return refreshing;
    }
    if (refreshing != null) {
      if (queued == null) {
        queued = refreshing.transform(ar -> startRefresh());
      }
      return queued;
    }
    return startRefresh();
  }

  private synchronized Future<Void> startRefresh() {
    if (queued != null && queued.isComplete()) {
      queued = null;
    }
    if (refreshing != null) {
      return refreshing;
    }
    refreshStartedNanos = System.nanoTime();
    queued = null;
    Future<Void> f = state.loadCaches().map(bytes -> {
      install(bytes);
      return (Void) null;
    });
    refreshing = f;
    f.onComplete(ar -> {
      synchronized (this) {
        if (refreshing == f) {
          refreshing = null;
        }
      }
    });
    return f;
  }

  private void install(byte[] bytes) {
    Map<String, CacheSpec> next = new LinkedHashMap<>();
    next.put(Key.DEFAULT_CACHE, CacheSpec.defaultCache());
    for (CacheSpec s : decode(bytes)) {
      next.put(s.name(), s);
    }
    byName = Map.copyOf(next);
    stored = bytes;
  }

  /**
   * Creates {@code spec} unless a cache of its name exists; completes with the stored definition
   * and whether this call created it.
   */
  public Future<Map.Entry<CacheSpec, Boolean>> create(CacheSpec spec) {
    if (Key.DEFAULT_CACHE.equals(spec.name())) {
      return Future.succeededFuture(Map.entry(CacheSpec.defaultCache(), false));
    }
    return state.loadCaches().compose(bytes -> {
      List<CacheSpec> specs = decode(bytes);
      for (CacheSpec s : specs) {
        if (s.name().equals(spec.name())) {
          install(bytes);
          return Future.succeededFuture(Map.entry(s, false));
        }
      }
      if (specs.size() >= MAX_CACHES) {
        return Future.failedFuture(new IllegalStateException(String.format(
            "the cluster has %d caches, limit is %d", specs.size(), MAX_CACHES)));
      }
      List<CacheSpec> next = new ArrayList<>(specs);
      next.add(spec);
      byte[] nextBytes = encode(next);
      return state.replaceCaches(bytes, nextBytes).compose(done -> {
        if (!done) {
          return create(spec);
        }
        install(nextBytes);
        return Future.succeededFuture(Map.entry(spec, true));
      });
    });
  }

  /** Removes the definition of {@code name}: true if it existed. Entries are cleared apart. */
  public Future<Boolean> remove(String name) {
    return state.loadCaches().compose(bytes -> {
      List<CacheSpec> specs = decode(bytes);
      List<CacheSpec> next = new ArrayList<>(specs);
      if (!next.removeIf(s -> s.name().equals(name))) {
        install(bytes);
        return Future.succeededFuture(false);
      }
      byte[] nextBytes = encode(next);
      return state.replaceCaches(bytes, nextBytes).compose(done -> {
        if (!done) {
          return remove(name);
        }
        install(nextBytes);
        return Future.succeededFuture(true);
      });
    });
  }

  /** Records that this node cleared {@code cache} below {@code version}. */
  public void cleared(String cache, long version) {
    clearedBelow.merge(cache, version, Math::max);
  }

  /**
   * Whether an entry of {@code key} at {@code version}, arriving by replication or transfer, was
   * written before a clear this node applied, and must be dropped.
   */
  public boolean clearedAway(Key key, long version) {
    if (clearedBelow.isEmpty()) {
      return false;
    }
    Long below = clearedBelow.get(key.isQualified() ? key.cacheName() : Key.DEFAULT_CACHE);
    return below != null && version < below;
  }

  /** The qualifier every key of {@code cache} starts with (never called for the default). */
  public static byte[] prefixOf(String cache) {
    byte[] name = cache.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[name.length + 2];
    p[0] = (byte) Key.CACHE_MARK;
    System.arraycopy(name, 0, p, 1, name.length);
    p[p.length - 1] = (byte) Key.CACHE_MARK;
    return p;
  }

  private static List<CacheSpec> decode(byte[] bytes) {
    if (bytes.length == 0) {
      return List.of();
    }
    JsonArray a = new JsonArray(new String(bytes, StandardCharsets.UTF_8));
    List<CacheSpec> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(CacheSpec.fromJson(a.getJsonObject(i)));
    }
    return out;
  }

  private static byte[] encode(List<CacheSpec> specs) {
    return CacheSpec.toJson(specs).encode().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "CacheRegistry" + Arrays.toString(byName.keySet().toArray());
  }
}
