package io.ringcache.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterBootstrapConfigTest {

  @Test
  void hazelcastConfig_withSeeds_joinsOverTcpIpOnly() {
    ClusterSettings s = ClusterSettings.builder().seeds("10.0.0.1:5701", "10.0.0.2:5701").build();

    JoinConfig join = ClusterBootstrap.hazelcastConfig(s, Map.of()).getNetworkConfig().getJoin();

    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
  }

  @Test
  void hazelcastConfig_withServiceDns_joinsThroughKubernetesDnsOnTheClusterPort() {
    ClusterSettings s = ClusterSettings.builder()
        .seeds("10.0.0.1:5701")
        .clusterPort(5800)
        .kubernetesServiceDns(" ringcache-members.prod.svc.cluster.local ")
        .build();

    Config config = ClusterBootstrap.hazelcastConfig(s, Map.of());
    JoinConfig join = config.getNetworkConfig().getJoin();

    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("ringcache-members.prod.svc.cluster.local");
    assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5800");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
  }
}
