package io.ringcache.node.config;

import io.ringcache.node.cluster.ClusterSettings;
import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.node.logging.LogFormat;
import io.ringcache.node.logging.LogLevel;
import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.security.NodeTls;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The effective configuration of one node, validated on construction. Build it with {@link
 * ConfigLoader#load} (flags, environment, file) or start from {@link #defaults()}; the table of
 * settings, with flags, variables and defaults, is in {@code docs/configuration.md}.
 *
 * <p>{@link #toString()} and {@link #describe()} never show {@link #authToken()} or {@link
 * #authTokenSecondary()}; TLS file paths are shown.
 *
 * @param name stable member name on the ring; {@code null} derives {@code host:port}
 * @param clusterName cluster name; only members with the same name join each other
 * @param host address this node binds and advertises
 * @param port binary-protocol port for clients and peers, 1..65535
 * @param httpPort HTTP port, 0..65535, 0 = no HTTP server
 * @param respPort RESP (Redis protocol) port, 0..65535, 0 = no RESP server (the default: a
 *     second client protocol is opt-in, like the port it opens)
 * @param clusterPort Hazelcast member port, 0 (any) or the first of those tried upwards
 * @param seeds {@code host:port} Hazelcast addresses of members to join through
 * @param zone failure zone, {@code ""} (or {@code null}) = none
 * @param weight positive, finite share of the ring; 1.0 is the norm
 * @param replicationFactor copies of each entry, 1..16
 * @param tokens ring tokens per member, 1..4096
 * @param maxMemoryBytes bytes of cache data this node holds, at most the max heap
 * @param writeAcks owners that must apply a write before it is acknowledged
 * @param readFrom owner that serves reads
 * @param partitionPolicy what a node does while it sees no majority of the last stable
 *     topology's members (a network partition)
 * @param maxKeyBytes largest key accepted, 1..65535
 * @param maxValueBytes largest value accepted, 1 byte..512 MiB
 * @param maxBatchEntries most entries in one multi-get or multi-set
 * @param maxConnections most client connections open at once
 * @param maxInFlight most pipelined requests in flight on one connection
 * @param requestTimeout deadline of one request, replication included
 * @param idleTimeout a binary connection silent this long is closed; zero = never
 * @param helloTimeout with auth on, how long a connection may take to send its HELLO
 * @param tombstoneTtl how long a delete's tombstone is kept
 * @param maxClockOffset how far ahead of this node's wall clock the version of a replicated or
 *     transferred entry may be
 * @param drainTimeout how long a graceful leave may take
 * @param transferBytesPerSecond pace of outgoing range transfers, 0 = unlimited
 * @param transferWindow entries per transfer window (a receiving node gets 4 lanes of one window)
 * @param antiEntropyInterval time between two anti-entropy rounds; zero = on demand only
 * @param antiEntropyBytesPerSecond pace of anti-entropy comparisons and repairs, 0 = unlimited
 * @param authToken shared secret clients present, {@code ""} (or {@code null}) = auth off
 * @param authTokenSecondary a second accepted token, for rotation; needs {@code authToken};
 *     {@code ""} (or {@code null}) = none
 * @param tlsCert path of the PEM certificate chain; with {@code tlsKey} and {@code tlsTrust}
 *     TLS is required on every port; {@code ""} (or {@code null}) = plain text
 * @param tlsKey path of the PEM private key of {@code tlsCert}
 * @param tlsTrust path of the PEM CA certificates that issued the other nodes' certificates
 * @param eventLoops Vert.x event-loop threads
 * @param eventBusPort Vert.x event-bus port, 0 = any free port
 * @param kubernetesServiceDns headless Service whose DNS records list the members, {@code ""} (or
 *     {@code null}) = join through {@link #seeds()}
 * @param logFormat how log lines are written
 * @param logLevel least severe level logged
 * @param cachesFile path of a JSON array of named caches to create at start ({@code ""}: none)
 * @param dataDir directory of this node's warm-restart snapshot ({@code ""} or {@code null}: none)
 * @param sources where each setting came from, by file key ({@code "max-memory"}); settings not
 *     named are {@link Source#DEFAULT}. Part of equality: two configs loaded from different places
 *     are different records even when every value matches.
 */
public record NodeConfig(
    String name,
    String clusterName,
    String host,
    int port,
    int httpPort,
    int respPort,
    int clusterPort,
    List<String> seeds,
    String zone,
    double weight,
    int replicationFactor,
    int tokens,
    long maxMemoryBytes,
    WriteAcks writeAcks,
    ReadFrom readFrom,
    PartitionPolicy partitionPolicy,
    int maxKeyBytes,
    int maxValueBytes,
    int maxBatchEntries,
    int maxConnections,
    int maxInFlight,
    Duration requestTimeout,
    Duration idleTimeout,
    Duration helloTimeout,
    Duration tombstoneTtl,
    Duration maxClockOffset,
    Duration drainTimeout,
    long transferBytesPerSecond,
    int transferWindow,
    Duration antiEntropyInterval,
    long antiEntropyBytesPerSecond,
    String authToken,
    String authTokenSecondary,
    String tlsCert,
    String tlsKey,
    String tlsTrust,
    int eventLoops,
    int eventBusPort,
    String kubernetesServiceDns,
    LogFormat logFormat,
    LogLevel logLevel,
    String cachesFile,
    String dataDir,
    Map<String, Source> sources) {

  /** Where a setting's value came from, highest precedence first. */
  public enum Source {
    FLAG,
    ENV,
    FILE,
    DEFAULT
  }

  static final String REDACTED = "<redacted>";

  /**
   * Validates every setting.
   *
   * @throws ConfigException naming the first invalid component, its limit and its value
   */
  public NodeConfig {
    clusterName = text(Setting.CLUSTER_NAME, clusterName);
    host = text(Setting.HOST, host);
    name = name == null ? host + ":" + port : text(Setting.NAME, name);
    Setting.PORT.require(port);
    Setting.HTTP_PORT.require(httpPort);
    Setting.RESP_PORT.require(respPort);
    Setting.CLUSTER_PORT.require(clusterPort);
    Setting.SEEDS.require(seeds);
    seeds = seeds.stream().map(String::strip).toList();
    zone = zone == null ? "" : zone.strip();
    authToken = authToken == null ? "" : authToken;
    authTokenSecondary = authTokenSecondary == null ? "" : authTokenSecondary;
    if (authToken.isEmpty() && !authTokenSecondary.isEmpty()) {
      throw new ConfigException(
          "auth-token-secondary is set but auth-token is not: the secondary token is only"
              + " accepted, during a rotation; set auth-token to the token nodes present");
    }
    tlsCert = tlsCert == null ? "" : tlsCert.strip();
    tlsKey = tlsKey == null ? "" : tlsKey.strip();
    tlsTrust = tlsTrust == null ? "" : tlsTrust.strip();
    requireTlsComplete(tlsCert, tlsKey, tlsTrust);
    Setting.TLS_CERT.require(tlsCert);
    Setting.TLS_KEY.require(tlsKey);
    Setting.TLS_TRUST.require(tlsTrust);
    Setting.WEIGHT.require(weight);
    Setting.REPLICATION_FACTOR.require(replicationFactor);
    Setting.TOKENS.require(tokens);
    Setting.MAX_MEMORY.require(maxMemoryBytes);
    Setting.WRITE_ACKS.require(writeAcks);
    Setting.READ_FROM.require(readFrom);
    Setting.PARTITION_POLICY.require(partitionPolicy);
    Setting.MAX_KEY_BYTES.require(maxKeyBytes);
    Setting.MAX_VALUE_BYTES.require(maxValueBytes);
    Setting.MAX_BATCH_ENTRIES.require(maxBatchEntries);
    Setting.MAX_CONNECTIONS.require(maxConnections);
    Setting.MAX_IN_FLIGHT.require(maxInFlight);
    Setting.REQUEST_TIMEOUT.require(requestTimeout);
    Setting.IDLE_TIMEOUT.require(idleTimeout);
    Setting.HELLO_TIMEOUT.require(helloTimeout);
    Setting.TOMBSTONE_TTL.require(tombstoneTtl);
    Setting.MAX_CLOCK_OFFSET.require(maxClockOffset);
    Setting.DRAIN_TIMEOUT.require(drainTimeout);
    Setting.TRANSFER_RATE.require(transferBytesPerSecond);
    Setting.TRANSFER_WINDOW.require(transferWindow);
    Setting.ANTI_ENTROPY_INTERVAL.require(antiEntropyInterval);
    Setting.ANTI_ENTROPY_RATE.require(antiEntropyBytesPerSecond);
    if (!antiEntropyInterval.isZero()
        && antiEntropyInterval.toMillis() * 11 / 10 >= tombstoneTtl.toMillis()) {
      // A delete that reached one owner only is repaired from its tombstone; once the tombstone
      // is gone, the next round would copy the old value back.
      throw new ConfigException(String.format("--anti-entropy-interval: with its 10%% jitter it"
          + " must stay below --tombstone-ttl (%s), was %s",
          Durations.format(tombstoneTtl), Durations.format(antiEntropyInterval)));
    }
    Setting.EVENT_LOOPS.require(eventLoops);
    Setting.EVENT_BUS_PORT.require(eventBusPort);
    kubernetesServiceDns = kubernetesServiceDns == null ? "" : kubernetesServiceDns.strip();
    Setting.LOG_FORMAT.require(logFormat);
    Setting.LOG_LEVEL.require(logLevel);
    cachesFile = cachesFile == null ? "" : cachesFile.strip();
    Setting.CACHES_FILE.require(cachesFile);
    dataDir = dataDir == null ? "" : dataDir.strip();
    Setting.DATA_DIR.require(dataDir);
    sources = completeSources(sources);
  }

  /** The named caches of {@link #cachesFile()}, in file order; none when it is not set. */
  public List<CacheSpec> caches() {
    return cachesFile.isEmpty() ? List.of() : CachesFile.read(cachesFile);
  }

  /**
   * Every setting at its default: a single node on 127.0.0.1 (client port 7000, HTTP 8080,
   * Hazelcast 5701), replication factor 2, 25% of the max heap for data, one event loop per
   * available processor.
   */
  public static NodeConfig defaults() {
    return new NodeConfig(
        null,
        "ringcache",
        "127.0.0.1",
        7000,
        8080,
        0,
        ClusterSettings.DEFAULT_CLUSTER_PORT,
        List.of(),
        "",
        1.0,
        2,
        64,
        defaultMaxMemoryBytes(),
        WriteAcks.ALL,
        ReadFrom.PRIMARY,
        PartitionPolicy.AVAILABLE,
        1024,
        1024 * 1024,
        1024,
        10_000,
        1024,
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofMillis(500),
        Duration.ofSeconds(60),
        0L,
        256,
        Duration.ofSeconds(30),
        4 * Values.MIB,
        "",
        "",
        "",
        "",
        "",
        Runtime.getRuntime().availableProcessors(),
        0,
        "",
        LogFormat.TEXT,
        LogLevel.INFO,
        "",
        "",
        Map.of());
  }

  /** Where {@code key} (a file key such as {@code "replication-factor"}) came from. */
  public Source sourceOf(String key) {
    Source source = sources.get(key);
    if (source == null) {
      throw new ConfigException("unknown setting " + Values.quote(key));
    }
    return source;
  }

  /** Whether clients must authenticate, that is whether an {@link #authToken()} is set. */
  public boolean authEnabled() {
    return !authToken.isEmpty();
  }

  /** The tokens clients and peers may present: {@link #authToken()} and the secondary. */
  public AuthTokens authTokens() {
    return new AuthTokens(authToken, authTokenSecondary);
  }

  /** Whether TLS is on, that is whether {@link #tlsCert()} (and so the key and trust) is set. */
  public boolean tlsEnabled() {
    return !tlsCert.isEmpty();
  }

  /** The TLS files, or {@link NodeTls#off()}. */
  public NodeTls tls() {
    return tlsEnabled() ? NodeTls.of(Path.of(tlsCert), Path.of(tlsKey), Path.of(tlsTrust))
        : NodeTls.off();
  }

  /** The cluster-facing part of this configuration, for {@code ClusterBootstrap}. */
  public ClusterSettings clusterSettings() {
    return ClusterSettings.builder()
        .clusterName(clusterName)
        .memberName(name)
        .host(host)
        .clusterPort(clusterPort)
        .seeds(seeds)
        .zone(zone)
        .weight(weight)
        .clientPort(port)
        .httpPort(httpPort)
        .eventBusPort(eventBusPort)
        .kubernetesServiceDns(kubernetesServiceDns)
        .partitionPolicy(partitionPolicy)
        .build();
  }

  /**
   * The effective configuration for the start-up log: one {@code key = value (source)} line per
   * setting, file keys and values as the loader accepts them, the auth tokens shown as {@value
   * #REDACTED} when set.
   */
  public String describe() {
    int width = 0;
    for (Setting key : Setting.values()) {
      width = Math.max(width, key.kebab().length());
    }
    StringBuilder out = new StringBuilder();
    for (Setting key : Setting.values()) {
      out.append(String.format("%-" + width + "s = %s (%s)%n",
          key.kebab(),
          key.format(key.valueIn(this)),
          sources.get(key.kebab()).name().toLowerCase(Locale.ROOT)));
    }
    return out.toString();
  }

  /** All components but {@link #sources()}, with the auth tokens redacted when set. */
  @Override
  public String toString() {
    StringJoiner out = new StringJoiner(", ", "NodeConfig[", "]");
    for (Setting key : Setting.values()) {
      Object value = key.type == Setting.Type.SECRET ? key.format(key.valueIn(this))
          : key.valueIn(this);
      out.add(key.field + "=" + value);
    }
    return out.toString();
  }

  /**
   * TLS needs all three files: the key belongs to the certificate, and a node with TLS on must
   * verify the nodes it connects to.
   */
  private static void requireTlsComplete(String cert, String key, String trust) {
    if (cert.isEmpty() != key.isEmpty()) {
      throw new ConfigException(cert.isEmpty()
          ? "tls-key is set but tls-cert is not: set both (the PEM certificate chain and its"
              + " private key) or neither"
          : "tls-cert is set but tls-key is not: set both (the PEM certificate chain and its"
              + " private key) or neither");
    }
    if (!cert.isEmpty() && trust.isEmpty()) {
      throw new ConfigException(
          "tls-cert and tls-key are set but tls-trust is not: name the PEM CA certificates that"
              + " issued the nodes' certificates (for one self-signed certificate shared by all"
              + " nodes, the certificate file itself)");
    }
    if (cert.isEmpty() && !trust.isEmpty()) {
      throw new ConfigException(
          "tls-trust is set but tls-cert and tls-key are not: a node verifies peers only when"
              + " it runs TLS itself; set all three or none");
    }
  }

  private static String text(Setting key, String value) {
    key.require(value);
    return value.strip();
  }

  private static long defaultMaxMemoryBytes() {
    long heap = Runtime.getRuntime().maxMemory();
    return heap == Long.MAX_VALUE ? 256 * Values.MIB : heap / 4;
  }

  private static Map<String, Source> completeSources(Map<String, Source> given) {
    Map<String, Source> all = new LinkedHashMap<>();
    for (Setting key : Setting.values()) {
      all.put(key.kebab(), Source.DEFAULT);
    }
    if (given != null) {
      given.forEach(
          (key, source) -> {
            if (!all.containsKey(key)) {
              throw new ConfigException("sources names an unknown setting " + Values.quote(key));
            }
            all.put(key, Objects.requireNonNull(source, "source of " + key));
          });
    }
    return Collections.unmodifiableMap(all);
  }
}
