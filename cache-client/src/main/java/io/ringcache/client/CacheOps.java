package io.ringcache.client;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.WriteId;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link AsyncRingCache} over a {@link Router}, with values through a {@link ValueCodec}: validates
 * arguments, builds the request, and maps answers to results. Arguments are checked before
 * anything is sent, with the status the node would answer (KEY_TOO_LARGE, VALUE_TOO_LARGE,
 * BAD_REQUEST); a bad argument fails the returned stage, never throws.
 *
 * <p>GET and PUT, the calls made most, take no lambda per call: their argument errors are caught
 * in place and their answers mapped by functions made once per instance.
 *
 * <p>With {@link CacheClient.Builder#hotKeyNearCache} on, reads and writes go through the
 * client's {@link HotNearCaches}; with it off, {@code near} is null and costs a null check.
 */
class CacheOps<V> implements AsyncRingCache<V> {

  final Router router;
  final ValueCodec<V> codec;
  /** The cache every key of this view belongs to. */
  final String cacheName;
  /** The client's hot-key near caches, or null (option off, or a view that must bypass them). */
  final HotNearCaches near;
  final Function<Response, Optional<Versioned<V>>> getResult = this::found;

  CacheOps(Router router, ValueCodec<V> codec) {
    this(router, codec, Key.DEFAULT_CACHE);
  }

  CacheOps(Router router, ValueCodec<V> codec, String cacheName) {
    this(router, codec, cacheName, true);
  }

  /**
   * With {@code hotNear} false the view never uses the hot-key near caches: for a
   * {@link NearCacheOps}'s reads, which must not fill its own near cache from another one.
   */
  CacheOps(Router router, ValueCodec<V> codec, String cacheName, boolean hotNear) {
    this.router = router;
    this.codec = Objects.requireNonNull(codec, "codec");
    this.cacheName = cacheName;
    this.near = hotNear ? router.hotNear : null;
  }

  @Override
  public CompletionStage<Optional<Versioned<V>>> get(String key) {
    Key k;
    try {
      k = key(key);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (near != null) {
      return near.get(this, key, k);
    }
    return single(SingleCall.Kind.READ, k, new Request.Get(k), getResult);
  }

  Optional<Versioned<V>> found(Response r) {
    if (r instanceof Response.Value v) {
      return Optional.of(new Versioned<>(codec.decode(v.value().getBytes()), v.version()));
    }
    return absent(r, Optional.empty());
  }

  @Override
  public CompletionStage<Map<String, Versioned<V>>> getAll(Collection<String> keys) {
    return call(() -> {
      Objects.requireNonNull(keys, "keys");
      Key[] ks = new LinkedHashSet<>(keys).stream().map(this::key).toArray(Key[]::new);
      if (near != null) {
        return near.getAll(this, ks);
      }
      return BulkCall.get(router, ks).start().thenApply(done -> {
        Map<String, Versioned<V>> out = new LinkedHashMap<>();
        for (int i = 0; i < done.size(); i++) {
          if (done.found[i] != null) {
            out.put(done.key(i).asString(),
                new Versioned<>(codec.decode(done.found[i]), done.versions[i]));
          }
        }
        return out;
      });
    });
  }

  @Override
  public CompletionStage<Long> put(String key, V value) {
    return put(key, value, Duration.ZERO);
  }

  @Override
  public CompletionStage<Long> put(String key, V value, Duration ttl) {
    try {
      return set(SingleCall.Kind.WRITE, key, value, ttl, SetMode.ALWAYS, CacheOps::stored);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<OptionalLong> putIfAbsent(String key, V value, Duration ttl) {
    return call(() -> set(SingleCall.Kind.CONDITIONAL, key, value, ttl, SetMode.IF_ABSENT,
        r -> r instanceof Response.Failure f && f.status() == Status.EXISTS
            ? OptionalLong.empty() : OptionalLong.of(stored(r))));
  }

  @Override
  public CompletionStage<OptionalLong> replace(String key, V value, Duration ttl) {
    return call(() -> set(SingleCall.Kind.CONDITIONAL, key, value, ttl, SetMode.IF_PRESENT,
        r -> r instanceof Response.Failure f && f.status() == Status.NOT_FOUND
            ? OptionalLong.empty() : OptionalLong.of(stored(r))));
  }

  @Override
  public CompletionStage<Long> compareAndSet(String key, long expectedVersion, V value) {
    return call(() -> {
      Key k = key(key);
      Buffer v = value(value);
      return single(SingleCall.Kind.CONDITIONAL, k, new Request.Cas(k, expectedVersion, v, 0,
          router.nextWriteId()), r -> casResult(r, key, expectedVersion));
    });
  }

  @Override
  public CompletionStage<Boolean> remove(String key) {
    return call(() -> {
      Key k = key(key);
      return single(SingleCall.Kind.CONDITIONAL, k, new Request.Delete(k, router.nextWriteId()),
          r -> r instanceof Response.Ok ? Boolean.TRUE : absent(r, Boolean.FALSE));
    });
  }

  @Override
  public CompletionStage<Long> increment(String key, long delta) {
    return call(() -> {
      Key k = key(key);
      return single(SingleCall.Kind.CONDITIONAL, k, new Request.Increment(k, delta, 0,
          router.nextWriteId()), r -> {
        if (r instanceof Response.Counter c) {
          return c.value();
        }
        throw unexpected(r);
      });
    });
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends V> entries) {
    return putAll(entries, Duration.ZERO);
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends V> entries, Duration ttl) {
    return call(() -> {
      Objects.requireNonNull(entries, "entries");
      long ttlMillis = ttl(ttl);
      Key[] keys = new Key[entries.size()];
      byte[][] values = new byte[entries.size()][];
      int i = 0;
      for (Map.Entry<String, ? extends V> e : entries.entrySet()) {
        keys[i] = key(e.getKey());
        values[i] = value(e.getValue()).getBytes();
        i++;
      }
      if (near != null) {
        near.writing(cacheName, keys);
        return BulkCall.put(router, keys, values, ttlMillis).start().whenComplete((r, e) -> {
          for (Key k : keys) {
            near.written(cacheName, k, NearState.FLOOR_ANY);
          }
        }).thenApply(done -> null);
      }
      return BulkCall.put(router, keys, values, ttlMillis).start().thenApply(done -> null);
    });
  }

  @Override
  public BlockingCache<V> blocking() {
    return new BlockingView<>(this, router.settings);
  }

  // ------------------------------------------------------------------ helpers

  private <T> CompletionStage<T> set(SingleCall.Kind kind, String key, V value, Duration ttl,
      SetMode mode, Function<Response, T> result) {
    Key k = key(key);
    Buffer v = value(value);
    // A plain SET applied twice equals applying it once; only conditional ones need an id.
    WriteId id = mode == SetMode.ALWAYS ? WriteId.NONE : router.nextWriteId();
    return single(kind, k, new Request.Set(k, v, ttl(ttl), mode, id), result);
  }

  <T> CompletionStage<T> single(SingleCall.Kind kind, Key key, Request request,
      Function<Response, T> result) {
    if (near != null && request instanceof Request.Write w) {
      return near.write(this, kind, key, w, result);
    }
    return new SingleCall<>(router, kind, key, request, result).start();
  }

  /** Runs {@code body}; a thrown argument error becomes a failed stage. */
  static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  Key key(String key) {
    Objects.requireNonNull(key, "key");
    Key k;
    try {
      k = Key.of(cacheName, key);
    } catch (IllegalArgumentException e) {
      throw new CacheRejectedException(Status.BAD_REQUEST, e.getMessage());
    }
    int limit = router.settings.limits().maxKeyBytes();
    if (k.userKeyLength() > limit) {
      throw new CacheRejectedException(Status.KEY_TOO_LARGE,
          String.format("key is %d bytes, limit is %d (maxKeyBytes)", k.userKeyLength(), limit));
    }
    return k;
  }

  Buffer value(V value) {
    Objects.requireNonNull(value, "value");
    byte[] bytes = Objects.requireNonNull(codec.encode(value), "codec.encode returned null");
    int limit = router.settings.limits().maxValueBytes();
    if (bytes.length > limit) {
      throw new CacheRejectedException(Status.VALUE_TOO_LARGE,
          String.format("value is %d bytes, limit is %d (maxValueBytes)", bytes.length, limit));
    }
    // Wrapped, not copied: the codec's array is the request's value until the call completes.
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  static long ttl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException(
          String.format("ttl must not be negative, was %s", ttl));
    }
    if (ttl.isZero()) {
      return 0;
    }
    try {
      return Math.max(1, ttl.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** A CAS answer: the new version, or the {@link VersionMismatchException} it stands for. */
  static long casResult(Response r, String key, long expectedVersion) {
    if (r instanceof Response.Mismatch m) {
      throw new VersionMismatchException(Status.VERSION_MISMATCH, key, expectedVersion,
          m.currentVersion());
    }
    if (r instanceof Response.Failure f && f.status() == Status.NOT_FOUND) {
      throw new VersionMismatchException(Status.NOT_FOUND, key, expectedVersion, 0);
    }
    return stored(r);
  }

  static long stored(Response r) {
    if (r instanceof Response.Stored s) {
      return s.version();
    }
    throw unexpected(r);
  }

  /** {@code whenAbsent} for NOT_FOUND, else an error. */
  static <T> T absent(Response r, T whenAbsent) {
    if (r instanceof Response.Failure f && f.status() == Status.NOT_FOUND) {
      return whenAbsent;
    }
    throw unexpected(r);
  }

  static CacheException unexpected(Response r) {
    if (r instanceof Response.Failure f) {
      return Errors.of(f, "unexpected answer");
    }
    return new CacheRejectedException(Status.INTERNAL,
        "unexpected answer " + r.getClass().getSimpleName() + " (" + r.status() + ")");
  }
}
