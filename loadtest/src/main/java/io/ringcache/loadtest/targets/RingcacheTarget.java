package io.ringcache.loadtest.targets;

import io.ringcache.client.AsyncRingCache;
import io.ringcache.client.CacheClient;
import io.ringcache.client.Versioned;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * ringcache through its smart client ({@code cache-client}): every call is one client call, and
 * versions are the ones the owning node stamped.
 *
 * <p>Futures complete on the client's I/O threads, where its answers arrive; nothing is handed to
 * another pool. The client's failures ({@code CacheTimeoutException}, {@code
 * CacheUnavailableException}, ...) fail the futures as they are, unwrapped.
 */
public final class RingcacheTarget implements Target {

  /** The name in reports. */
  public static final String NAME = "ringcache";

  private final CacheClient client;
  private final AsyncRingCache<byte[]> cache;
  private final String name;

  private RingcacheTarget(CacheClient client, AsyncRingCache<byte[]> cache, String name) {
    this.client = Objects.requireNonNull(client, "client");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** A target over {@code client}'s default cache; {@link #close()} closes the client. */
  public static RingcacheTarget over(CacheClient client) {
    return new RingcacheTarget(client, client, NAME);
  }

  /**
   * A target over {@code cache}, a view of {@code client} such as a named cache or a {@link
   * io.ringcache.client.NearCache}, reported as {@code name}; {@link #close()} closes the client.
   */
  public static RingcacheTarget over(CacheClient client, AsyncRingCache<byte[]> cache,
      String name) {
    return new RingcacheTarget(client, cache, name);
  }

  /**
   * A target over a new client of these seeds ({@code host:port}, binary-protocol ports) with the
   * client's defaults but {@code connectionsPerNode}; returns at once, the first calls wait for the
   * cluster layout.
   */
  public static RingcacheTarget connect(List<String> seeds, int connectionsPerNode) {
    return over(CacheClient.builder().seeds(seeds).connectionsPerNode(connectionsPerNode).build());
  }

  /** The client under this target, for settings the {@link Target} API does not cover. */
  public CacheClient client() {
    return client;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Read> get(String key) {
    return Stages.call(() -> cache.get(key),
        found -> found.map(v -> new Read(v.value(), v.version())).orElse(null));
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return Stages.call(() -> cache.put(key, value), Function.identity());
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] value) {
    return Stages.call(() -> cache.putIfAbsent(key, value, Duration.ZERO), v -> v.isPresent());
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return Stages.call(() -> cache.remove(key), Function.identity());
  }

  @Override
  public CompletableFuture<Map<String, Read>> getAll(List<String> keys) {
    return Stages.call(() -> cache.getAll(keys), found -> {
      Map<String, Read> out = new HashMap<>(found.size() * 2);
      for (Map.Entry<String, Versioned<byte[]>> e : found.entrySet()) {
        out.put(e.getKey(), new Read(e.getValue().value(), e.getValue().version()));
      }
      return out;
    });
  }

  @Override
  public void close() {
    client.close();
  }

}
