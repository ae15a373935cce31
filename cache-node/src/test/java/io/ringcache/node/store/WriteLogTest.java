package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.protocol.Request.WriteOutcome;
import io.ringcache.protocol.WriteId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriteLogTest {

  private final FakeTicker ticker = new FakeTicker();
  private final WriteLog log = new WriteLog(100, Duration.ofSeconds(30), ticker);

  private static ReplicaEntry value(String v, long version) {
    return ReplicaEntry.value(v.getBytes(StandardCharsets.US_ASCII), version, ReplicaEntry.NO_TTL);
  }

  @Test
  void record_counted_keepsTheCounterAndVersion_forTheSameKeyOnly() {
    WriteId id = new WriteId(1, 1);
    log.record(id, 42, WriteOutcome.COUNTED, value("17", 9));

    assertThat(log.find(id, 42)).isEqualTo(new WriteLog.Outcome(42, WriteOutcome.COUNTED, 9, 17));
    assertThat(log.find(id, 43)).as("another key").isNull();
    assertThat(log.find(new WriteId(1, 2), 42)).as("another id").isNull();
  }

  @Test
  void none_isNeverRecordedNorFound() {
    log.record(WriteId.NONE, 1, WriteOutcome.STORED, value("v", 1));

    assertThat(log.find(WriteId.NONE, 1)).isNull();
    assertThat(log.size()).isZero();
  }

  @Test
  void outcome_isForgottenAfterTheRetention() {
    WriteId id = new WriteId(3, 1);
    log.record(id, 5, WriteOutcome.STORED, value("v", 2));
    ticker.advance(Duration.ofSeconds(29));
    assertThat(log.find(id, 5)).isNotNull();

    ticker.advance(Duration.ofSeconds(2));

    assertThat(log.find(id, 5)).isNull();
  }

  @Test
  void restamped_movesTheVersion() {
    WriteId id = new WriteId(4, 1);
    log.record(id, 5, WriteOutcome.STORED, value("v", 2));

    log.restamped(id, 8);

    assertThat(log.find(id, 5).version()).isEqualTo(8);
  }

  @Test
  void capacity_boundsTheOutcomesKept() {
    for (int i = 1; i <= 1_000; i++) {
      log.record(new WriteId(9, i), i, WriteOutcome.STORED, value("v", i));
    }
    log.cleanUp();

    assertThat(log.size()).isLessThanOrEqualTo(100);
  }

  @Test
  void negativeCapacity_namesTheLimit() {
    assertThatThrownBy(() -> new WriteLog(-1, Duration.ofSeconds(1), ticker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity must be >= 0");
  }
}
