package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.ringcache.ring.Member;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link NamedCache} over the client's {@link Router}: the key-value calls of {@link CacheOps}
 * with keys qualified by the cache's name, and the cache-wide calls, which go to every node
 * (size), to one node that coordinates (clear), or to each range's primary owner (scan).
 */
final class NamedCacheOps<V> extends CacheOps<V> implements NamedCache<V> {

  NamedCacheOps(Router router, ValueCodec<V> codec, String cacheName) {
    super(router, codec, cacheName);
  }

  /** A view that bypasses the hot-key near caches when {@code hotNear} is false. */
  NamedCacheOps(Router router, ValueCodec<V> codec, String cacheName, boolean hotNear) {
    super(router, codec, cacheName, hotNear);
  }

  @Override
  public String name() {
    return cacheName;
  }

  @Override
  public <W> NamedCache<W> typed(ValueCodec<W> codec) {
    return new NamedCacheOps<>(router, codec, cacheName, near != null);
  }

  @Override
  public CompletionStage<Long> putIfVersion(String key, long expectedVersion, V value,
      long ttlMillis) {
    return call(() -> {
      if (ttlMillis < KEEP_TTL) {
        throw new IllegalArgumentException(String.format(
            "ttlMillis is %d, must be -1 (keep), 0 (none) or positive", ttlMillis));
      }
      Key k = key(key);
      return single(SingleCall.Kind.CONDITIONAL, k, new Request.PutIfVersion(k, expectedVersion,
          value(value), ttlMillis, router.nextWriteId()),
          r -> casResult(r, key, expectedVersion));
    });
  }

  @Override
  public CompletionStage<Boolean> removeIfVersion(String key, long expectedVersion,
      boolean asExpired) {
    return call(() -> {
      Key k = key(key);
      return single(SingleCall.Kind.CONDITIONAL, k, new Request.DeleteIf(k, expectedVersion,
          asExpired, router.nextWriteId()), r -> {
            if (r instanceof Response.Ok) {
              return true;
            }
            if (r instanceof Response.Mismatch) {
              return false;
            }
            return absent(r, false);
          });
    });
  }

  @Override
  public CompletionStage<Optional<Versioned<V>>> getAndTouch(String key, Duration ttl) {
    return call(() -> {
      Key k = key(key);
      // A touch applied twice leaves the entry as a later touch would: resent like a put.
      return single(SingleCall.Kind.WRITE, k,
          new Request.GetTouch(k, ttl(ttl), WriteId.NONE), this::found);
    });
  }

  // ---------------------------------------------------------------- single flight

  @Override
  public CompletionStage<V> getOrLoad(String key,
      Function<String, ? extends CompletionStage<? extends V>> loader) {
    return call(() -> {
      Objects.requireNonNull(loader, "loader");
      Key k = key(key);
      NearState s = near == null ? null : near.state(cacheName);
      NearState.Entry e = s != null && s.admits(key, k.position()) ? s.servable(key) : null;
      if (e != null) {
        return CompletableFuture.completedFuture(codec.decode(e.value()));
      }
      long deadline = System.nanoTime() + SINGLE_FLIGHT_MAX_WAIT.toNanos();
      return leaseRound(key, k, loader, deadline);
    });
  }

  /** One LEASE request: the value, the lease (then load), or another round after the wait. */
  private CompletionStage<V> leaseRound(String key, Key k,
      Function<String, ? extends CompletionStage<? extends V>> loader, long deadline) {
    if (System.nanoTime() - deadline > 0) {
      // Waited long enough for others: load without a lease, store only if still absent.
      return loadAndStore(key, k, loader, 0);
    }
    long waitMillis = Math.max(0, Math.min(1_000,
        router.settings.timeoutNanos() / 2_000_000));
    Request.Lease ask = new Request.Lease(k, false, 0, router.settings.loadLease().toMillis(),
        waitMillis);
    return single(SingleCall.Kind.CONDITIONAL, k, ask, r -> r)
        .thenCompose(r -> {
          if (!(r instanceof Response.LeaseAnswer a)) {
            throw unexpected(r);
          }
          return switch (a.state()) {
            case VALUE -> CompletableFuture.completedFuture(
                (V) codec.decode(a.value().getBytes()));
            case GRANTED -> loadAndStore(key, k, loader, a.token());
            case HELD, RELEASED -> leaseRound(key, k, loader, deadline);
          };
        });
  }

  /**
   * Calls the loader and stores its value if the key is still absent; gives the lease
   * ({@code token}, 0 for none) back when there is nothing to store, so a waiter takes over.
   */
  private CompletionStage<V> loadAndStore(String key, Key k,
      Function<String, ? extends CompletionStage<? extends V>> loader, long token) {
    CompletionStage<? extends V> loaded;
    try {
      loaded = Objects.requireNonNull(loader.apply(key), "loader returned a null stage");
    } catch (RuntimeException e) {
      release(k, token);
      return CompletableFuture.failedFuture(e);
    }
    return loaded.handle((v, e) -> {
      if (e != null || v == null) {
        release(k, token);
        if (e != null) {
          throw e instanceof CompletionException ce ? ce
              : new CompletionException(e);
        }
        return CompletableFuture.<V>completedFuture(null);
      }
      V value = v;
      return putIfVersion(key, 0, value, 0).handle((version, failure) -> {
        if (failure == null) {
          return CompletableFuture.completedFuture(value);
        }
        Throwable cause = failure instanceof CompletionException
            && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof VersionMismatchException) {
          // Someone stored a value first (a newer write, or a loader that took over): use it.
          return get(key).thenApply(now -> now.map(Versioned::value).orElse(value));
        }
        release(k, token);
        return CompletableFuture.<V>failedFuture(cause);
      }).thenCompose(f -> f);
    }).thenCompose(f -> f);
  }

  private void release(Key k, long token) {
    if (token != 0) {
      single(SingleCall.Kind.CONDITIONAL, k, new Request.Lease(k, true, token, 1, 0), r -> r);
    }
  }

  // ---------------------------------------------------------------- cache-wide

  @Override
  public CompletionStage<Long> size() {
    return attempt(0, this::sizeOnce);
  }

  /** Each node's count at one epoch; a mixed answer means a rebalance step passed: try again. */
  private CompletableFuture<Long> sizeOnce() {
    return router.ready().thenCompose(installed -> {
      List<CompletableFuture<Response>> answers = new ArrayList<>();
      for (NodeAddress n : live(installed.topology())) {
        answers.add(router.sendTo(address(n), new Request.CacheSize(cacheName)));
      }
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> {
        long sum = 0;
        long epoch = -1;
        for (CompletableFuture<Response> a : answers) {
          Response r = a.join();
          if (!(r instanceof Response.Counter c)) {
            throw unexpected(r);
          }
          if (epoch >= 0 && c.version() != epoch) {
            throw new CacheUnavailableException(Status.WRONG_EPOCH, String.format(
                "size of '%s': nodes answered at epochs %d and %d", cacheName, epoch,
                c.version()), null);
          }
          epoch = c.version();
          sum += c.value();
        }
        return sum;
      });
    });
  }

  @Override
  public CompletionStage<Void> clear() {
    return clear(false);
  }

  @Override
  public CompletionStage<Void> removeAll() {
    return clear(true);
  }

  private CompletionStage<Void> clear(boolean withEvents) {
    if (near != null) {
      near.flush(cacheName);
      return clearOnce(withEvents).whenComplete((r, e) -> near.flush(cacheName));
    }
    return clearOnce(withEvents);
  }

  private CompletionStage<Void> clearOnce(boolean withEvents) {
    return attempt(0, () -> router.ready().thenCompose(installed -> {
      List<NodeAddress> nodes = live(installed.topology());
      if (nodes.isEmpty()) {
        throw new CacheUnavailableException(Status.UNAVAILABLE, "no live node", null);
      }
      return router.sendTo(address(nodes.get(0)), new Request.CacheClear(cacheName, withEvents));
    }).thenApply(r -> {
      if (!(r instanceof Response.Counter)) {
        throw unexpected(r);
      }
      return (Void) null;
    }));
  }

  @Override
  public CompletionStage<ScanPage<V>> scan(ScanCursor cursor, int limit) {
    return call(() -> {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be positive, was " + limit);
      }
      if (cursor.started() && cursor.position() == Long.MAX_VALUE) {
        return CompletableFuture.completedFuture(new ScanPage<>(List.of(), null));
      }
      return attempt(0, () -> router.ready().thenCompose(installed -> {
        long first = cursor.started() ? cursor.position() + 1 : Long.MIN_VALUE;
        List<Member> owners = installed.topology().readReplicas(first);
        if (owners.isEmpty()) {
          throw new CacheUnavailableException(Status.UNAVAILABLE, "no layout yet", null);
        }
        NodeAddress n = installed.topology().node(owners.get(0).name()).orElseThrow();
        return router.sendTo(address(n), new Request.CacheScan(cacheName, cursor.position(),
            !cursor.started(), limit));
      }).thenApply(r -> {
        if (!(r instanceof Response.Entries e)) {
          throw unexpected(r);
        }
        List<Map.Entry<String, Versioned<V>>> entries = new ArrayList<>(e.entries().size());
        for (Response.Entries.Entry en : e.entries()) {
          entries.add(new AbstractMap.SimpleImmutableEntry<>(en.key().asString(),
              new Versioned<>(codec.decode(en.value().getBytes()), en.version())));
        }
        return new ScanPage<>(entries, e.nextPosition() == Long.MAX_VALUE ? null
            : new ScanCursor(e.nextPosition(), true));
      }));
    });
  }

  @Override
  public Iterator<Map.Entry<String, Versioned<V>>> entries() {
    return new Iterator<>() {
      private final ArrayDeque<Map.Entry<String, Versioned<V>>> page = new ArrayDeque<>();
      private ScanCursor next = ScanCursor.START;

      @Override
      public boolean hasNext() {
        while (page.isEmpty() && next != null) {
          ScanPage<V> p = await(scan(next, 1000));
          next = p.next();
          // Each page starts after the last position of the one before: no key comes twice.
          page.addAll(p.entries());
        }
        return !page.isEmpty();
      }

      @Override
      public Map.Entry<String, Versioned<V>> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.poll();
      }
    };
  }

  @Override
  public CompletionStage<Subscription> subscribe(EntryListener<V> listener,
      boolean withOldValues) {
    return call(() -> router.subscriptions.subscribe(cacheName, new EntryListener<byte[]>() {
      @Override
      public void onEvent(EntryEvent<byte[]> e) {
        listener.onEvent(new EntryEvent<>(e.type(), e.key(),
            e.value() == null ? null : codec.decode(e.value()),
            e.oldValue() == null ? null : codec.decode(e.oldValue()), e.version()));
      }

      @Override
      public void onEventsMissed(String reason) {
        listener.onEventsMissed(reason);
      }
    }, withOldValues));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Runs {@code once}, again after a layout refresh and backoff when it fails with a status a
   * retry may cure, up to the client's retry limit.
   */
  private <T> CompletableFuture<T> attempt(int retry, Supplier<CompletableFuture<T>> once) {
    CompletableFuture<T> out = new CompletableFuture<>();
    once.get().whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
        return;
      }
      Throwable cause = e instanceof CompletionException && e.getCause()
          != null ? e.getCause() : e;
      boolean retryable = cause instanceof CacheUnavailableException
          || cause instanceof CacheTimeoutException;
      if (!retryable || retry >= router.settings.maxRetries()) {
        out.completeExceptionally(cause);
        return;
      }
      router.refresh(null).whenComplete((i, x) -> router.schedule(router.backoffMillis(retry),
          () -> attempt(retry + 1, once).whenComplete((v2, e2) -> {
            if (e2 == null) {
              out.complete(v2);
            } else {
              out.completeExceptionally(e2);
            }
          })));
    });
    return out;
  }

  static List<NodeAddress> live(Topology t) {
    List<NodeAddress> out = new ArrayList<>();
    for (NodeAddress n : t.nodes()) {
      if (!t.isDown(n.name())) {
        out.add(n);
      }
    }
    return out;
  }

  static HostPort address(NodeAddress n) {
    return new HostPort(n.host(), n.clientPort());
  }

  private <T> T await(CompletionStage<T> stage) {
    if (router.isClientThread()) {
      throw new IllegalStateException("entries() waits for pages: never call it on a client"
          + " thread (a callback of a client stage)");
    }
    try {
      return stage.toCompletableFuture().get(
          router.settings.timeoutNanos() * (router.settings.maxRetries() + 1L),
          TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheClosedException("interrupted while waiting for a scan page");
    } catch (TimeoutException e) {
      throw new CacheTimeoutException("no scan page of '" + cacheName + "' in time");
    }
  }

}
