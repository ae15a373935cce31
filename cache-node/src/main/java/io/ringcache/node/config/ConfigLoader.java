package io.ringcache.node.config;

import io.ringcache.node.config.NodeConfig.Source;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Builds a {@link NodeConfig} from command-line flags ({@link NodeCommandLine}, picocli),
 * {@code RINGCACHE_*} environment variables and a properties file, with one precedence for every
 * setting: flag, then variable, then file, then default.
 *
 * <p>Choices an operator may trip over, all stated in {@code docs/configuration.md}: unknown flags
 * and unknown file keys are errors (typos must not pass silently), while unknown {@code
 * RINGCACHE_*} variables are ignored because container platforms set variables of their own; an
 * empty variable counts as unset, so a compose file's {@code RINGCACHE_ZONE=${ZONE}} with no
 * {@code ZONE} falls through to the file or the default; a flag given twice is an error. Loading
 * stops at the first problem.
 */
public final class ConfigLoader {

  static final String ENV_PREFIX = "RINGCACHE_";
  private static final String CONFIG_KEY = NodeCommandLine.CONFIG;
  static final String CONFIG_ENV = ENV_PREFIX + "CONFIG";

  private ConfigLoader() {}

  /** Whether {@code args} ask for {@link #usage()} ({@code --help} or {@code -h}). */
  public static boolean helpRequested(String[] args) {
    for (String arg : args) {
      if ("--help".equals(arg) || "-h".equals(arg)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The effective configuration. {@code --help} among {@code args} is ignored here; see {@link
   * #helpRequested}.
   *
   * @param args command-line arguments, {@code --kebab-case=value} or {@code --kebab-case value}
   * @param env the environment, usually {@code System.getenv()}
   * @throws ConfigException naming the first bad setting, where it was given, and what is allowed
   */
  public static NodeConfig load(String[] args, Map<String, String> env) {
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(env, "env");
    Map<String, String> flags = NodeCommandLine.parse(args);

    String configPath = flags.remove(CONFIG_KEY);
    String configLabel = "--" + CONFIG_KEY;
    if (configPath == null && isSet(env.get(CONFIG_ENV))) {
      configPath = env.get(CONFIG_ENV);
      configLabel = CONFIG_ENV;
    }
    Map<String, String> file =
        configPath == null ? Map.of() : readFile(configPath.strip(), configLabel);

    Map<Setting, Object> values = new EnumMap<>(Setting.class);
    Map<String, Source> sources = new LinkedHashMap<>();
    for (Setting key : Setting.values()) {
      String raw;
      String label;
      Source source;
      if (flags.containsKey(key.kebab())) {
        raw = flags.get(key.kebab());
        label = key.flag();
        source = Source.FLAG;
      } else if (isSet(env.get(key.env()))) {
        raw = env.get(key.env());
        label = key.env();
        source = Source.ENV;
      } else if (file.containsKey(key.kebab())) {
        raw = file.get(key.kebab());
        label = key.kebab() + " (" + configPath.strip() + ")";
        source = Source.FILE;
      } else {
        continue;
      }
      try {
        values.put(key, key.parse(raw));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(label + ": " + e.getMessage() + serviceLinkHint(source, raw));
      }
      sources.put(key.kebab(), source);
    }
    return build(values, sources);
  }

  /** Every setting with its flag, variable and default, for {@code --help}. */
  public static String usage() {
    return NodeCommandLine.usage();
  }

  private static Map<String, String> readFile(String path, String label) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(path), StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(
          String.format(
              "%s: cannot read config file '%s' (%s%s)",
              label,
              path,
              e.getClass().getSimpleName(),
              e.getMessage() == null || e.getMessage().equals(path) ? "" : ": " + e.getMessage()));
    }
    Map<String, String> file = new LinkedHashMap<>();
    for (String name : new TreeSet<>(props.stringPropertyNames())) {
      if (CONFIG_KEY.equals(name)) {
        throw new ConfigException(
            name + " (" + path + "): not allowed in a config file; use --config or " + CONFIG_ENV);
      }
      if (keyOf(name) == null) {
        String near = closest(name, fileKeys());
        throw new ConfigException(
            name + " (" + path + "): unknown key"
                + (near == null ? "" : "; did you mean '" + near + "'?"));
      }
      file.put(name, props.getProperty(name));
    }
    return file;
  }

  private static NodeConfig build(Map<Setting, Object> v, Map<String, Source> sources) {
    NodeConfig d = NodeConfig.defaults();
    return new NodeConfig(
        (String) v.get(Setting.NAME),
        pick(v, Setting.CLUSTER_NAME, d.clusterName()),
        pick(v, Setting.HOST, d.host()),
        pick(v, Setting.PORT, d.port()),
        pick(v, Setting.HTTP_PORT, d.httpPort()),
        pick(v, Setting.RESP_PORT, d.respPort()),
        pick(v, Setting.CLUSTER_PORT, d.clusterPort()),
        pick(v, Setting.SEEDS, d.seeds()),
        pick(v, Setting.ZONE, d.zone()),
        pick(v, Setting.WEIGHT, d.weight()),
        pick(v, Setting.REPLICATION_FACTOR, d.replicationFactor()),
        pick(v, Setting.TOKENS, d.tokens()),
        pick(v, Setting.MAX_MEMORY, d.maxMemoryBytes()),
        pick(v, Setting.WRITE_ACKS, d.writeAcks()),
        pick(v, Setting.READ_FROM, d.readFrom()),
        pick(v, Setting.PARTITION_POLICY, d.partitionPolicy()),
        pick(v, Setting.MAX_KEY_BYTES, d.maxKeyBytes()),
        pick(v, Setting.MAX_VALUE_BYTES, d.maxValueBytes()),
        pick(v, Setting.MAX_BATCH_ENTRIES, d.maxBatchEntries()),
        pick(v, Setting.MAX_CONNECTIONS, d.maxConnections()),
        pick(v, Setting.MAX_IN_FLIGHT, d.maxInFlight()),
        pick(v, Setting.REQUEST_TIMEOUT, d.requestTimeout()),
        pick(v, Setting.IDLE_TIMEOUT, d.idleTimeout()),
        pick(v, Setting.HELLO_TIMEOUT, d.helloTimeout()),
        pick(v, Setting.TOMBSTONE_TTL, d.tombstoneTtl()),
        pick(v, Setting.MAX_CLOCK_OFFSET, d.maxClockOffset()),
        pick(v, Setting.DRAIN_TIMEOUT, d.drainTimeout()),
        ((Number) pick(v, Setting.TRANSFER_RATE, d.transferBytesPerSecond())).longValue(),
        ((Number) pick(v, Setting.TRANSFER_WINDOW, d.transferWindow())).intValue(),
        pick(v, Setting.ANTI_ENTROPY_INTERVAL, d.antiEntropyInterval()),
        ((Number) pick(v, Setting.ANTI_ENTROPY_RATE, d.antiEntropyBytesPerSecond())).longValue(),
        pick(v, Setting.AUTH_TOKEN, d.authToken()),
        pick(v, Setting.AUTH_TOKEN_SECONDARY, d.authTokenSecondary()),
        pick(v, Setting.TLS_CERT, d.tlsCert()),
        pick(v, Setting.TLS_KEY, d.tlsKey()),
        pick(v, Setting.TLS_TRUST, d.tlsTrust()),
        pick(v, Setting.EVENT_LOOPS, d.eventLoops()),
        pick(v, Setting.EVENT_BUS_PORT, d.eventBusPort()),
        pick(v, Setting.KUBERNETES_SERVICE_DNS, d.kubernetesServiceDns()),
        pick(v, Setting.LOG_FORMAT, d.logFormat()),
        pick(v, Setting.LOG_LEVEL, d.logLevel()),
        pick(v, Setting.CACHES_FILE, d.cachesFile()),
        pick(v, Setting.DATA_DIR, d.dataDir()),
        sources);
  }

  @SuppressWarnings("unchecked")
  private static <T> T pick(Map<Setting, Object> values, Setting key, T fallback) {
    Object value = values.get(key);
    return value == null ? fallback : (T) value;
  }

  /**
   * Kubernetes injects {@code <SERVICE>_PORT=tcp://ip:port} for every Service in the namespace; a
   * Service named {@code ringcache} therefore sets {@code RINGCACHE_PORT} behind the operator's
   * back.
   */
  private static String serviceLinkHint(Source source, String raw) {
    return source == Source.ENV && raw.matches("(?i)(tcp|udp|sctp)://.*")
        ? " (a Kubernetes service link? set enableServiceLinks: false in the pod spec)"
        : "";
  }

  private static boolean isSet(String envValue) {
    return envValue != null && !envValue.isEmpty();
  }

  private static Setting keyOf(String kebab) {
    for (Setting key : Setting.values()) {
      if (key.kebab().equals(kebab)) {
        return key;
      }
    }
    return null;
  }

  private static List<String> fileKeys() {
    List<String> names = new ArrayList<>();
    for (Setting key : Setting.values()) {
      names.add(key.kebab());
    }
    return names;
  }

  /**
   * The known name {@code given} most likely meant: the same letters in another case or
   * separator style ({@code replicationFactor}, {@code REPLICATION_FACTOR}), else the nearest by
   * edit distance if it is close; {@code null} when nothing is close.
   */
  static String closest(String given, List<String> known) {
    String normalized = normalize(given);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known) {
      if (normalize(name).equals(normalized)) {
        return name;
      }
      int d = editDistance(given.toLowerCase(Locale.ROOT), name);
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, given.length() / 4) ? best : null;
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
