package io.ringcache.loadtest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyProbeTest {

  /** The shape of {@code StatsReport.topologyJson()}. */
  private static final String BODY = "{\"epoch\":7,\"phase\":\"STABLE\",\"replicationFactor\":2,"
      + "\"answeredBy\":\"node-1\",\"nodes\":[{\"name\":\"node-1\",\"host\":\"127.0.0.1\","
      + "\"port\":7001,\"httpPort\":8001,\"state\":\"UP\",\"zone\":\"\",\"weight\":1.0,"
      + "\"tokens\":64,\"primaryShare\":0.5,\"replicatedShare\":1.0},{\"name\":\"node-3\","
      + "\"host\":\"127.0.0.1\",\"port\":7003,\"httpPort\":8003,\"state\":\"UP\",\"zone\":\"\","
      + "\"weight\":1.0,\"tokens\":64,\"primaryShare\":0.5,\"replicatedShare\":1.0}]}";

  @Test
  void parse_topologyJson_readsEpochPhaseAndMembers() {
    TopologyProbe.Seen seen = TopologyProbe.parse("node-1", BODY);

    assertThat(seen.error()).isNull();
    assertThat(seen.epoch()).isEqualTo(7);
    assertThat(seen.phase()).isEqualTo("STABLE");
    assertThat(seen.members()).containsExactly("node-1", "node-3");
  }

  /**
   * Only the top level's epoch and phase and the names in {@code nodes} count, wherever else the
   * same keys appear and in whatever order (the pattern-based reader took the first match
   * anywhere: a nested epoch, a cache's name).
   */
  @Test
  void parse_sameKeysElsewhere_readsOnlyTheTopologysOwn() {
    String body = "{\"caches\":[{\"name\":\"sessions\",\"epoch\":3,\"phase\":\"OLD\"}],"
        + "\"nodes\":[{\"name\":\"node-1\"},{\"name\":\"no\\\"de-2\"}],"
        + "\"phase\":\"STABLE\",\"epoch\":9}";

    TopologyProbe.Seen seen = TopologyProbe.parse("node-1", body);

    assertThat(seen.error()).isNull();
    assertThat(seen.epoch()).isEqualTo(9);
    assertThat(seen.phase()).isEqualTo("STABLE");
    assertThat(seen.members()).containsExactly("no\"de-2", "node-1");
  }

  @Test
  void parse_notJson_isAnError() {
    assertThat(TopologyProbe.parse("node-1", "<html>502</html>").error()).startsWith("not JSON: ");
  }

  @Test
  void parse_notTopology_isAnError() {
    assertThat(TopologyProbe.parse("node-1", "{\"status\":\"UP\"}").error())
        .contains("no epoch or phase");
  }

  @Test
  void agree_requiresSameEpochStableAndExactMembers() {
    Set<String> both = Set.of("node-1", "node-3");
    TopologyProbe.Seen a = TopologyProbe.parse("node-1", BODY);
    TopologyProbe.Seen b = TopologyProbe.parse("node-3", BODY);

    assertThat(TopologyProbe.agree(List.of(a, b), both)).isTrue();
    assertThat(TopologyProbe.agree(List.of(a, b), Set.of("node-1"))).isFalse();
    assertThat(TopologyProbe.agree(List.of(a,
        TopologyProbe.parse("node-3", BODY.replace("\"epoch\":7", "\"epoch\":8"))), both))
        .isFalse();
    assertThat(TopologyProbe.agree(List.of(a,
        TopologyProbe.parse("node-3", BODY.replace("STABLE", "TRANSFER"))), both)).isFalse();
    assertThat(TopologyProbe.agree(List.of(a, TopologyProbe.Seen.failed("node-3", "refused")),
        both)).isFalse();
    assertThat(TopologyProbe.agree(List.of(), Set.of())).isFalse();
  }
}
