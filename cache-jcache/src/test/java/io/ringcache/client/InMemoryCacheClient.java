package io.ringcache.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link CacheClient} over an {@link InMemoryCluster}: named caches and their admin; the flat
 * keyspace is the {@code default} cache. Calls after {@link #close()} fail as a closed client's
 * do.
 */
public final class InMemoryCacheClient implements CacheClient {

  private final InMemoryCluster cluster;
  private volatile boolean closed;

  public InMemoryCacheClient(InMemoryCluster cluster) {
    this.cluster = cluster;
  }

  private NamedCache<byte[]> flat() {
    return cache(CacheSettings.DEFAULT);
  }

  @Override
  public NearCache<byte[]> nearCache(String name, NearCacheSettings settings) {
    throw new UnsupportedOperationException("the in-memory double has no near cache");
  }

  @Override
  public NamedCache<byte[]> cache(String name) {
    CacheSettings.checkName(name);
    if (closed) {
      throw new CacheClosedException("the client is closed");
    }
    return new InMemoryNamedCache(cluster, name);
  }

  @Override
  public CacheAdmin caches() {
    return cluster.admin();
  }

  @Override
  public <V> AsyncRingCache<V> typed(ValueCodec<V> codec) {
    throw new UnsupportedOperationException("the in-memory double serves bytes only");
  }

  @Override
  public ClusterTopology topology() {
    return new ClusterTopology(1, List.of());
  }

  @Override
  public CompletionStage<Map<String, Optional<Versioned<byte[]>>>> ownerCopies(String key) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("the in-memory double has no owners"));
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    closed = true;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public CompletionStage<Optional<Versioned<byte[]>>> get(String key) {
    return flat().get(key);
  }

  @Override
  public CompletionStage<Map<String, Versioned<byte[]>>> getAll(Collection<String> keys) {
    return flat().getAll(keys);
  }

  @Override
  public CompletionStage<Long> put(String key, byte[] value) {
    return flat().put(key, value);
  }

  @Override
  public CompletionStage<Long> put(String key, byte[] value, Duration ttl) {
    return flat().put(key, value, ttl);
  }

  @Override
  public CompletionStage<OptionalLong> putIfAbsent(String key, byte[] value, Duration ttl) {
    return flat().putIfAbsent(key, value, ttl);
  }

  @Override
  public CompletionStage<OptionalLong> replace(String key, byte[] value, Duration ttl) {
    return flat().replace(key, value, ttl);
  }

  @Override
  public CompletionStage<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
    return flat().compareAndSet(key, expectedVersion, value);
  }

  @Override
  public CompletionStage<Boolean> remove(String key) {
    return flat().remove(key);
  }

  @Override
  public CompletionStage<Long> increment(String key, long delta) {
    return flat().increment(key, delta);
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends byte[]> entries) {
    return flat().putAll(entries);
  }

  @Override
  public CompletionStage<Void> putAll(Map<String, ? extends byte[]> entries, Duration ttl) {
    return flat().putAll(entries, ttl);
  }

  @Override
  public BlockingCache<byte[]> blocking() {
    throw new UnsupportedOperationException("the in-memory double has no blocking view");
  }
}
