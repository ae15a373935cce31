package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class HybridClockTest {

  private static final long T0 = 1_750_000_000_000L; // 2025-06-15, well inside the layout

  @Test
  void next_decodesToWallClockZeroCounterAndNodeId() {
    HybridClock clock = HybridClock.forNode("node-a", () -> T0);

    long version = clock.next();

    assertThat(version).isPositive();
    assertThat(HybridClock.physicalMillis(version)).isEqualTo(T0);
    assertThat(HybridClock.logical(version)).isZero();
    assertThat(HybridClock.nodeId(version)).isEqualTo(HybridClock.nodeIdOf("node-a"));
  }

  @Test
  void nodeIdOf_isPinnedAcrossReleases() {
    // Golden values: the tie-break must not change between releases (it comes from KeyHash).
    assertThat(HybridClock.nodeIdOf("node-a")).isEqualTo(1905);
    assertThat(HybridClock.nodeIdOf("cache-0.ringcache:7400")).isEqualTo(656);
  }

  @Test
  void next_sameMillisecond_countsLogicallyThenCarriesIntoPhysical() {
    HybridClock clock = HybridClock.withNodeId(7, () -> T0);

    long previous = 0;
    for (int i = 0; i < 1024; i++) {
      long version = clock.next();
      assertThat(version).isGreaterThan(previous);
      assertThat(HybridClock.physicalMillis(version)).isEqualTo(T0);
      assertThat(HybridClock.logical(version)).isEqualTo(i);
      previous = version;
    }
    long carried = clock.next();

    assertThat(carried).isGreaterThan(previous);
    assertThat(HybridClock.physicalMillis(carried)).isEqualTo(T0 + 1);
    assertThat(HybridClock.logical(carried)).isZero();
  }

  @RepeatedTest(20)
  void next_wallClockJumpsBackAndForth_staysStrictlyMonotonic(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(0xC10C + info.getCurrentRepetition());
    AtomicLong wall = new AtomicLong(T0);
    HybridClock clock = HybridClock.forNode("n" + info.getCurrentRepetition(), wall::get);

    long previous = 0;
    long maxWall = T0;
    for (int i = 0; i < 5_000; i++) {
      // Mostly small steps; now and then an NTP-style jump backwards of up to 10 s.
      long step = random.nextInt(10) == 0 ? -random.nextLong(10_000) : random.nextLong(3);
      maxWall = Math.max(maxWall, wall.addAndGet(step));
      long version = clock.next();
      assertThat(version).isGreaterThan(previous);
      assertThat(HybridClock.physicalMillis(version)).isGreaterThanOrEqualTo(wall.get());
      previous = version;
    }
    // Versions never run far ahead of the highest wall time seen: 1,024 per ms of slack.
    assertThat(HybridClock.physicalMillis(previous)).isLessThanOrEqualTo(maxWall + 5);
  }

  @Test
  void observe_remoteAhead_nextOrdersAfterIt() {
    HybridClock ahead = HybridClock.forNode("ahead", () -> T0 + 30_000);
    HybridClock behind = HybridClock.forNode("behind", () -> T0);
    long remote = ahead.next();

    assertThat(behind.next()).isLessThan(remote);
    behind.observe(remote);

    long local = behind.next();
    assertThat(local).isGreaterThan(remote);
    assertThat(HybridClock.nodeId(local)).isEqualTo(behind.nodeId());
  }

  @Test
  void observe_remoteBehind_doesNotMoveClockBack() {
    HybridClock clock = HybridClock.withNodeId(1, () -> T0);
    long before = clock.next();

    clock.observe(HybridClock.withNodeId(2, () -> T0 - 60_000).next());

    assertThat(clock.next()).isGreaterThan(before);
  }

  @Test
  void next_manyThreads_allVersionsDistinct() throws InterruptedException {
    HybridClock clock = HybridClock.withNodeId(3, () -> T0);
    int perThread = 20_000;
    long[][] seen = new long[2][perThread];
    Thread[] threads = new Thread[2];
    for (int t = 0; t < threads.length; t++) {
      long[] out = seen[t];
      threads[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          out[i] = clock.next();
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Set<Long> all = new HashSet<>();
    for (long[] out : seen) {
      for (long version : out) {
        all.add(version);
      }
    }
    assertThat(all).hasSize(2 * perThread);
  }

  @Test
  void withNodeId_outOfRange_namesValueAndLimit() {
    assertThatThrownBy(() -> HybridClock.withNodeId(4096, () -> T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4095")
        .hasMessageContaining("4096");
  }

  @Test
  void next_beyondLayout_returnsExhaustedWithoutThrowing() {
    long end = HybridClock.EPOCH_MILLIS + (1L << 41);
    HybridClock clock = HybridClock.withNodeId(0, () -> end);

    assertThat(clock.next()).isEqualTo(HybridClock.EXHAUSTED);
    assertThat(clock.next()).isEqualTo(HybridClock.EXHAUSTED);
  }

  @Test
  void observe_maximalVersion_nextReturnsExhaustedAndNeverThrows() {
    // What a REPLICATE carrying Long.MAX_VALUE did to a node before the offset check.
    HybridClock clock = HybridClock.withNodeId(0, () -> T0);

    clock.observe(Long.MAX_VALUE);

    for (int i = 0; i < 3; i++) {
      assertThat(clock.next()).isEqualTo(HybridClock.EXHAUSTED);
    }
  }

  @Test
  void observe_negativeVersion_isIgnored() {
    HybridClock clock = HybridClock.withNodeId(0, () -> T0);

    clock.observe(-5);

    assertThat(HybridClock.physicalMillis(clock.next())).isEqualTo(T0);
  }

  @Test
  void admit_versionFurtherAheadThanMaxOffset_isRefusedAndClockUnchanged() {
    HybridClock clock = HybridClock.withNodeId(1, () -> T0);
    long farAhead = HybridClock.withNodeId(2, () -> T0 + 10_000).next();

    assertThat(clock.admit(farAhead, 500)).isFalse();
    assertThat(clock.admit(Long.MAX_VALUE, 500)).isFalse();
    assertThat(clock.admit(-1, 500)).isFalse();

    assertThat(HybridClock.physicalMillis(clock.next())).isEqualTo(T0);
  }

  @Test
  void admit_versionWithinMaxOffset_isObserved() {
    HybridClock clock = HybridClock.withNodeId(1, () -> T0);
    long ahead = HybridClock.withNodeId(2, () -> T0 + 500).next();

    assertThat(clock.admit(ahead, 500)).isTrue();

    assertThat(clock.next()).isGreaterThan(ahead);
  }

  @Test
  void aheadMillis_measuresAgainstWallClockNotTheLogicalClock() {
    HybridClock clock = HybridClock.withNodeId(1, () -> T0);
    clock.observe(HybridClock.withNodeId(2, () -> T0 + 400).next());

    // The clock was dragged 400 ms ahead, yet a version 600 ms ahead of wall time is still 600.
    assertThat(clock.aheadMillis(HybridClock.withNodeId(2, () -> T0 + 600).next()))
        .isEqualTo(600);
    assertThat(clock.aheadMillis(HybridClock.withNodeId(2, () -> T0 - 50).next())).isEqualTo(-50);
  }

  @Test
  void next_wallClockBeforeEpoch_clampsToEpoch() {
    HybridClock clock = HybridClock.withNodeId(0, () -> 0L);

    long version = clock.next();

    assertThat(version).isPositive();
    assertThat(HybridClock.physicalMillis(version)).isEqualTo(HybridClock.EPOCH_MILLIS);
  }
}
