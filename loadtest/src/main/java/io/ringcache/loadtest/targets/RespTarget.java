package io.ringcache.loadtest.targets;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A Redis-protocol server through Lettuce, the client Spring Data Redis ships with: a Redis
 * {@code redis-server}, or ringcache's RESP port. One connection per endpoint (Lettuce pipelines
 * on it, as the smart client does on its one connection per node); a key always goes to the same
 * endpoint, picked by its hash. Against ringcache any node's RESP port serves any key (the node
 * forwards to the owner), so the endpoints only spread the load, as a Redis client's list of
 * servers behind a proxy would.
 *
 * <p>Redis keeps no versions: reads and writes report {@link Target#NO_VERSION}. Futures complete
 * on Lettuce's I/O threads.
 */
public final class RespTarget implements Target {

  /** Requests that get no answer within this fail, rather than Lettuce's one minute. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final RedisClient client;
  private final List<StatefulRedisConnection<String, byte[]>> connections;
  private final List<RedisAsyncCommands<String, byte[]>> commands;

  private RespTarget(String name, RedisClient client,
      List<StatefulRedisConnection<String, byte[]>> connections) {
    this.name = name;
    this.client = client;
    this.connections = connections;
    this.commands = connections.stream().map(StatefulRedisConnection::async).toList();
  }

  /**
   * Connects to every endpoint ({@code host:port}) now, reported as {@code name}; a failure to
   * connect to any of them closes what was opened and throws.
   */
  public static RespTarget connect(String name, List<String> endpoints) {
    Objects.requireNonNull(name, "name");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a RESP target needs at least one endpoint");
    }
    RedisClient client = RedisClient.create();
    List<StatefulRedisConnection<String, byte[]>> opened = new ArrayList<>();
    RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    try {
      for (String endpoint : endpoints) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("endpoint must be host:port, was '" + endpoint + "'");
        }
        RedisURI uri = RedisURI.builder().withHost(endpoint.substring(0, colon))
            .withPort(Integer.parseInt(endpoint.substring(colon + 1)))
            .withTimeout(COMMAND_TIMEOUT).build();
        opened.add(client.connect(codec, uri));
      }
    } catch (RuntimeException e) {
      opened.forEach(StatefulRedisConnection::close);
      client.shutdown();
      throw e;
    }
    return new RespTarget(name, client, List.copyOf(opened));
  }

  private RedisAsyncCommands<String, byte[]> on(String key) {
    return commands.get(Math.floorMod(key.hashCode(), commands.size()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletableFuture<Read> get(String key) {
    return on(key).get(key).toCompletableFuture()
        .thenApply(v -> v == null ? null : new Read(v, NO_VERSION));
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return on(key).set(key, value).toCompletableFuture().thenApply(ok -> NO_VERSION);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] value) {
    return on(key).setnx(key, value).toCompletableFuture();
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return on(key).del(key).toCompletableFuture().thenApply(n -> n > 0);
  }

  @Override
  public CompletableFuture<Map<String, Read>> getAll(List<String> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    String[] distinct = new LinkedHashSet<>(keys).toArray(String[]::new);
    return on(distinct[0]).mget(distinct).toCompletableFuture().thenApply(found -> {
      Map<String, Read> out = new HashMap<>(found.size() * 2);
      for (KeyValue<String, byte[]> kv : found) {
        if (kv.hasValue()) {
          out.put(kv.getKey(), new Read(kv.getValue(), NO_VERSION));
        }
      }
      return out;
    });
  }

  @Override
  public void close() {
    connections.forEach(StatefulRedisConnection::close);
    client.shutdown();
  }
}
