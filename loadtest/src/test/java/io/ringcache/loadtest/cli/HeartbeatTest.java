package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

  @Test
  void line_namesThePhaseTheTimeAndTheDetail() {
    assertThat(Heartbeat.line("starting 3 ringcache nodes", 6_400, ""))
        .isEqualTo("== starting 3 ringcache nodes: 00:06");
    assertThat(Heartbeat.line("read-back", 3_000, "8,120 of 20,000 keys"))
        .isEqualTo("== read-back: 00:03, 8,120 of 20,000 keys");
  }

  /** A slow phase speaks repeatedly with its current detail, and is silent once closed. */
  @Test
  void heartbeat_whileOpen_printsRepeatedlyWithFreshDetail_thenStops() {
    List<String> lines = new CopyOnWriteArrayList<>();
    AtomicInteger keys = new AtomicInteger();
    try (Heartbeat beat = new Heartbeat("read-back", () -> keys.incrementAndGet() + " keys",
        lines::add, Duration.ofMillis(20))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 3);
    }
    int closedAt = lines.size();
    assertThat(lines.get(0)).matches("== read-back: \\d\\d:\\d\\d, \\d+ keys");
    assertThat(lines).doesNotHaveDuplicates();
    // Nothing arrives after close: the timer thread is gone, so a later line would show here.
    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
        .until(() -> lines.size() == closedAt);
  }
}
