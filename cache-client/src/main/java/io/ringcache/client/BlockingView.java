package io.ringcache.client;

import io.ringcache.protocol.Status;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link BlockingCache} over an {@link AsyncRingCache}. Each wait is bounded by the longest a call
 * can take (every attempt timing out after its backoff, plus one topology fetch), as a second line
 * of defence: the call itself always completes first.
 */
final class BlockingView<V> implements BlockingCache<V> {

  private final AsyncRingCache<V> async;
  private final long boundMillis;

  BlockingView(AsyncRingCache<V> async, ClientSettings settings) {
    this.async = async;
    long attempts = settings.maxRetries() + 1L;
    long perAttempt = settings.requestTimeout().toMillis() * 2
        + settings.retryBackoff().toMillis() * 50;
    this.boundMillis = attempts * perAttempt + settings.requestTimeout().toMillis() + 1000;
  }

  private <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(boundMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CacheRejectedException(Status.INTERNAL, String.valueOf(cause));
    } catch (TimeoutException e) {
      throw new CacheTimeoutException("no result within " + boundMillis + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheUnavailableException(Status.UNAVAILABLE,
          "interrupted while waiting for the cache", e);
    }
  }

  @Override
  public Optional<Versioned<V>> get(String key) {
    return await(async.get(key));
  }

  @Override
  public Map<String, Versioned<V>> getAll(Collection<String> keys) {
    return await(async.getAll(keys));
  }

  @Override
  public long put(String key, V value) {
    return await(async.put(key, value));
  }

  @Override
  public long put(String key, V value, Duration ttl) {
    return await(async.put(key, value, ttl));
  }

  @Override
  public OptionalLong putIfAbsent(String key, V value, Duration ttl) {
    return await(async.putIfAbsent(key, value, ttl));
  }

  @Override
  public OptionalLong replace(String key, V value, Duration ttl) {
    return await(async.replace(key, value, ttl));
  }

  @Override
  public long compareAndSet(String key, long expectedVersion, V value) {
    return await(async.compareAndSet(key, expectedVersion, value));
  }

  @Override
  public boolean remove(String key) {
    return await(async.remove(key));
  }

  @Override
  public long increment(String key, long delta) {
    return await(async.increment(key, delta));
  }

  @Override
  public void putAll(Map<String, ? extends V> entries) {
    await(async.putAll(entries));
  }

  @Override
  public void putAll(Map<String, ? extends V> entries, Duration ttl) {
    await(async.putAll(entries, ttl));
  }
}
