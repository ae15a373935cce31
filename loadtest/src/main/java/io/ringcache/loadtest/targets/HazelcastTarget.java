package io.ringcache.loadtest.targets;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nearcache.NearCacheStats;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hazelcast, the peer: an {@code IMap<String, byte[]>} through the Hazelcast Java client with smart
 * routing ({@link RoutingMode#ALL_MEMBERS}: each key goes straight to its partition owner, as the
 * ringcache client does).
 *
 * <h2>Design</h2>
 *
 * <ul>
 *   <li>{@code get}: {@code getAsync}; {@code put}: {@code setAsync} (no old value sent back, like a
 *       ringcache SET); {@code delete}: {@code deleteAsync} (whether it existed, no value back).
 *   <li>{@code putIfAbsent}: {@code submitToKey} with {@link PutIfAbsentProcessor}, because the
 *       5.6 {@code IMap} has no asynchronous {@code putIfAbsent}.
 *   <li>{@code getAll}: one {@code getAsync} per distinct key, all in flight at once, each routed
 *       to its owner. The 5.6 {@code IMap} has no asynchronous {@code getAll}; the blocking {@code
 *       getAll} also sends one request per partition, and with 271 partitions a batch of a few
 *       dozen keys rarely shares one.
 *   <li>Versions are {@link Target#NO_VERSION}: Hazelcast keeps none a client can compare.
 * </ul>
 *
 * <h2>Concurrency</h2>
 *
 * Every future completes on the Hazelcast client thread that received the answer, through {@link
 * Stages#DIRECT}: Hazelcast's non-async callbacks would otherwise hop to the common pool, or to a
 * new thread per callback on 2 cores.
 */
public final class HazelcastTarget implements Target {

  /** The name in reports. */
  public static final String NAME = "hazelcast";

  /** The map used unless {@link Builder#mapName} says otherwise. */
  public static final String DEFAULT_MAP = "loadtest";

  /** The name in reports of a target with {@link Builder#nearCache} on. */
  public static final String NEAR_CACHE_NAME = "hazelcast-near";

  private final HazelcastInstance client;
  private final IMap<String, byte[]> map;
  private final String name;

  private HazelcastTarget(HazelcastInstance client, String mapName, String name) {
    this.client = client;
    this.map = client.getMap(mapName);
    this.name = name;
  }

  /** Settings; {@link Builder#connect()} connects. */
  public static Builder builder() {
    return new Builder();
  }

  /** The Hazelcast client, for checks the {@link Target} API does not cover. */
  public HazelcastInstance client() {
    return client;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The client's near-cache hits and misses so far ({@code [hits, misses]}), or {@code [0, 0]}
   * without a near cache.
   */
  public long[] nearCacheHitsAndMisses() {
    NearCacheStats stats = map.getLocalMapStats().getNearCacheStats();
    return stats == null ? new long[2] : new long[] {stats.getHits(), stats.getMisses()};
  }

  @Override
  public CompletableFuture<Read> get(String key) {
    return Stages.call(() -> map.getAsync(key), HazelcastTarget::read);
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    return Stages.call(() -> map.setAsync(key, value), ignored -> NO_VERSION);
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] value) {
    return Stages.call(() -> map.submitToKey(key, new PutIfAbsentProcessor(value)), Boolean.TRUE::equals);
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return Stages.call(() -> map.deleteAsync(key), Boolean.TRUE::equals);
  }

  @Override
  public CompletableFuture<Map<String, Read>> getAll(List<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    if (distinct.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    CompletableFuture<Map<String, Read>> all = new CompletableFuture<>();
    Read[] reads = new Read[distinct.size()];
    AtomicInteger pending = new AtomicInteger(distinct.size());
    for (int i = 0; i < distinct.size(); i++) {
      int slot = i;
      get(distinct.get(i)).whenComplete((read, failure) -> {
        if (failure != null) {
          all.completeExceptionally(failure);
          return;
        }
        // Each slot is written by one callback; the decrement publishes it to the last one.
        reads[slot] = read;
        if (pending.decrementAndGet() == 0) {
          Map<String, Read> found = new HashMap<>(distinct.size() * 2);
          for (int j = 0; j < reads.length; j++) {
            if (reads[j] != null) {
              found.put(distinct.get(j), reads[j]);
            }
          }
          all.complete(found);
        }
      });
    }
    return all;
  }

  /** Shuts the client down; calls in flight fail with Hazelcast's own exception. */
  @Override
  public void close() {
    client.shutdown();
  }

  private static Read read(byte[] value) {
    return value == null ? null : new Read(value, NO_VERSION);
  }


  /** Client settings, validated as they are set. */
  public static final class Builder {

    private String clusterName;
    private final List<String> members = new ArrayList<>();
    private String mapName = DEFAULT_MAP;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration invocationTimeout = Duration.ofSeconds(10);
    private int nearCacheEntries;

    private Builder() {}

    /**
     * Puts a near cache of at most {@code maxEntries} entries in front of the map's reads, with
     * invalidation on: Hazelcast's {@link NearCacheConfig} as its documentation sets it up for a
     * read-mostly map (BINARY format, LRU eviction, no TTL: entries stay until invalidated or
     * evicted, and Hazelcast's own repair task reconciles missed invalidations). 0 (the default)
     * means none.
     */
    public Builder nearCache(int maxEntries) {
      if (maxEntries < 0) {
        throw new IllegalArgumentException("nearCache maxEntries must not be negative, was "
            + maxEntries);
      }
      this.nearCacheEntries = maxEntries;
      return this;
    }

    /** The members' cluster name; required. */
    public Builder clusterName(String name) {
      Objects.requireNonNull(name, "clusterName");
      if (name.isBlank()) {
        throw new IllegalArgumentException("clusterName must not be blank");
      }
      this.clusterName = name;
      return this;
    }

    /** Member addresses, {@code host:port}; at least one is required. Adds to earlier ones. */
    public Builder members(List<String> addresses) {
      Objects.requireNonNull(addresses, "addresses");
      for (String a : addresses) {
        if (a == null || !a.matches("[^:\\s]+:\\d{1,5}")) {
          throw new IllegalArgumentException("member address must be host:port, was '" + a + "'");
        }
        members.add(a);
      }
      return this;
    }

    /** The map to use; default {@value HazelcastTarget#DEFAULT_MAP}. */
    public Builder mapName(String name) {
      Objects.requireNonNull(name, "mapName");
      if (name.isBlank()) {
        throw new IllegalArgumentException("mapName must not be blank");
      }
      this.mapName = name;
      return this;
    }

    /** How long {@link #connect()} tries to reach the cluster; default 30 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How long one call may take, retries included ({@code
     * hazelcast.client.invocation.timeout.seconds}, whole seconds, at least 1); default 10 s,
     * about what the ringcache client's 4 attempts of 2 s take.
     */
    public Builder invocationTimeout(Duration timeout) {
      this.invocationTimeout = positive("invocationTimeout", timeout);
      return this;
    }

    /** The client config these settings make; {@link #connect()} uses it. */
    public ClientConfig clientConfig() {
      if (clusterName == null) {
        throw new IllegalStateException("clusterName is required");
      }
      if (members.isEmpty()) {
        throw new IllegalStateException("at least one member address is required");
      }
      ClientConfig config = new ClientConfig();
      config.setClusterName(clusterName);
      config.setInstanceName("loadtest-" + clusterName + "-" + System.nanoTime());
      config.setProperty("hazelcast.phone.home.enabled", "false");
      config.setProperty("hazelcast.client.invocation.timeout.seconds",
          Long.toString(Math.max(1, invocationTimeout.toSeconds())));
      config.getNetworkConfig().setAddresses(new ArrayList<>(members));
      config.getNetworkConfig().getClusterRoutingConfig().setRoutingMode(RoutingMode.ALL_MEMBERS);
      config.getConnectionStrategyConfig().getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
      if (nearCacheEntries > 0) {
        config.addNearCacheConfig(new NearCacheConfig(mapName)
            .setInvalidateOnChange(true)
            .setInMemoryFormat(InMemoryFormat.BINARY)
            .setEvictionConfig(new EvictionConfig()
                .setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                .setSize(nearCacheEntries)));
      }
      return config;
    }

    /**
     * Connects: returns once the client reached a member (bounded by {@link #connectTimeout}).
     *
     * @throws IllegalStateException if the cluster name or members are missing; Hazelcast's
     *     {@code IllegalStateException} if no member answered in time
     */
    public HazelcastTarget connect() {
      ClientConfig config = clientConfig();
      return new HazelcastTarget(HazelcastClient.newHazelcastClient(config), mapName,
          nearCacheEntries > 0 ? NEAR_CACHE_NAME : NAME);
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
