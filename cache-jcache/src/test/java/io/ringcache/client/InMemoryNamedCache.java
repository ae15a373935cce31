package io.ringcache.client;

import io.ringcache.protocol.Status;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A {@link NamedCache} of an {@link InMemoryCluster}; see there for what it models. */
public final class InMemoryNamedCache implements NamedCache<byte[]> {

  private final InMemoryCluster cluster;
  private final String name;

  InMemoryNamedCache(InMemoryCluster cluster, String name) {
    this.cluster = cluster;
    this.name = name;
  }

  /** Runs {@code op} on the cache's space under its lock, as a completed or failed stage. */
  private <T> CompletionStage<T> on(Function<InMemoryCluster.Space, T> op) {
    try {
      InMemoryCluster.Space space = cluster.space(name);
      synchronized (space) {
        return CompletableFuture.completedFuture(op.apply(space));
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Optional<Versioned<byte[]>>> get(String key) {
    return on(s -> Optional.ofNullable(s.live(key))
        .map(v -> new Versioned<>(v.value().clone(), v.version())));
  }

  @Override
  public CompletionStage<Map<String, Versioned<byte[]>>> getAll(Collection<String> keys) {
    return on(s -> {
      Map<String, Versioned<byte[]>> found = new LinkedHashMap<>();
      for (String k : keys) {
        InMemoryCluster.Stored v = s.live(k);
        if (v != null) {
          found.put(k, new Versioned<>(v.value().clone(), v.version()));
        }
      }
      return found;
    });
  }

  @Override
  public CompletionStage<Long> put(String key, byte[] value) {
    return on(s -> s.write(key, s.live(key), value, 0));
  }

  @Override
  public CompletionStage<Long> put(String key, byte[] value, Duration ttl) {
    return on(s -> s.write(key, s.live(key), value, ttl.toMillis()));
  }

  @Override
  public CompletionStage<OptionalLong> putIfAbsent(String key, byte[] value, Duration ttl) {
    return on(s -> s.live(key) != null ? OptionalLong.empty()
        : OptionalLong.of(s.write(key, null, value, ttl.toMillis())));
  }

  @Override
  public CompletionStage<OptionalLong> replace(String key, byte[] value, Duration ttl) {
    return on(s -> {
      InMemoryCluster.Stored old = s.live(key);
      return old == null ? OptionalLong.empty()
          : OptionalLong.of(s.write(key, old, value, ttl.toMillis()));
    });
  }

  @Override
  public CompletionStage<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
    return putIfVersion(key, expectedVersion, value, 0);
  }

  @Override
  public CompletionStage<Long> putIfVersion(String key, long expectedVersion, byte[] value,
      long ttlMillis) {
    return on(s -> {
      InMemoryCluster.Stored old = s.live(key);
      long current = old == null ? 0 : old.version();
      if (current != expectedVersion) {
        throw new VersionMismatchException(
            current == 0 ? Status.NOT_FOUND : Status.VERSION_MISMATCH, key, expectedVersion,
            current);
      }
      return s.write(key, old, value, ttlMillis);
    });
  }

  @Override
  public CompletionStage<Boolean> removeIfVersion(String key, long expectedVersion,
      boolean asExpired) {
    return on(s -> {
      InMemoryCluster.Stored old = s.live(key);
      if (old == null || (expectedVersion != 0 && old.version() != expectedVersion)) {
        return false;
      }
      s.delete(key, old, asExpired);
      return true;
    });
  }

  @Override
  public CompletionStage<Optional<Versioned<byte[]>>> getAndTouch(String key, Duration ttl) {
    return on(s -> {
      InMemoryCluster.Stored old = s.live(key);
      if (old == null) {
        return Optional.empty();
      }
      long version = cluster.versions.incrementAndGet();
      long expiresAt = ttl.isZero() ? 0 : System.currentTimeMillis() + ttl.toMillis();
      s.entries.put(key, new InMemoryCluster.Stored(old.value(), version, expiresAt));
      return Optional.of(new Versioned<>(old.value().clone(), version));
    });
  }

  @Override
  public CompletionStage<Boolean> remove(String key) {
    return removeIfVersion(key, 0, false);
  }

  @Override
  public CompletionStage<Long> increment(String key, long delta) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("the in-memory double has no counters"));
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends byte[]> entries) {
    return putAll(entries, Duration.ZERO);
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends byte[]> entries, Duration ttl) {
    return on(s -> {
      entries.forEach((k, v) -> s.write(k, s.live(k), v, ttl.toMillis()));
      return null;
    });
  }

  @Override
  public CompletionStage<Long> size() {
    return on(s -> (long) s.snapshot().size());
  }

  @Override
  public CompletionStage<Void> clear() {
    return on(s -> {
      s.entries.clear();
      return null;
    });
  }

  @Override
  public CompletionStage<Void> removeAll() {
    return on(s -> {
      for (Map.Entry<String, Versioned<byte[]>> e : s.snapshot()) {
        s.delete(e.getKey(), s.entries.get(e.getKey()), false);
      }
      return null;
    });
  }

  /**
   * Pages in the order of the keys' hash codes, standing in for ring positions: a cursor is the
   * last position covered, so removals between pages skip nothing, as on the ring.
   */
  @Override
  public CompletionStage<ScanPage<byte[]>> scan(ScanCursor cursor, int limit) {
    return on(s -> {
      List<Map.Entry<String, Versioned<byte[]>>> all = new java.util.ArrayList<>(s.snapshot());
      all.sort(java.util.Comparator.comparingLong(
          (Map.Entry<String, Versioned<byte[]>> e) -> position(e.getKey()))
          .thenComparing(Map.Entry::getKey));
      List<Map.Entry<String, Versioned<byte[]>>> page = new java.util.ArrayList<>();
      int i = 0;
      while (i < all.size() && cursor.started() && position(all.get(i).getKey())
          <= cursor.position()) {
        i++;
      }
      while (i < all.size() && (page.size() < Math.max(1, limit)
          || position(all.get(i).getKey()) == position(page.get(page.size() - 1).getKey()))) {
        page.add(all.get(i++));
      }
      ScanCursor next = i >= all.size() ? null
          : new ScanCursor(position(page.get(page.size() - 1).getKey()), true);
      return new ScanPage<>(page, next);
    });
  }

  private static long position(String key) {
    return key.hashCode();
  }

  @Override
  public Iterator<Map.Entry<String, Versioned<byte[]>>> entries() {
    return new Iterator<>() {
      private Iterator<Map.Entry<String, Versioned<byte[]>>> page;
      private ScanCursor next = ScanCursor.START;

      @Override
      public boolean hasNext() {
        while ((page == null || !page.hasNext()) && next != null) {
          ScanPage<byte[]> p = scan(next, 2).toCompletableFuture().join();
          page = p.entries().iterator();
          next = p.next();
        }
        return page != null && page.hasNext();
      }

      @Override
      public Map.Entry<String, Versioned<byte[]>> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.next();
      }
    };
  }

  @Override
  public CompletionStage<Subscription> subscribe(EntryListener<byte[]> listener,
      boolean withOldValues) {
    return on(s -> {
      InMemoryCluster.Subscriber sub = new InMemoryCluster.Subscriber(listener, withOldValues);
      s.subscribers.add(sub);
      return new Subscription() {
        @Override
        public String cacheName() {
          return name;
        }

        @Override
        public CompletionStage<Void> cancel() {
          s.subscribers.remove(sub);
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
          cancel();
        }
      };
    });
  }

  /**
   * Single flight within the double: the first caller that misses loads; the others wait until it
   * is done and ask again, finding its value or, if it stored nothing, loading in turn. A value is
   * stored only if the key is still absent, and the stage completes with the value the cache holds
   * then, as the client's does. No lease and so no takeover: a loader that never completes holds
   * its key (the real cluster is where takeovers are tested).
   */
  @Override
  public CompletionStage<byte[]> getOrLoad(String key,
      Function<String, ? extends CompletionStage<? extends byte[]>> loader) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    InMemoryCluster.Space space;
    CompletableFuture<Void> held;
    try {
      space = cluster.space(name);
      synchronized (space) {
        InMemoryCluster.Stored found = space.live(key);
        if (found != null) {
          return CompletableFuture.completedFuture(found.value().clone());
        }
        held = space.loads.putIfAbsent(key, mine);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (held != null) {
      return held.thenCompose(done -> getOrLoad(key, loader));
    }
    CompletionStage<? extends byte[]> loaded;
    try {
      loaded = Objects.requireNonNull(loader.apply(key), "loader returned a null stage");
    } catch (RuntimeException e) {
      endLoad(space, key, mine);
      return CompletableFuture.failedFuture(e);
    }
    return loaded.thenCompose(v -> v == null ? CompletableFuture.<byte[]>completedFuture(null)
            : stored(key, v))
        .whenComplete((v, e) -> endLoad(space, key, mine));
  }

  /** Stores a loaded value if the key is still absent: the value the cache holds then. */
  private CompletionStage<byte[]> stored(String key, byte[] loaded) {
    return putIfVersion(key, 0, loaded, 0).handle((version, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(loaded);
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null
          ? e.getCause() : e;
      if (cause instanceof VersionMismatchException) {
        return get(key).thenApply(now -> now.map(Versioned::value).orElse(loaded));
      }
      return CompletableFuture.<byte[]>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private static void endLoad(InMemoryCluster.Space space, String key,
      CompletableFuture<Void> load) {
    space.loads.remove(key, load);
    load.complete(null);
  }

  @Override
  public <W> NamedCache<W> typed(ValueCodec<W> codec) {
    throw new UnsupportedOperationException("the in-memory double serves bytes only");
  }

  @Override
  public BlockingCache<byte[]> blocking() {
    throw new UnsupportedOperationException("the in-memory double has no blocking view");
  }
}
