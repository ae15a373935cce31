package io.ringcache.node.config;

import io.ringcache.node.cluster.ClusterSettings;
import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.node.logging.LogFormat;
import io.ringcache.node.logging.LogLevel;
import io.ringcache.protocol.Durations;
import io.ringcache.protocol.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Every setting, once: its spelling in each source, its type and bounds, its default as shown to
 * people, and what it means. {@link NodeConfig} validates with these bounds and {@link
 * ConfigLoader} parses with them, so each limit is written in one place.
 *
 * <p>Spellings derive from the constant: {@code MAX_IN_FLIGHT} is the flag {@code
 * --max-in-flight}, the file key {@code max-in-flight} and the variable {@code
 * RINGCACHE_MAX_IN_FLIGHT}; {@link #field} is the {@link NodeConfig} component.
 */
enum Setting {
  NAME("name", Type.TEXT, 0, 0, "<host>:<port>",
      "stable member name on the ring; keep it across restarts"),
  CLUSTER_NAME("clusterName", Type.TEXT, 0, 0, "ringcache",
      "cluster name; only members with the same name join each other"),
  HOST("host", Type.TEXT, 0, 0, "127.0.0.1",
      "address this node binds and advertises to peers and clients"),
  PORT("port", Type.INT, 1, 65_535, "7000",
      "binary-protocol port for clients and peers"),
  HTTP_PORT("httpPort", Type.INT, 0, 65_535, "8080",
      "HTTP port (health, metrics, HTTP API); 0 = no HTTP server"),
  RESP_PORT("respPort", Type.INT, 0, 65_535, "0",
      "RESP (Redis protocol) port for Redis clients; 0 = no RESP server"),
  CLUSTER_PORT("clusterPort", Type.INT, 0, 65_536 - ClusterSettings.CLUSTER_PORT_COUNT, "5701",
      "Hazelcast member port, the first of " + ClusterSettings.CLUSTER_PORT_COUNT
          + " tried upwards; 0 = any free port"),
  SEEDS("seeds", Type.SEEDS, 0, 0, "(none)",
      "comma-separated host:port Hazelcast addresses of members to join through"),
  ZONE("zone", Type.OPTIONAL_TEXT, 0, 0, "(none)",
      "failure zone; replicas go to distinct zones first"),
  WEIGHT("weight", Type.NUMBER, 0, 0, "1.0",
      "share of the ring relative to other members; positive"),
  REPLICATION_FACTOR("replicationFactor", Type.INT, 1, 16, "2",
      "copies of each entry, the primary included"),
  TOKENS("tokens", Type.INT, 1, 4_096, "64",
      "ring tokens (virtual nodes) per member"),
  MAX_MEMORY("maxMemoryBytes", Type.MEMORY, 1, 0, "25%",
      "bytes of cache data this node holds: a size or a percentage of the max heap"),
  WRITE_ACKS("writeAcks", WriteAcks.class, "all",
      "owners that must apply a write before it is acknowledged: all or one"),
  READ_FROM("readFrom", ReadFrom.class, "primary",
      "owner that serves reads: primary or any"),
  PARTITION_POLICY("partitionPolicy", PartitionPolicy.class, "available",
      "available: every side of a network partition serves writes; majority: a node that sees no"
          + " majority of the last stable topology's members refuses writes with NO_QUORUM"),
  MAX_KEY_BYTES("maxKeyBytes", Type.BYTES, 1, 65_535, "1k",
      "largest key accepted"),
  MAX_VALUE_BYTES("maxValueBytes", Type.BYTES, 1, 512 * Values.MIB, "1m",
      "largest value accepted"),
  MAX_BATCH_ENTRIES("maxBatchEntries", Type.INT, 1, 65_536, "1024",
      "most entries in one multi-get or multi-set"),
  MAX_CONNECTIONS("maxConnections", Type.INT, 1, 1_000_000, "10000",
      "most client connections open at once"),
  MAX_IN_FLIGHT("maxInFlight", Type.INT, 1, 65_536, "1024",
      "most pipelined requests in flight on one connection"),
  REQUEST_TIMEOUT("requestTimeout", Type.DURATION, 1, Setting.DAY_MILLIS, "2s",
      "deadline of one request, replication included"),
  IDLE_TIMEOUT("idleTimeout", Type.DURATION, 0, Setting.DAY_MILLIS, "5m",
      "a binary-protocol connection that sends nothing this long is closed; 0s = never"),
  HELLO_TIMEOUT("helloTimeout", Type.DURATION, 1, Setting.DAY_MILLIS, "10s",
      "with auth on, how long a new connection may take to authenticate with HELLO"),
  TOMBSTONE_TTL("tombstoneTtl", Type.DURATION, 1, Setting.DAY_MILLIS, "60s",
      "how long a delete's tombstone is kept; must outlast a range transfer"),
  MAX_CLOCK_OFFSET("maxClockOffset", Type.DURATION, 1, Setting.DAY_MILLIS, "500ms",
      "how far ahead of this node's clock a replicated or transferred version may be; further"
          + " ahead is refused with CLOCK_OFFSET"),
  DRAIN_TIMEOUT("drainTimeout", Type.DURATION, 1, Setting.DAY_MILLIS, "60s",
      "how long a graceful leave (SIGTERM) may take before the node exits anyway"),
  TRANSFER_RATE("transferBytesPerSecond", Type.BYTES, 0, 64L * 1024 * Values.MIB, "0",
      "pace of this node's outgoing range transfers in bytes per second; 0 = unlimited"),
  TRANSFER_WINDOW("transferWindow", Type.INT, 1, 65_536, "256",
      "entries per transfer window; a receiving node gets 4 lanes of one window in flight"),
  ANTI_ENTROPY_INTERVAL("antiEntropyInterval", Type.DURATION, 0, Setting.DAY_MILLIS, "30s",
      "time between two anti-entropy rounds (range digests compared with the other owners,"
          + " differences repaired); 0s = only on demand (POST /v1/admin/anti-entropy)"),
  ANTI_ENTROPY_RATE("antiEntropyBytesPerSecond", Type.BYTES, 0, 64L * 1024 * Values.MIB, "4m",
      "pace of anti-entropy comparisons and repairs in bytes per second; 0 = unlimited"),
  AUTH_TOKEN("authToken", Type.SECRET, 0, 0, "(none)",
      "shared secret clients present in HELLO; empty = authentication off"),
  AUTH_TOKEN_SECONDARY("authTokenSecondary", Type.SECRET, 0, 0, "(none)",
      "a second accepted token, never presented by this node, for rotation; needs auth-token"),
  TLS_CERT("tlsCert", Type.CERT_FILE, 0, 0, "(none)",
      "PEM certificate chain; with tls-key and tls-trust, TLS is required on every port"),
  TLS_KEY("tlsKey", Type.KEY_FILE, 0, 0, "(none)",
      "PEM private key (PKCS#8, unencrypted) of tls-cert"),
  TLS_TRUST("tlsTrust", Type.CERT_FILE, 0, 0, "(none)",
      "PEM CA certificates that issued the other nodes' certificates"),
  EVENT_LOOPS("eventLoops", Type.INT, 1, 1_024, "<available processors>",
      "Vert.x event-loop threads"),
  EVENT_BUS_PORT("eventBusPort", Type.INT, 0, 65_535, "0",
      "Vert.x event-bus (control plane) port; 0 = any free port"),
  KUBERNETES_SERVICE_DNS("kubernetesServiceDns", Type.OPTIONAL_TEXT, 0, 0, "(none)",
      "DNS name of the headless Service to find members through instead of seeds"),
  LOG_FORMAT("logFormat", LogFormat.class, "text",
      "log line format: text or json (one object per line)"),
  LOG_LEVEL("logLevel", LogLevel.class, "info",
      "least severe level logged: error, warn, info, debug or trace"),
  CACHES_FILE("cachesFile", Type.CACHES_FILE, 0, 0, "(none)",
      "JSON file of named caches to create at start unless they exist (docs/caches.md)"),
  DATA_DIR("dataDir", Type.DATA_DIR, 0, 0, "(none)",
      "directory for this node's snapshot: written on a graceful stop and on POST"
          + " /v1/admin/snapshot, replayed at start (warm restart); empty = no snapshots");

  private static final long DAY_MILLIS = 86_400_000L;

  /** How a setting is written and checked. */
  enum Type {
    TEXT,
    OPTIONAL_TEXT,
    SECRET,
    /** A path to a PEM file of certificates; empty = not set. */
    CERT_FILE,
    /** A path to a PEM private key; empty = not set. */
    KEY_FILE,
    INT,
    NUMBER,
    BYTES,
    MEMORY,
    DURATION,
    SEEDS,
    CHOICE,
    /** A path to a JSON array of cache definitions; empty = not set. */
    CACHES_FILE,
    /** A directory the node can create and write; empty = not set. */
    DATA_DIR
  }

  final String field;
  final Type type;
  final String defaultText;
  final String meaning;
  private final Class<? extends Enum<?>> choices;
  private final long min;
  private final long max;

  Setting(String field, Type type, long min, long max, String defaultText, String meaning) {
    this.field = field;
    this.type = type;
    this.min = min;
    this.max = max;
    this.defaultText = defaultText;
    this.meaning = meaning;
    this.choices = null;
  }

  Setting(String field, Class<? extends Enum<?>> choices, String defaultText, String meaning) {
    this.field = field;
    this.type = Type.CHOICE;
    this.min = 0;
    this.max = 0;
    this.defaultText = defaultText;
    this.meaning = meaning;
    this.choices = choices;
  }

  /** The file key, {@code max-in-flight}. */
  String kebab() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  String flag() {
    return "--" + kebab();
  }

  String env() {
    return ConfigLoader.ENV_PREFIX + name();
  }

  /**
   * The typed value {@code text} stands for, already within bounds.
   *
   * @throws IllegalArgumentException whose message is the problem, without the setting's name
   */
  Object parse(String text) {
    Object value =
        switch (type) {
          case TEXT, OPTIONAL_TEXT -> text.strip();
          case SECRET -> text;
          case CERT_FILE, KEY_FILE, CACHES_FILE, DATA_DIR -> text.strip();
          case INT -> Values.parseLong(text);
          case NUMBER -> Values.parsePositiveNumber(text);
          case BYTES -> Values.parseSize(text, 0);
          case MEMORY -> Values.parseSize(text, Runtime.getRuntime().maxMemory());
          case DURATION -> Durations.parse(text);
          case SEEDS -> Values.parseSeeds(text);
          case CHOICE -> Values.parseEnum(text, choices);
        };
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (type == Type.INT || type == Type.BYTES) {
      return Math.toIntExact((Long) value);
    }
    return value;
  }

  /** Checks a value of a {@link NodeConfig} component, naming the component when it fails. */
  void require(Object value) {
    String problem = problem(value);
    if (problem != null) {
      throw new ConfigException(field + " " + problem);
    }
  }

  /** Why {@code value} is not allowed here, or {@code null} when it is. */
  String problem(Object value) {
    if (value == null) {
      return "must not be null";
    }
    switch (type) {
      case TEXT:
        return ((String) value).isBlank() ? "must not be blank, was " + Values.quote((String) value) : null;
      case INT:
      case BYTES:
        long n = ((Number) value).longValue();
        return n < min || n > max ? String.format("must be within %d..%d, was %d", min, max, n) : null;
      case MEMORY:
        long bytes = (Long) value;
        long heap = Runtime.getRuntime().maxMemory();
        return bytes < min || bytes > heap
            ? String.format(
                "must be within %d..%d bytes (the max heap), was %d", min, heap, bytes)
            : null;
      case NUMBER:
        double d = (Double) value;
        return d > 0 && Double.isFinite(d) ? null : "must be positive and finite, was " + d;
      case DURATION:
        long millis = ((Duration) value).toMillis();
        return millis < min || millis > max
            ? String.format(
                "must be within %s..%s, was %s",
                Durations.format(Duration.ofMillis(min)),
                Durations.format(Duration.ofMillis(max)),
                Durations.format((Duration) value))
            : null;
      case CERT_FILE:
        return PemFile.CERTIFICATES.problem((String) value);
      case KEY_FILE:
        return PemFile.PRIVATE_KEY.problem((String) value);
      case CACHES_FILE:
        return CachesFile.problem((String) value);
      case DATA_DIR:
        return DataDir.problem((String) value);
      case SEEDS:
        for (Object seed : (List<?>) value) {
          String p = HostPort.problem("entry", (String) seed);
          if (p != null) {
            return p;
          }
        }
        return null;
      default:
        return null;
    }
  }

  /** The value as the parser would accept it back; the secret is never shown. */
  String format(Object value) {
    return switch (type) {
      case SECRET -> ((String) value).isEmpty() ? "" : NodeConfig.REDACTED;
      case BYTES, MEMORY -> Values.formatSize(((Number) value).longValue());
      case DURATION -> Durations.format((Duration) value);
      case SEEDS -> String.join(",", ((List<?>) value).stream().map(String::valueOf).toList());
      case CHOICE -> ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
      default -> String.valueOf(value);
    };
  }

  /** This setting's value in {@code config}. */
  Object valueIn(NodeConfig c) {
    return switch (this) {
      case NAME -> c.name();
      case CLUSTER_NAME -> c.clusterName();
      case HOST -> c.host();
      case PORT -> c.port();
      case HTTP_PORT -> c.httpPort();
      case RESP_PORT -> c.respPort();
      case CLUSTER_PORT -> c.clusterPort();
      case SEEDS -> c.seeds();
      case ZONE -> c.zone();
      case WEIGHT -> c.weight();
      case REPLICATION_FACTOR -> c.replicationFactor();
      case TOKENS -> c.tokens();
      case MAX_MEMORY -> c.maxMemoryBytes();
      case WRITE_ACKS -> c.writeAcks();
      case READ_FROM -> c.readFrom();
      case PARTITION_POLICY -> c.partitionPolicy();
      case MAX_KEY_BYTES -> c.maxKeyBytes();
      case MAX_VALUE_BYTES -> c.maxValueBytes();
      case MAX_BATCH_ENTRIES -> c.maxBatchEntries();
      case MAX_CONNECTIONS -> c.maxConnections();
      case MAX_IN_FLIGHT -> c.maxInFlight();
      case REQUEST_TIMEOUT -> c.requestTimeout();
      case IDLE_TIMEOUT -> c.idleTimeout();
      case HELLO_TIMEOUT -> c.helloTimeout();
      case TOMBSTONE_TTL -> c.tombstoneTtl();
      case MAX_CLOCK_OFFSET -> c.maxClockOffset();
      case DRAIN_TIMEOUT -> c.drainTimeout();
      case TRANSFER_RATE -> c.transferBytesPerSecond();
      case TRANSFER_WINDOW -> c.transferWindow();
      case ANTI_ENTROPY_INTERVAL -> c.antiEntropyInterval();
      case ANTI_ENTROPY_RATE -> c.antiEntropyBytesPerSecond();
      case AUTH_TOKEN -> c.authToken();
      case AUTH_TOKEN_SECONDARY -> c.authTokenSecondary();
      case TLS_CERT -> c.tlsCert();
      case TLS_KEY -> c.tlsKey();
      case TLS_TRUST -> c.tlsTrust();
      case EVENT_LOOPS -> c.eventLoops();
      case EVENT_BUS_PORT -> c.eventBusPort();
      case KUBERNETES_SERVICE_DNS -> c.kubernetesServiceDns();
      case LOG_FORMAT -> c.logFormat();
      case LOG_LEVEL -> c.logLevel();
      case CACHES_FILE -> c.cachesFile();
      case DATA_DIR -> c.dataDir();
    };
  }
}
