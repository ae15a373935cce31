package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link NearCache}: reads served from {@link NearState} when it vouches for them, everything
 * else through the named cache underneath; every write drops this client's copy first and leaves
 * a floor after (read-your-writes).
 */
final class NearCacheOps<V> implements NearCache<V> {

  private final NearState state;
  private final ValueCodec<V> codec;
  private final NamedCacheOps<V> inner;
  private final NamedCacheOps<byte[]> raw;

  NearCacheOps(NearState state, ValueCodec<V> codec) {
    this.state = state;
    this.codec = Objects.requireNonNull(codec, "codec");
    // Writes go through the client's hot-key near cache too, so it sees this client's writes at
    // once; reads do not, or a copy from it would start a second lease here.
    this.inner = new NamedCacheOps<>(state.router, codec, state.cacheName);
    this.raw = new NamedCacheOps<>(state.router, ValueCodec.bytes(), state.cacheName, false);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public CompletionStage<Optional<Versioned<V>>> get(String key) {
    return CacheOps.call(() -> {
      Key k = raw.key(key);
      NearState.Entry e = state.servable(key);
      if (e != null) {
        return CompletableFuture.completedFuture(
            Optional.of(new Versioned<>(codec.decode(e.value()), e.version())));
      }
      long start = System.nanoTime();
      HostPort owner = state.ownerOf(k);
      return raw.get(key).thenApply(found -> {
        found.ifPresent(v -> state.fill(key, k.position(), v.value(), v.version(), start, owner));
        return found.map(v -> new Versioned<>(codec.decode(v.value()), v.version()));
      });
    });
  }

  @Override
  public CompletionStage<Map<String, Versioned<V>>> getAll(Collection<String> keys) {
    return CacheOps.call(() -> {
      Objects.requireNonNull(keys, "keys");
      Map<String, Versioned<V>> out = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      for (String key : new LinkedHashSet<>(keys)) {
        NearState.Entry e = state.servable(key);
        if (e != null) {
          out.put(key, new Versioned<>(codec.decode(e.value()), e.version()));
        } else {
          missing.add(key);
        }
      }
      if (missing.isEmpty()) {
        return CompletableFuture.completedFuture(out);
      }
      long start = System.nanoTime();
      Map<String, Key> ks = new LinkedHashMap<>();
      Map<String, HostPort> owners = new LinkedHashMap<>();
      for (String key : missing) {
        Key k = raw.key(key);
        ks.put(key, k);
        owners.put(key, state.ownerOf(k));
      }
      return raw.getAll(missing).thenApply(found -> {
        found.forEach((key, v) -> {
          state.fill(key, ks.get(key).position(), v.value(), v.version(), start, owners.get(key));
          out.put(key, new Versioned<>(codec.decode(v.value()), v.version()));
        });
        return out;
      });
    });
  }

  @Override
  public CompletionStage<Optional<Versioned<V>>> getAndTouch(String key, Duration ttl) {
    return write(key, inner.getAndTouch(key, ttl),
        r -> r.map(Versioned::version).orElse(NearState.FLOOR_ANY));
  }

  @Override
  public CompletionStage<V> getOrLoad(String key,
      Function<String, ? extends CompletionStage<? extends V>> loader) {
    return CacheOps.call(() -> {
      NearState.Entry e = state.servable(key);
      if (e != null) {
        return CompletableFuture.completedFuture(codec.decode(e.value()));
      }
      return inner.getOrLoad(key, loader);
    });
  }

  // ---------------------------------------------------------------- writes

  /**
   * {@code call} as this client's write of {@code key}: the near copy is dropped before (the
   * call was built, not yet sent, when this runs) and a floor at the write's version left after.
   */
  private <T> CompletionStage<T> write(String key, CompletionStage<T> call,
      Function<T, Long> version) {
    return call.whenComplete((r, e) -> state.written(key,
        e == null ? version.apply(r) : NearState.FLOOR_ANY));
  }

  private <T> CompletionStage<T> written(String key, Supplier<CompletionStage<T>> call,
      Function<T, Long> version) {
    state.writing(key);
    return write(key, call.get(), version);
  }

  @Override
  public CompletionStage<Long> put(String key, V value) {
    return written(key, () -> inner.put(key, value), v -> v);
  }

  @Override
  public CompletionStage<Long> put(String key, V value, Duration ttl) {
    return written(key, () -> inner.put(key, value, ttl), v -> v);
  }

  @Override
  public CompletionStage<OptionalLong> putIfAbsent(String key, V value, Duration ttl) {
    return written(key, () -> inner.putIfAbsent(key, value, ttl),
        r -> r.isPresent() ? r.getAsLong() : NearState.FLOOR_ANY);
  }

  @Override
  public CompletionStage<OptionalLong> replace(String key, V value, Duration ttl) {
    return written(key, () -> inner.replace(key, value, ttl),
        r -> r.isPresent() ? r.getAsLong() : NearState.FLOOR_ANY);
  }

  @Override
  public CompletionStage<Long> compareAndSet(String key, long expectedVersion, V value) {
    return written(key, () -> inner.compareAndSet(key, expectedVersion, value), v -> v);
  }

  @Override
  public CompletionStage<Long> putIfVersion(String key, long expectedVersion, V value,
      long ttlMillis) {
    return written(key, () -> inner.putIfVersion(key, expectedVersion, value, ttlMillis),
        v -> v);
  }

  @Override
  public CompletionStage<Boolean> remove(String key) {
    return written(key, () -> inner.remove(key), r -> NearState.FLOOR_ANY);
  }

  @Override
  public CompletionStage<Boolean> removeIfVersion(String key, long expectedVersion,
      boolean asExpired) {
    return written(key, () -> inner.removeIfVersion(key, expectedVersion, asExpired),
        r -> NearState.FLOOR_ANY);
  }

  @Override
  public CompletionStage<Long> increment(String key, long delta) {
    return written(key, () -> inner.increment(key, delta), r -> NearState.FLOOR_ANY);
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends V> entries) {
    return putAll(entries, Duration.ZERO);
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends V> entries, Duration ttl) {
    return CacheOps.call(() -> {
      Objects.requireNonNull(entries, "entries");
      entries.keySet().forEach(state::writing);
      return inner.putAll(entries, ttl).whenComplete((r, e) ->
          entries.keySet().forEach(k -> state.written(k, NearState.FLOOR_ANY)));
    });
  }

  @Override
  public CompletionStage<Void> clear() {
    state.flush();
    return inner.clear().whenComplete((r, e) -> state.flush());
  }

  @Override
  public CompletionStage<Void> removeAll() {
    state.flush();
    return inner.removeAll().whenComplete((r, e) -> state.flush());
  }

  // ---------------------------------------------------------------- the rest, as is

  @Override
  public String name() {
    return state.cacheName;
  }

  @Override
  public CompletionStage<Long> size() {
    return inner.size();
  }

  @Override
  public CompletionStage<ScanPage<V>> scan(ScanCursor cursor, int limit) {
    return inner.scan(cursor, limit);
  }

  @Override
  public Iterator<Map.Entry<String, Versioned<V>>> entries() {
    return inner.entries();
  }

  @Override
  public CompletionStage<Subscription> subscribe(EntryListener<V> listener,
      boolean withOldValues) {
    return inner.subscribe(listener, withOldValues);
  }

  @Override
  public BlockingCache<V> blocking() {
    return new BlockingView<>(this, state.router.settings);
  }

  @Override
  public NearCacheStats nearCacheStats() {
    return state.stats();
  }

  @Override
  public void invalidateAll() {
    state.flush();
  }

  @Override
  public <W> NearCache<W> typed(ValueCodec<W> other) {
    return new NearCacheOps<>(state, other);
  }
}
