package io.ringcache.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.cluster.ClusterSettings;
import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.node.logging.LogFormat;
import io.ringcache.node.logging.LogLevel;
import io.ringcache.node.config.NodeConfig.Source;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  private static final NodeConfig D = NodeConfig.defaults();

  @Test
  void defaults_matchTheDocumentedValues() {
    assertThat(D.name()).isEqualTo("127.0.0.1:7000");
    assertThat(D.clusterName()).isEqualTo("ringcache");
    assertThat(D.host()).isEqualTo("127.0.0.1");
    assertThat(D.port()).isEqualTo(7000);
    assertThat(D.httpPort()).isEqualTo(8080);
    assertThat(D.clusterPort()).isEqualTo(5701);
    assertThat(D.seeds()).isEmpty();
    assertThat(D.zone()).isEmpty();
    assertThat(D.weight()).isEqualTo(1.0);
    assertThat(D.replicationFactor()).isEqualTo(2);
    assertThat(D.tokens()).isEqualTo(64);
    assertThat(D.maxMemoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThat(D.writeAcks()).isEqualTo(WriteAcks.ALL);
    assertThat(D.readFrom()).isEqualTo(ReadFrom.PRIMARY);
    assertThat(D.maxKeyBytes()).isEqualTo(1024);
    assertThat(D.maxValueBytes()).isEqualTo(1_048_576);
    assertThat(D.maxBatchEntries()).isEqualTo(1024);
    assertThat(D.maxConnections()).isEqualTo(10_000);
    assertThat(D.maxInFlight()).isEqualTo(1024);
    assertThat(D.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(D.tombstoneTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(D.drainTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(D.authToken()).isEmpty();
    assertThat(D.authEnabled()).isFalse();
    assertThat(D.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(D.sources()).hasSize(Setting.values().length).containsOnlyKeys(kebabKeys());
    assertThat(D.sources().values()).containsOnly(Source.DEFAULT);
  }

  @Test
  void constructor_nullNameZoneAndToken_deriveNameAndMeanNone() {
    NodeConfig c = copy(D, Map.of("name", "", "host", "10.0.0.7", "port", 7100));
    assertThat(c.name()).isEqualTo("10.0.0.7:7100");
    NodeConfig n = new NodeConfig(null, "c", "h", 1, 0, 0, 0, List.of(), null, 1.0, 1, 1, 1,
        WriteAcks.ONE, ReadFrom.ANY, PartitionPolicy.AVAILABLE, 1, 1, 1, 1, 1, Duration.ofMillis(1),
        Duration.ZERO, Duration.ofMillis(1),
        Duration.ofMillis(1),
        Duration.ofMillis(1), Duration.ofMillis(1), 0L, 1, Duration.ZERO, 0L, null, null, null, null,
        null, 1, 0, null, LogFormat.TEXT,
        LogLevel.INFO, "", null, null);
    assertThat(n.name()).isEqualTo("h:1");
    assertThat(n.zone()).isEmpty();
    assertThat(n.authToken()).isEmpty();
  }

  @Test
  void constructor_outOfRange_namesTheComponentTheLimitAndTheValue() {
    assertThatThrownBy(() -> copy(D, Map.of("replicationFactor", 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("replicationFactor must be within 1..16, was 0");
    assertThatThrownBy(() -> copy(D, Map.of("port", 70_000)))
        .hasMessage("port must be within 1..65535, was 70000");
    assertThatThrownBy(() -> copy(D, Map.of("httpPort", -1)))
        .hasMessage("httpPort must be within 0..65535, was -1");
    assertThatThrownBy(() -> copy(D, Map.of("clusterPort", 65_500)))
        .hasMessage("clusterPort must be within 0..65436, was 65500");
    assertThatThrownBy(() -> copy(D, Map.of("tokens", 4097)))
        .hasMessage("tokens must be within 1..4096, was 4097");
    assertThatThrownBy(() -> copy(D, Map.of("weight", Double.NaN)))
        .hasMessage("weight must be positive and finite, was NaN");
    assertThatThrownBy(() -> copy(D, Map.of("weight", 0.0)))
        .hasMessage("weight must be positive and finite, was 0.0");
    assertThatThrownBy(() -> copy(D, Map.of("maxKeyBytes", 65_536)))
        .hasMessage("maxKeyBytes must be within 1..65535, was 65536");
    assertThatThrownBy(() -> copy(D, Map.of("maxValueBytes", 0)))
        .hasMessage("maxValueBytes must be within 1..536870912, was 0");
    assertThatThrownBy(() -> copy(D, Map.of("maxInFlight", 0)))
        .hasMessage("maxInFlight must be within 1..65536, was 0");
    assertThatThrownBy(() -> copy(D, Map.of("maxConnections", 0)))
        .hasMessage("maxConnections must be within 1..1000000, was 0");
    assertThatThrownBy(() -> copy(D, Map.of("maxBatchEntries", 0)))
        .hasMessage("maxBatchEntries must be within 1..65536, was 0");
    assertThatThrownBy(() -> copy(D, Map.of("eventLoops", 0)))
        .hasMessage("eventLoops must be within 1..1024, was 0");
    assertThatThrownBy(() -> copy(D, Map.of("requestTimeout", Duration.ZERO)))
        .hasMessage("requestTimeout must be within 1ms..24h, was 0ms");
    assertThatThrownBy(() -> copy(D, Map.of("tombstoneTtl", Duration.ofDays(2))))
        .hasMessage("tombstoneTtl must be within 1ms..24h, was 48h");
    long heap = Runtime.getRuntime().maxMemory();
    assertThatThrownBy(() -> copy(D, Map.of("maxMemoryBytes", heap + 1)))
        .hasMessage("maxMemoryBytes must be within 1..%d bytes (the max heap), was %d", heap,
            heap + 1);
    assertThatThrownBy(() -> copy(D, Map.of("clusterName", " ")))
        .hasMessage("clusterName must not be blank, was ' '");
    assertThatThrownBy(() -> copy(D, Map.of("seeds", List.of("127.0.0.1"))))
        .hasMessage("seeds entry '127.0.0.1' is not host:port, e.g. 127.0.0.1:7101");
  }

  @Test
  void constructor_nullEnum_isRejected() {
    assertThatThrownBy(() -> new NodeConfig(null, "c", "h", 1, 0, 0, 0, List.of(), "", 1.0, 1, 1, 1,
        null, ReadFrom.ANY, PartitionPolicy.AVAILABLE, 1, 1, 1, 1, 1, Duration.ofMillis(1),
        Duration.ZERO, Duration.ofMillis(1),
        Duration.ofMillis(1),
        Duration.ofMillis(1), Duration.ofMillis(1), 0L, 1, Duration.ZERO, 0L, "", "", "", "", "", 1,
        0, "", LogFormat.TEXT, LogLevel.INFO,
        "", "", Map.of()))
        .hasMessage("writeAcks must not be null");
  }

  @Test
  void toString_setToken_isRedacted() {
    NodeConfig c = copy(D, Map.of("authToken", "hunter2"));
    assertThat(c.toString()).contains("authToken=<redacted>").doesNotContain("hunter2");
    assertThat(c.authEnabled()).isTrue();
    assertThat(D.toString()).contains("authToken=,").contains("port=7000");
  }

  @Test
  void describe_listsEveryKeyWithValueAndSource_secretRedacted() {
    NodeConfig c = copy(D, Map.of("authToken", "hunter2", "requestTimeout",
        Duration.ofMillis(500), "maxMemoryBytes", 64 * Values.MIB));
    String text = c.describe();
    assertThat(text).doesNotContain("hunter2");
    assertThat(text.lines()).hasSize(Setting.values().length);
    assertThat(text)
        .containsPattern("(?m)^auth-token += <redacted> \\(default\\)$")
        .containsPattern("(?m)^request-timeout += 500ms \\(default\\)$")
        .containsPattern("(?m)^max-memory += 64m \\(default\\)$")
        .containsPattern("(?m)^seeds += +\\(default\\)$");
  }

  @Test
  void sourceOf_unknownKey_isRejected() {
    assertThat(D.sourceOf("port")).isEqualTo(Source.DEFAULT);
    assertThatThrownBy(() -> D.sourceOf("prot")).hasMessage("unknown setting 'prot'");
    assertThatThrownBy(() -> copy(D, Map.of("sources", Map.of("prot", Source.FLAG))))
        .hasMessage("sources names an unknown setting 'prot'");
  }

  @Test
  void clusterSettings_carriesTheClusterFacingFields() {
    NodeConfig c = copy(D, Map.of("name", "n1", "seeds", List.of("127.0.0.1:5702", "[::1]:5703"),
        "zone", "a", "weight", 2.0, "port", 7001, "httpPort", 0, "clusterPort", 0));
    assertThat(c.clusterSettings())
        .isEqualTo(new ClusterSettings("ringcache", "n1", "127.0.0.1", 0,
            List.of("127.0.0.1:5702", "[::1]:5703"), "a", 2.0, 7001, 0, 0, ""));
  }

  private static List<String> kebabKeys() {
    return java.util.Arrays.stream(Setting.values()).map(Setting::kebab).toList();
  }

  /** {@code base} with the named components replaced; "name" "" means a null name. */
  static NodeConfig copy(NodeConfig base, Map<String, Object> changes) {
    Map<String, Object> v = new java.util.HashMap<>();
    for (Setting key : Setting.values()) {
      v.put(key.field, key.valueIn(base));
    }
    v.put("sources", base.sources());
    v.putAll(changes);
    if ("".equals(v.get("name"))) {
      v.put("name", null);
    }
    return new NodeConfig((String) v.get("name"), (String) v.get("clusterName"),
        (String) v.get("host"), (int) v.get("port"), (int) v.get("httpPort"),
        (int) v.get("respPort"), (int) v.get("clusterPort"), cast(v.get("seeds")), (String) v.get("zone"),
        (double) v.get("weight"), (int) v.get("replicationFactor"), (int) v.get("tokens"),
        ((Number) v.get("maxMemoryBytes")).longValue(), (WriteAcks) v.get("writeAcks"),
        (ReadFrom) v.get("readFrom"), (PartitionPolicy) v.get("partitionPolicy"),
        (int) v.get("maxKeyBytes"), (int) v.get("maxValueBytes"),
        (int) v.get("maxBatchEntries"), (int) v.get("maxConnections"), (int) v.get("maxInFlight"),
        (Duration) v.get("requestTimeout"), (Duration) v.get("idleTimeout"),
        (Duration) v.get("helloTimeout"), (Duration) v.get("tombstoneTtl"),
        (Duration) v.get("maxClockOffset"),
        (Duration) v.get("drainTimeout"), ((Number) v.get("transferBytesPerSecond")).longValue(),
        (int) v.get("transferWindow"), (Duration) v.get("antiEntropyInterval"),
        ((Number) v.get("antiEntropyBytesPerSecond")).longValue(), (String) v.get("authToken"),
        (String) v.get("authTokenSecondary"), (String) v.get("tlsCert"), (String) v.get("tlsKey"),
        (String) v.get("tlsTrust"), (int) v.get("eventLoops"),
        (int) v.get("eventBusPort"), (String) v.get("kubernetesServiceDns"),
        (LogFormat) v.get("logFormat"), (LogLevel) v.get("logLevel"),
        (String) v.get("cachesFile"), (String) v.get("dataDir"), cast(v.get("sources")));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }
}
