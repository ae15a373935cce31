package io.ringcache.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSettingsTest {

  @Test
  void build_defaults_deriveMemberNameFromHostAndClientPort() {
    ClusterSettings s = ClusterSettings.builder().host("10.0.0.7").clientPort(7100).build();
    assertThat(s.memberName()).isEqualTo("10.0.0.7:7100");
    assertThat(s.clusterName()).isEqualTo("ringcache");
    assertThat(s.clusterPort()).isEqualTo(5701);
    assertThat(s.seeds()).isEmpty();
    assertThat(s.zone()).isEmpty();
    assertThat(s.weight()).isEqualTo(1.0);
    assertThat(s.clientAddress()).isEqualTo("10.0.0.7:7100");
  }

  @Test
  void build_seeds_areTrimmedAndIpv6KeepsBrackets() {
    ClusterSettings s =
        ClusterSettings.builder().seeds(" 127.0.0.1:5701 ", "[::1]:5702", "node-b:5701").build();
    assertThat(s.seeds()).containsExactly("127.0.0.1:5701", "[::1]:5702", "node-b:5701");
  }

  @Test
  void toBuilder_changesOneField_keepsTheOthers() {
    ClusterSettings s =
        ClusterSettings.builder().clusterName("c").memberName("m").zone("z").build();
    ClusterSettings t = s.toBuilder().clientPort(7001).build();
    assertThat(t)
        .isEqualTo(
            new ClusterSettings(
                "c", "m", s.host(), s.clusterPort(), s.seeds(), "z", 1.0, 7001, s.httpPort(), 0, ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void build_blankClusterName_isRejected(String name) {
    assertThatThrownBy(() -> ClusterSettings.builder().clusterName(name).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clusterName must not be blank, was '" + name + "'");
  }

  @Test
  void build_blankMemberNameOrHost_isRejected() {
    assertThatThrownBy(() -> ClusterSettings.builder().memberName(" ").build())
        .hasMessage("memberName must not be blank, was ' '");
    assertThatThrownBy(() -> ClusterSettings.builder().host(null).build())
        .hasMessage("host must not be blank, was null");
  }

  @Test
  void build_portsOutOfRange_areRejectedWithTheirLimits() {
    assertThatThrownBy(() -> ClusterSettings.builder().clientPort(0).build())
        .hasMessage("clientPort must be within 1..65535, was 0");
    assertThatThrownBy(() -> ClusterSettings.builder().clientPort(65_536).build())
        .hasMessage("clientPort must be within 1..65535, was 65536");
    assertThatThrownBy(() -> ClusterSettings.builder().httpPort(-1).build())
        .hasMessage("httpPort must be within 0..65535, was -1");
    assertThatThrownBy(() -> ClusterSettings.builder().clusterPort(65_500).build())
        .hasMessage(
            "clusterPort must be 0 or within 1..65436 (it is incremented up to 100 times), was"
                + " 65500");
    assertThatThrownBy(() -> ClusterSettings.builder().clusterPort(-5).build())
        .hasMessageStartingWith("clusterPort must be 0 or within 1..65436");
    assertThat(ClusterSettings.builder().clusterPort(0).httpPort(0).build().httpPort()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "localhost:", ":5701", "host:port", "::1:5701", "a b:5701", "[::1]"})
  void build_malformedSeed_isRejected(String seed) {
    assertThatThrownBy(() -> ClusterSettings.builder().seeds(seed).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("seed '" + seed + "' is not host:port");
  }

  @Test
  void build_seedPortOutOfRange_namesThePortAndTheSeed() {
    assertThatThrownBy(() -> ClusterSettings.builder().seeds("h:70000").build())
        .hasMessage("seed 'h:70000' has port 70000, not within 1..65535");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void build_badWeight_isRejected(double weight) {
    assertThatThrownBy(() -> ClusterSettings.builder().weight(weight).build())
        .hasMessage("weight must be positive and finite, was " + weight);
  }

  @Test
  void hazelcastConfig_settings_tcpIpJoinOnlyWithIdentityAttributes() {
    ClusterSettings s =
        ClusterSettings.builder()
            .clusterName("c1")
            .memberName("m1")
            .clusterPort(5801)
            .seeds("127.0.0.1:5801", "127.0.0.1:5802")
            .zone("z1")
            .weight(1.5)
            .clientPort(7001)
            .httpPort(8001)
            .build();
    Config config =
        ClusterBootstrap.hazelcastConfig(s, Map.of("hazelcast.max.no.heartbeat.seconds", "3"));
    assertThat(config.getClusterName()).isEqualTo("c1");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().isAutoDetectionEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("3");
    assertThat(config.getMemberAttributeConfig().getAttributes())
        .containsEntry(MemberAttributes.NAME, "m1")
        .containsEntry(MemberAttributes.CLIENT_PORT, "7001")
        .containsEntry(MemberAttributes.HTTP_PORT, "8001")
        .containsEntry(MemberAttributes.ZONE, "z1")
        .containsEntry(MemberAttributes.WEIGHT, "1.5");
  }

  @Test
  void start_unresolvableHost_failsTheFuture() {
    ClusterSettings s = ClusterSettings.builder().host("no-such-host.invalid").build();
    assertThat(ClusterBootstrap.start(s, new VertxOptions()).cause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host 'no-such-host.invalid' does not resolve");
  }

  @Test
  void storedTopology_nonPositiveEpoch_isRejected() {
    assertThatThrownBy(() -> new StoredTopology(0, new byte[0]))
        .hasMessage("epoch must be positive, was 0");
    assertThat(HazelcastClusterState.decode(HazelcastClusterState.encode(7, new byte[] {1, 2})))
        .isEqualTo(new StoredTopology(7, new byte[] {1, 2}));
  }

  @Test
  void seeds_nullList_isRejected() {
    assertThatThrownBy(() -> new ClusterSettings("c", null, "h", 0, null, "", 1, 1, 0, 0, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(new ClusterSettings("c", null, "h", 0, List.of(), null, 1, 1, 0, 0, null).zone()).isEmpty();
  }
}
