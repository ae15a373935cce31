package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The near caches of {@link CacheClient.Builder#hotKeyNearCache}: one {@link NearState} per cache,
 * admitting only keys the cluster marks hot, behind every plain view of that cache ({@link
 * CacheOps} and {@link NamedCacheOps} call in here when the option is on).
 *
 * <h2>Design</h2>
 * A cache's near state, and with it its event subscription, is opened by the first read of a hot
 * key of that cache: a client pays for subscriptions only in caches where a key got hot, and none
 * is ever opened while the option is off. Reads of admitted keys are served from the state when
 * it vouches for them and fill it when they go to the cluster, so their guarantee is that of
 * {@link NearCache}; reads of other keys go straight on, after a look at the hot set. Every
 * single-key write through a plain view drops this client's copy before it is sent and leaves a
 * floor after it, as {@link NearCacheOps} does, so the client reads its own writes whichever of
 * its plain views made them. The floor's version comes from the answer itself (STORED, or the
 * VALUE of a touch); other answers leave a floor at any version.
 *
 * <h2>Failure</h2>
 * A state whose subscription fails to open is closed and forgotten; a hot read opens another one,
 * at most once per {@link #REOPEN_NANOS} per cache, so a cluster that refuses subscriptions is not
 * asked again on every read. Until then reads go to the cluster as without the option.
 *
 * <h2>Concurrency</h2>
 * Thread-safe; per-key decisions are {@link NearState}'s.
 */
final class HotNearCaches {

  static final long REOPEN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Router router;
  private final NearCacheSettings settings;
  private final Map<String, NearState> byCache = new ConcurrentHashMap<>();
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

  HotNearCaches(Router router, NearCacheSettings settings) {
    this.router = router;
    this.settings = settings;
  }

  /** The near state of {@code cache}, or null while none is open. */
  NearState state(String cache) {
    return byCache.get(cache);
  }

  /** The near state of {@code cache}, opened if needed; null while a failed one backs off. */
  private NearState open(String cache) {
    NearState s = byCache.get(cache);
    if (s != null) {
      return s;
    }
    Long failed = failedAt.get(cache);
    if (failed != null && System.nanoTime() - failed < REOPEN_NANOS) {
      return null;
    }
    NearState[] made = new NearState[1];
    s = byCache.computeIfAbsent(cache, c -> made[0] = new NearState(router, c, settings, true));
    if (s == made[0]) {
      NearState opened = s;
      // Registered outside computeIfAbsent: a subscription that failed already runs this now.
      opened.subscription().whenComplete((sub, e) -> {
        if (e != null) {
          failedAt.put(cache, System.nanoTime());
          byCache.remove(cache, opened);
          opened.close();
        }
      });
    }
    return s;
  }

  // ---------------------------------------------------------------- reads

  /** {@link CacheOps#get} of {@code key} ({@code k} qualified by the view's cache). */
  <V> CompletionStage<Optional<Versioned<V>>> get(CacheOps<V> view, String key, Key k) {
    long position = k.position();
    NearState s = byCache.get(view.cacheName);
    if (s == null) {
      s = router.hotKeys.isHot(position) ? open(view.cacheName) : null;
    } else if (!s.admits(key, position)) {
      s = null;
    } else {
      NearState.Entry e = s.servable(key);
      if (e != null) {
        return CompletableFuture.completedFuture(
            Optional.of(new Versioned<>(view.codec.decode(e.value()), e.version())));
      }
    }
    if (s == null) {
      return view.single(SingleCall.Kind.READ, k, new Request.Get(k), view.getResult);
    }
    NearState state = s;
    long start = System.nanoTime();
    HostPort owner = state.ownerOf(k);
    return view.single(SingleCall.Kind.READ, k, new Request.Get(k), r -> {
      if (r instanceof Response.Value v) {
        byte[] bytes = v.value().getBytes();
        state.fill(key, position, bytes, v.version(), start, owner);
        return Optional.of(new Versioned<>(view.codec.decode(bytes), v.version()));
      }
      return view.found(r);
    });
  }

  /** {@link CacheOps#getAll} of {@code keys} (distinct), in their order. */
  <V> CompletionStage<Map<String, Versioned<V>>> getAll(CacheOps<V> view, Key[] keys) {
    NearState s = byCache.get(view.cacheName);
    List<Versioned<V>> values = new ArrayList<>(Collections.nCopies(keys.length, null));
    List<Key> missing = new ArrayList<>();
    List<Integer> missingAt = new ArrayList<>();
    boolean hot = false;
    for (int i = 0; i < keys.length; i++) {
      Key k = keys[i];
      if (s != null) {
        String key = k.asString();
        NearState.Entry e = s.admits(key, k.position()) ? s.servable(key) : null;
        if (e != null) {
          values.set(i, new Versioned<>(view.codec.decode(e.value()), e.version()));
          continue;
        }
      } else {
        hot |= router.hotKeys.isHot(k.position());
      }
      missing.add(k);
      missingAt.add(i);
    }
    if (hot) {
      s = open(view.cacheName);
    }
    NearState state = s;
    long start = System.nanoTime();
    HostPort[] owners = new HostPort[missing.size()];
    for (int j = 0; state != null && j < owners.length; j++) {
      owners[j] = state.ownerOf(missing.get(j));
    }
    CompletionStage<BulkCall> fetched = missing.isEmpty() ? CompletableFuture.completedFuture(null)
        : BulkCall.get(router, missing.toArray(Key[]::new)).start();
    return fetched.thenApply(done -> {
      for (int j = 0; done != null && j < done.size(); j++) {
        if (done.found[j] != null) {
          Key k = done.key(j);
          if (state != null) {
            state.fill(k.asString(), k.position(), done.found[j], done.versions[j], start,
                owners[j]);
          }
          values.set(missingAt.get(j),
              new Versioned<>(view.codec.decode(done.found[j]), done.versions[j]));
        }
      }
      Map<String, Versioned<V>> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        if (values.get(i) != null) {
          out.put(keys[i].asString(), values.get(i));
        }
      }
      return out;
    });
  }

  // ---------------------------------------------------------------- writes

  /**
   * {@link CacheOps#single} of a single-key write: this client's copy of the key is dropped
   * before it is sent, and a floor at the written version left after it.
   */
  <V, T> CompletionStage<T> write(CacheOps<V> view, SingleCall.Kind kind, Key k,
      Request.Write request, Function<Response, T> result) {
    String key = k.asString();
    NearState before = byCache.get(view.cacheName);
    if (before != null) {
      before.writing(key);
    }
    long[] version = {NearState.FLOOR_ANY};
    return new SingleCall<>(router, kind, k, request, r -> {
      if (r instanceof Response.Stored s) {
        version[0] = s.version();
      } else if (r instanceof Response.Value v) {
        version[0] = v.version();
      }
      return result.apply(r);
    }).start().whenComplete((r, e) -> written(view.cacheName, k,
        e == null ? version[0] : NearState.FLOOR_ANY));
  }

  /** Before a write of several keys: their copies go. */
  void writing(String cache, Key[] keys) {
    NearState s = byCache.get(cache);
    if (s != null) {
      for (Key k : keys) {
        s.writing(k.asString());
      }
    }
  }

  /**
   * After a write of {@code k}: a floor at {@code version}. Looked up again, not remembered from
   * before the write: a hot read may have opened the state meanwhile, and filled it.
   */
  void written(String cache, Key k, long version) {
    NearState s = byCache.get(cache);
    if (s != null) {
      s.written(k.asString(), k.position(), version);
    }
  }

  /** Around a cache-wide clear: drops every copy. */
  void flush(String cache) {
    NearState s = byCache.get(cache);
    if (s != null) {
      s.flush();
    }
  }
}
