package io.ringcache.loadtest.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastMemberMainTest {

  private static final String[] ARGS = {"--name", "m-1", "--cluster-name", "hz-test",
      "--port", "15701", "--members", "127.0.0.1:15701,127.0.0.1:15702", "--backup-count", "2"};

  @Test
  void config_fromFlags_tcpIpOnLoopbackBinaryBackups() {
    Config config = HazelcastMemberMain.config(HazelcastMemberMain.parse(ARGS));

    assertThat(config.getClusterName()).isEqualTo("hz-test");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(15701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces())
        .containsExactly("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:15701", "127.0.0.1:15702");
    assertThat(config.getPersistenceConfig().isEnabled()).isFalse();
    MapConfig map = config.getMapConfig("any-map-name");
    assertThat(map.getBackupCount()).isEqualTo(2);
    assertThat(map.getAsyncBackupCount()).isZero();
    assertThat(map.getInMemoryFormat()).isEqualTo(InMemoryFormat.BINARY);
  }

  @Test
  void parse_defaults_hostAndBackupCount() {
    Map<String, String> flags = HazelcastMemberMain.parse(new String[] {"--name", "m",
        "--cluster-name", "c", "--port", "1", "--members", "127.0.0.1:1"});
    assertThat(flags).containsEntry("--host", "127.0.0.1").containsEntry("--backup-count", "1");
  }

  @Test
  void parse_badInput_namesTheFlag() {
    assertThatThrownBy(() -> HazelcastMemberMain.parse(new String[] {"--name", "m"}))
        .hasMessageContaining("missing flag --cluster-name");
    assertThatThrownBy(() -> HazelcastMemberMain.parse(new String[] {"--nmae", "m"}))
        .hasMessageContaining("unknown flag '--nmae'");
    assertThatThrownBy(() -> HazelcastMemberMain.parse(new String[] {"--name", "m",
        "--cluster-name", "c", "--port", "70000", "--members", "127.0.0.1:1"}))
        .hasMessageContaining("--port must be within 1..65535, was 70000");
    assertThatThrownBy(() -> HazelcastMemberMain.parse(new String[] {"--name", "m",
        "--cluster-name", "c", "--port", "1", "--members", "localhost"}))
        .hasMessageContaining("'localhost' is not host:port");
    assertThatThrownBy(() -> HazelcastMemberMain.parse(new String[] {"--name", "m",
        "--cluster-name", "c", "--port", "1", "--members", "127.0.0.1:1", "--backup-count", "7"}))
        .hasMessageContaining("--backup-count must be within 0..6, was 7");
  }
}
