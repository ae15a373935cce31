package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

  @Test
  void defaults_quarterOfMaxHeapAndSixtySecondTombstones() {
    StoreConfig config = StoreConfig.defaults();

    assertThat(config.maxBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThat(config.tombstoneTtl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void maxBytes_notPositive_rejectedNamingValue() {
    assertThatThrownBy(() -> StoreConfig.defaults().withMaxBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be > 0 but was 0");
  }

  @Test
  void tombstoneTtl_notPositive_rejectedNamingValue() {
    assertThatThrownBy(() -> StoreConfig.defaults().withTombstoneTtl(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.005S");
    assertThatThrownBy(() -> StoreConfig.defaults().withTombstoneTtl(Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 ms");
  }

  @Test
  void replicaEntry_aged_neverTurnsRemainingTimeIntoNoExpiry() {
    ReplicaEntry entry = ReplicaEntry.value(new byte[] {1}, 4096, 100);

    assertThat(entry.aged(40).ttlMillis()).isEqualTo(60);
    assertThat(entry.aged(100).expired()).isTrue();
    assertThat(entry.aged(500).ttlMillis()).isEqualTo(ReplicaEntry.EXPIRED);
    assertThat(ReplicaEntry.value(new byte[] {1}, 4096, ReplicaEntry.NO_TTL).aged(500).ttlMillis())
        .isEqualTo(ReplicaEntry.NO_TTL);
  }

  @Test
  void replicaEntry_invalidShapes_rejected() {
    assertThatThrownBy(() -> ReplicaEntry.value(new byte[0], 0, 0))
        .hasMessage("version must be > 0 but was 0");
    assertThatThrownBy(() -> new ReplicaEntry(new byte[3], 4096, 0, true))
        .hasMessageContaining("3 bytes");
  }
}
