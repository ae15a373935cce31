package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.ProtocolLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A connection to a ringcache cluster: the byte-valued {@link AsyncRingCache}, typed and blocking
 * views over it, and the client's view of the cluster.
 *
 * <pre>{@code
 * try (CacheClient client = CacheClient.builder().seeds("127.0.0.1:7101").build()) {
 *   client.typed(ValueCodec.utf8()).blocking().put("greeting", "hello");
 * }
 * }</pre>
 *
 * <p>The client learns the cluster layout from any seed and sends each request straight to the
 * node that owns its key, over a few pipelined connections per node; it follows layout changes
 * as nodes answer with newer epochs. It is thread-safe and meant to be shared: build one per
 * cluster and close it when done.
 */
public interface CacheClient extends AsyncRingCache<byte[]>, AutoCloseable {

  static Builder builder() {
    return new Builder();
  }

  /** A view whose values go through {@code codec}; shares this client's connections. */
  <V> AsyncRingCache<V> typed(ValueCodec<V> codec);

  /**
   * The named cache {@code name} ({@link CacheSettings#DEFAULT} is this client's own keyspace).
   * No call is made: a cache that does not exist fails each operation with {@code NO_SUCH_CACHE}.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid cache name
   */
  NamedCache<byte[]> cache(String name);

  /**
   * The named cache {@code name} with a near cache in front of its reads, held in this client
   * ({@link NearCache}: staleness bounded by the settings' lease). Each call makes a near cache of
   * its own, with its own subscription to the cache's events; keep and share the one you make.
   *
   * @throws IllegalArgumentException if {@code name} is not a valid cache name
   */
  NearCache<byte[]> nearCache(String name, NearCacheSettings settings);

  /** Creates, lists and destroys named caches. */
  CacheAdmin caches();

  /** The client's current copy of the cluster layout (epoch 0 before it reached any node). */
  ClusterTopology topology();

  /**
   * Every read owner's own copy of {@code key}, by member name (empty where that owner holds
   * none), as the client's layout names the owners; each owner answers from its own store and
   * none forwards. Meant for verification tools, such as a check that no owner lost an
   * acknowledged write once a rebalance is over; applications read with {@link #get}. Not
   * retried: an owner that cannot answer fails the stage.
   */
  CompletionStage<Map<String, Optional<Versioned<byte[]>>>> ownerCopies(String key);

  /**
   * Closes the client: every call still in flight fails with {@link CacheClosedException}, later
   * calls fail the same way, and connections and threads are released. Idempotent.
   */
  CompletionStage<Void> closeAsync();

  /**
   * {@link #closeAsync()}, waiting up to the request timeout for connections and threads to be
   * released (pending calls are failed at once either way). Never throws.
   */
  @Override
  void close();

  /**
   * Settings for a {@link CacheClient}. Every setter validates its argument at once with a message
   * naming the value and the bound; {@link #build()} checks that seeds were given.
   */
  final class Builder {

    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    static final int DEFAULT_MAX_RETRIES = 10;
    static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(20);
    static final int MAX_RETRIES_LIMIT = 100;
    static final int MAX_CONNECTIONS_PER_NODE = 64;
    static final int DEFAULT_MAX_PENDING_REQUESTS = 65_536;
    static final int MAX_EVENT_LOOPS = 64;

    private final List<HostPort> seeds = new ArrayList<>();
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private String authToken = "";
    private int connectionsPerNode = 1;
    private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
    private Duration overloadWait = Duration.ZERO;
    private int eventLoops = 1;
    private int maxKeyBytes = ProtocolLimits.DEFAULT_MAX_KEY_BYTES;
    private int maxValueBytes = ProtocolLimits.DEFAULT_MAX_VALUE_BYTES;
    private String clientName = "ringcache-client";
    private boolean tls;
    private Path tlsTrust;
    private boolean tlsHostnameVerification = true;
    private Duration loadLease = NamedCache.SINGLE_FLIGHT_LEASE;
    private boolean hotKeyReplicaReads = true;
    private NearCacheSettings hotKeyNearCache;

    Builder() {}

    /**
     * Nodes to ask for the cluster layout, as {@code host:port} (the binary-protocol port). Any
     * live node will do; more than one survives a seed being down. Adds to earlier seeds.
     */
    public Builder seeds(String... hostPorts) {
      Objects.requireNonNull(hostPorts, "hostPorts");
      return seeds(Arrays.asList(hostPorts));
    }

    /** As {@link #seeds(String...)}. */
    public Builder seeds(List<String> hostPorts) {
      Objects.requireNonNull(hostPorts, "hostPorts");
      for (String s : hostPorts) {
        seeds.add(HostPort.parse("seed", s));
      }
      return this;
    }

    /**
     * How long one attempt of a call may wait for its answer (default 2 s). A call makes at most
     * {@code 1 + maxRetries} attempts.
     */
    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() < 1) {
        throw new IllegalArgumentException(
            String.format("requestTimeout must be at least 1 ms, was %s", timeout));
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Retries after the first attempt, 0..100 (default 10: with the default backoff about 4 s of
     * waiting in all, enough to ride out a rebalance step or the detection of a crashed node).
     */
    public Builder maxRetries(int retries) {
      if (retries < 0 || retries > MAX_RETRIES_LIMIT) {
        throw new IllegalArgumentException(String.format(
            "maxRetries must be within 0..%d, was %d", MAX_RETRIES_LIMIT, retries));
      }
      this.maxRetries = retries;
      return this;
    }

    /**
     * Wait before the first retry (default 20 ms); each further retry waits twice as long, with
     * jitter, up to 50 times this value. Zero retries at once.
     */
    public Builder retryBackoff(Duration backoff) {
      Objects.requireNonNull(backoff, "backoff");
      if (backoff.isNegative()) {
        throw new IllegalArgumentException(
            String.format("retryBackoff must not be negative, was %s", backoff));
      }
      this.retryBackoff = backoff;
      return this;
    }

    /** The token the nodes require in HELLO (default: none). */
    public Builder authToken(String token) {
      this.authToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Connects to every node over TLS, trusting the JVM's default CAs (for node certificates
     * issued by a public CA). Nodes with {@code tls-cert} set refuse plain-text clients.
     */
    public Builder tls() {
      this.tls = true;
      this.tlsTrust = null;
      return this;
    }

    /**
     * Connects to every node over TLS, trusting only the CA certificates in the PEM file {@code
     * trustedCertificates} (the nodes' {@code tls-trust} bundle, or their one self-signed
     * certificate).
     *
     * @throws IllegalArgumentException if the file cannot be read
     */
    public Builder tls(Path trustedCertificates) {
      Objects.requireNonNull(trustedCertificates, "trustedCertificates");
      if (!Files.isReadable(trustedCertificates)) {
        throw new IllegalArgumentException(String.format(
            "tls trust file '%s' cannot be read", trustedCertificates));
      }
      this.tls = true;
      this.tlsTrust = trustedCertificates;
      return this;
    }

    /**
     * Whether a node's certificate must name the host the client connects to (default true).
     * The client dials the address each node advertises (its {@code host} setting, often an IP
     * address), so node certificates need that address as a subject alternative name; turn this
     * off only when they cannot have it, and keep the trust bundle private to the cluster.
     */
    public Builder tlsHostnameVerification(boolean verify) {
      this.tlsHostnameVerification = verify;
      return this;
    }

    /**
     * Most requests one connection may have sent or queued without an answer (default 65,536,
     * at least 1). Beyond it, and beyond 64 MiB of requests queued for writing, a call fails at
     * once with {@link CacheOverloadedException} instead of queueing without bound.
     */
    public Builder maxPendingRequests(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException(
            String.format("maxPendingRequests must be at least 1, was %d", requests));
      }
      this.maxPendingRequests = requests;
      return this;
    }

    /**
     * How long a call waits for room when its connection's queue is full (default 0: it fails at
     * once with {@link CacheOverloadedException}). The wait blocks the calling thread, as a
     * bounded producer does; a call made on one of the client's own threads (a retry, or a
     * callback chained onto one of its futures) never waits, since blocking there would stall
     * every call on that event loop. Past the wait the call fails with the same exception.
     */
    public Builder overloadWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("overloadWait must not be negative, was " + wait);
      }
      this.overloadWait = wait;
      return this;
    }

    /**
     * Event-loop threads of the client, 1..64 (default 1). Connections are spread over them.
     * With 1, every connection, answer and retry runs on one thread: no hand-offs between the
     * client's own threads, the cheapest setting while one core keeps up with the application's
     * calls (a pipelined connection serves a few hundred thousand calls a second). More loops
     * spread the encoding and decoding of many connections ({@link #connectionsPerNode}, many
     * nodes) over more cores.
     */
    public Builder eventLoops(int loops) {
      if (loops < 1 || loops > MAX_EVENT_LOOPS) {
        throw new IllegalArgumentException(String.format(
            "eventLoops must be within 1..%d, was %d", MAX_EVENT_LOOPS, loops));
      }
      this.eventLoops = loops;
      return this;
    }

    /** Pipelined connections to each node, 1..64 (default 1); calls spread over them. */
    public Builder connectionsPerNode(int connections) {
      if (connections < 1 || connections > MAX_CONNECTIONS_PER_NODE) {
        throw new IllegalArgumentException(String.format(
            "connectionsPerNode must be within 1..%d, was %d", MAX_CONNECTIONS_PER_NODE,
            connections));
      }
      this.connectionsPerNode = connections;
      return this;
    }

    /**
     * The nodes' key and value limits (defaults 1024 and 1 MiB): the client refuses larger keys
     * and values itself, with the status the node would answer. Set them as the nodes are set.
     */
    public Builder limits(int maxKeyBytes, int maxValueBytes) {
      ProtocolLimits.of(maxKeyBytes, maxValueBytes);
      this.maxKeyBytes = maxKeyBytes;
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /**
     * How long a {@link NamedCache#getOrLoad} lease lasts (default 10 s): a loader that takes
     * longer may be joined by a second one, and a holder that dies delays the others this long.
     * Within 1 ms..1 h.
     */
    public Builder loadLease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.isNegative() || lease.toMillis() < 1 || lease.toMillis() > 3_600_000) {
        throw new IllegalArgumentException(
            String.format("loadLease must be within 1 ms..1 h, was %s", lease));
      }
      this.loadLease = lease;
      return this;
    }

    /**
     * Whether reads of keys the nodes report hot go to any replica instead of the primary
     * (default true): a hot key's reads then spread over its owners. The client asks each node
     * for its hot keys once a second. Replicas hold every acknowledged write (writes are
     * acknowledged once all owners applied them, by default), so such reads are no staler.
     */
    public Builder hotKeyReplicaReads(boolean on) {
      this.hotKeyReplicaReads = on;
      return this;
    }

    /**
     * Keeps the keys the nodes report hot in a near cache, with {@code settings}, even though no
     * {@link CacheClient#nearCache} was asked for (default: off). It applies to every plain view of a cache:
     * {@link CacheClient#cache}, its typed and blocking views, and this client's own operations
     * (the default cache). Each cache gets a near cache of its own, bounded by {@code settings},
     * opened, with its event subscription, on the first read of a hot key in that cache. A key is
     * admitted while the cluster marks it hot, and afterwards while this client keeps reading it
     * locally (the first read served from each copy keeps it admitted for two more leases), since
     * reads served locally no longer reach the nodes that judge heat. Entries have the guarantee
     * of {@link NearCache}: at most a lease stale, invalidated by events, and dropped by this
     * client's own writes through any plain view ({@code docs/near-cache.md}).
     */
    public Builder hotKeyNearCache(NearCacheSettings settings) {
      this.hotKeyNearCache = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** A name the nodes log for this client's connections (default "ringcache-client"). */
    public Builder clientName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("clientName must not be blank");
      }
      this.clientName = name;
      return this;
    }

    /**
     * A client with these settings. It connects in the background: this returns at once, and
     * the first calls wait for the cluster layout.
     *
     * @throws IllegalStateException if no seed was given
     */
    public CacheClient build() {
      if (seeds.isEmpty()) {
        throw new IllegalStateException(
            "no seeds: call seeds(\"host:port\", ...) with at least one node address");
      }
      ClientSettings settings = new ClientSettings(List.copyOf(seeds), requestTimeout,
          maxRetries, retryBackoff, authToken, connectionsPerNode,
          ProtocolLimits.of(maxKeyBytes, maxValueBytes), clientName,
          tls ? new ClientTls(true, tlsTrust, tlsHostnameVerification) : ClientTls.OFF,
          maxPendingRequests, overloadWait, eventLoops, loadLease, hotKeyReplicaReads,
          hotKeyNearCache);
      return DefaultCacheClient.start(settings);
    }
  }
}
