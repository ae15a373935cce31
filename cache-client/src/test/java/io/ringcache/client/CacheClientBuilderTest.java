package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.protocol.HostPort;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheClientBuilderTest {

  @Test
  void build_withoutSeeds_namesTheFix() {
    assertThatThrownBy(() -> CacheClient.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("seeds(\"host:port\"");
  }

  @Test
  void seeds_malformed_rejectedWithTheValue() {
    assertThatThrownBy(() -> CacheClient.builder().seeds("localhost"))
        .hasMessage("seed 'localhost' is not host:port, e.g. 127.0.0.1:7101");
    assertThatThrownBy(() -> CacheClient.builder().seeds("h:http"))
        .hasMessage("seed 'h:http' is not host:port: the port is not a number");
    assertThatThrownBy(() -> CacheClient.builder().seeds("h:70000"))
        .hasMessageContaining("within 1..65535");
    assertThat(HostPort.parse("[::1]:7101")).isEqualTo(new HostPort("::1", 7101));
  }

  @Test
  void numericSettings_outOfRange_rejectedWithBounds() {
    CacheClient.Builder b = CacheClient.builder();
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout must be at least 1 ms, was PT0S");
    assertThatThrownBy(() -> b.maxRetries(-1)).hasMessage("maxRetries must be within 0..100, was -1");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofMillis(-1)))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> b.connectionsPerNode(0))
        .hasMessage("connectionsPerNode must be within 1..64, was 0");
    assertThatThrownBy(() -> b.eventLoops(0))
        .hasMessage("eventLoops must be within 1..64, was 0");
    assertThatThrownBy(() -> b.eventLoops(65))
        .hasMessage("eventLoops must be within 1..64, was 65");
    assertThatThrownBy(() -> b.limits(0, 10)).hasMessageContaining("maxKeyBytes");
    assertThatThrownBy(() -> b.clientName(" ")).hasMessageContaining("blank");
  }

  @Test
  void backoff_doublesWithJitter_andIsCapped() {
    ClientSettings s = new ClientSettings(java.util.List.of(new HostPort("h", 1)),
        Duration.ofSeconds(1), 3, Duration.ofMillis(20), "", 1,
        io.ringcache.protocol.ProtocolLimits.defaults(), "c", ClientTls.OFF, 65_536, Duration.ZERO,
        1, Duration.ofSeconds(10), true, null);
    assertThat(s.backoffMillis(1, 1.0)).isEqualTo(20);
    assertThat(s.backoffMillis(1, 0.0)).isEqualTo(10);
    assertThat(s.backoffMillis(3, 1.0)).isEqualTo(80);
    assertThat(s.backoffMillis(30, 1.0)).isEqualTo(1000);
    assertThat(s.toString()).contains("auth=off").contains("tls=off")
        .contains("hotKeyNearCache=off");
  }

  @Test
  void hotKeyNearCache_null_rejectedNamingTheArgument() {
    assertThatThrownBy(() -> CacheClient.builder().hotKeyNearCache(null))
        .isInstanceOf(NullPointerException.class).hasMessage("settings");
  }

  @Test
  void tls_unreadableTrustFile_rejectedWithThePath() {
    java.nio.file.Path missing = java.nio.file.Path.of("/nonexistent/ca.pem");
    assertThatThrownBy(() -> CacheClient.builder().tls(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tls trust file '/nonexistent/ca.pem' cannot be read");
  }
}
