package io.ringcache.node.caches;

import io.ringcache.node.cluster.ClusterState;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.Key;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

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

  private static final Logger LOG =
      Logger.getLogger(CacheRegistry.class.getName());

  /**
   * Most named caches in a cluster: with {@link CacheSpec}'s bounds on attributes, the whole list
   * (one cluster-state entry, re-read by every node, and one CACHE_ADMIN list answer) stays under
   * a megabyte, within the default frame limit.
   */
  static final int MAX_CACHES = 256;

  private final ClusterState state;
  private volatile Map<String, CacheSpec> byName = Map.of(Key.DEFAULT_CACHE,
      CacheSpec.defaultCache());
  private byte[] stored = new byte[0];
  /** When the read behind the installed snapshot started; the first install always wins. */
  private long installedReadNanos;
  private boolean installedAny;
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
   * Completes on the caller's context.
   */
  public Future<CacheSpec> resolve(String name) {
    CacheSpec spec = byName.get(name);
    if (spec != null) {
      return Future.succeededFuture(spec);
    }
    return onCaller(refreshStartingAfter(System.nanoTime()).map(v -> byName.get(name)));
  }

  /**
   * Reads the definitions from the cluster state with a read that starts after this call (merged
   * with others that did); completes on the caller's context.
   */
  public Future<Void> refresh() {
    return onCaller(refreshStartingAfter(System.nanoTime()));
  }

  /** Reads them in the background, merged with any read in flight (the periodic refresh). */
  public void refreshInBackground() {
    synchronized (this) {
      if (refreshing != null) {
        return;
      }
    }
    refreshStartingAfter(System.nanoTime());
  }

  /**
   * {@code f} completing on the calling thread's Vert.x context: a read merged with another's
   * completes on the context that started it (a timer's, another event loop's), and the request
   * that waits for it must go on on its own event loop, whose connection and peer state are not
   * thread-safe.
   */
  static <T> Future<T> onCaller(Future<T> f) {
    ContextInternal caller = (ContextInternal) Vertx.currentContext();
    if (caller == null) {
      return f;
    }
    Promise<T> p = caller.promise();
    f.onComplete(p);
    return p.future();
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
    long started = System.nanoTime();
    refreshStartedNanos = started;
    queued = null;
    Future<Void> f = state.loadCaches().map(bytes -> {
      install(bytes, started);
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

  /**
   * Installs the definitions a read that started at {@code readNanos} returned, unless a read that
   * started later installed already (a slow read must not undo a create or destroy seen since).
   */
  private synchronized void install(byte[] bytes, long readNanos) {
    if (installedAny && readNanos - installedReadNanos < 0) {
      return;
    }
    installedAny = true;
    installedReadNanos = readNanos;
    if (Arrays.equals(bytes, stored)) {
      return;
    }
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
    long read = System.nanoTime();
    return onCaller(state.loadCaches().compose(bytes -> {
      List<CacheSpec> specs = decode(bytes);
      for (CacheSpec s : specs) {
        if (s.name().equals(spec.name())) {
          install(bytes, read);
          return Future.succeededFuture(Map.entry(s, false));
        }
      }
      if (specs.size() >= MAX_CACHES) {
        return Future.failedFuture(new IllegalStateException(String.format(
            "the cluster has %d caches, limit is %d (destroy one first)", specs.size(),
            MAX_CACHES)));
      }
      List<CacheSpec> next = new ArrayList<>(specs);
      next.add(spec);
      byte[] nextBytes = encode(next);
      return state.replaceCaches(bytes, nextBytes).compose(done -> {
        if (!done) {
          return create(spec);
        }
        install(nextBytes, System.nanoTime());
        return Future.succeededFuture(Map.entry(spec, true));
      });
    }));
  }

  /** Removes the definition of {@code name}: true if it existed. Entries are cleared apart. */
  public Future<Boolean> remove(String name) {
    long read = System.nanoTime();
    return onCaller(state.loadCaches().compose(bytes -> {
      List<CacheSpec> specs = decode(bytes);
      List<CacheSpec> next = new ArrayList<>(specs);
      if (!next.removeIf(s -> s.name().equals(name))) {
        install(bytes, read);
        return Future.succeededFuture(false);
      }
      byte[] nextBytes = encode(next);
      return state.replaceCaches(bytes, nextBytes).compose(done -> {
        if (!done) {
          return remove(name);
        }
        install(nextBytes, System.nanoTime());
        return Future.succeededFuture(true);
      });
    }));
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
      try {
        out.add(CacheSpec.fromJson(a.getJsonObject(i)));
      } catch (RuntimeException e) {
        // One bad definition (written by a newer or broken member) must not hide the others.
        LOG.warning("skipping a cache definition that cannot be read: " + e.getMessage());
      }
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
