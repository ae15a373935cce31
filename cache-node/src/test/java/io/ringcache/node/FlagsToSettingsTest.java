package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The first link of the promises that {@code --write-acks}, {@code --read-from}, {@code
 * --transfer-rate} and {@code --transfer-window} make: the flags reach the settings the request
 * path and the rebalancer run by ({@link CacheNode#settingsOf}). What each setting then does is
 * tested where it acts: {@code server.WriteAcksReadFromTest} and {@code
 * rebalance.TransferFlowControlTest}.
 */
class FlagsToSettingsTest {

  private static CacheNode.Settings settingsOf(String... args) {
    return CacheNode.settingsOf(ConfigLoader.load(args, Map.of()));
  }

  @Test
  void defaults_writeAcksAll_readFromPrimary_unpacedTransferOf256() {
    CacheNode.Settings s = settingsOf();

    assertThat(s.server().writeAcksAll()).isTrue();
    assertThat(s.server().readFromAny()).isFalse();
    assertThat(s.transferBytesPerSecond()).isZero();
    assertThat(s.transferWindow()).isEqualTo(256);
  }

  @Test
  void flags_reachTheRequestPathAndTheRebalancer() {
    CacheNode.Settings s = settingsOf("--write-acks=one", "--read-from=any",
        "--transfer-rate=2m", "--transfer-window=64");

    assertThat(s.server().writeAcksAll()).isFalse();
    assertThat(s.server().readFromAny()).isTrue();
    assertThat(s.transferBytesPerSecond()).isEqualTo(2L << 20);
    assertThat(s.transferWindow()).isEqualTo(64);
  }
}
