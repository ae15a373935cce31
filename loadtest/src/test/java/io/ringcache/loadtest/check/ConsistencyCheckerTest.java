package io.ringcache.loadtest.check;

import static io.ringcache.loadtest.check.ConsistencyChecker.ABSENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsistencyCheckerTest {

  private final ConsistencyChecker checker = new ConsistencyChecker();

  @Test
  void violations_readOlderThanAckedWrite_flagged() {
    checker.recordWrite("k", 10, 100);
    checker.recordWrite("k", 20, 200);
    checker.recordRead("k", 10, 300, 310);

    assertThat(checker.violations()).singleElement().satisfies(v -> {
      assertThat(v.key()).isEqualTo("k");
      assertThat(v.readVersion()).isEqualTo(10);
      assertThat(v.requiredVersion()).isEqualTo(20);
      assertThat(v.requiredAckNanos()).isEqualTo(200);
      assertThat(v.toString()).contains("version 10", "version 20");
    });
  }

  @Test
  void violations_writeAckedAfterReadBegan_notFlagged() {
    checker.recordWrite("k", 10, 100);
    checker.recordRead("k", 10, 150, 400);
    checker.recordWrite("k", 20, 200);
    // Starts at the very instant of the ack: not strictly after, so still concurrent.
    checker.recordRead("k", 10, 200, 300);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_newerThanAnyAckedWrite_notFlagged() {
    checker.recordWrite("k", 10, 100);
    checker.recordRead("k", 35, 150, 160);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_ackedWritesReorderedByVersion_needsHighestVersion() {
    // Two concurrent writes acknowledged out of version order: 11 before 10. Both are acked
    // before the read, so the last writer (by version) is 11 and reading 10 is stale.
    checker.recordWrite("k", 11, 100);
    checker.recordWrite("k", 10, 110);
    checker.recordRead("k", 10, 200, 210);

    assertThat(checker.violations()).singleElement()
        .extracting(ConsistencyChecker.Violation::requiredVersion).isEqualTo(11L);
  }

  @Test
  void violations_absentAfterAckedWrite_flagged() {
    checker.recordWrite("k", 10, 100);
    checker.recordRead("k", ABSENT, 150, 160);

    assertThat(checker.violations()).singleElement().satisfies(v ->
        assertThat(v.toString()).contains("returned absent"));
  }

  @Test
  void violations_absentBeforeAnyAck_notFlagged() {
    checker.recordRead("k", ABSENT, 50, 150);
    checker.recordWrite("k", 10, 100);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_absentAfterDelete_notFlagged_staleVersionStillFlagged() {
    checker.recordWrite("k", 10, 100);
    checker.recordWrite("k", 12, 150);
    checker.recordDelete("k", 200, 250);
    checker.recordRead("k", ABSENT, 300, 310);
    checker.recordRead("k", 10, 300, 310);

    assertThat(checker.violations()).singleElement()
        .extracting(ConsistencyChecker.Violation::readVersion).isEqualTo(10L);
  }

  @Test
  void violations_deleteStartedAfterReadEnded_absentFlagged() {
    checker.recordWrite("k", 10, 100);
    checker.recordRead("k", ABSENT, 150, 160);
    checker.recordDelete("k", 200, 250);

    assertThat(checker.violations()).hasSize(1);
  }

  @Test
  void violations_keysAreIndependent() {
    checker.recordWrite("a", 10, 100);
    checker.recordRead("b", ABSENT, 200, 210);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void lost_readBackBelowAckedVersion_reported() {
    checker.recordWrite("kept", 10, 100);
    checker.recordWrite("newer", 10, 100);
    checker.recordWrite("stale", 10, 100);
    checker.recordWrite("stale", 20, 200);
    checker.recordWrite("gone", 10, 100);
    Map<String, Long> store = Map.of("kept", 10L, "newer", 30L, "stale", 10L);

    List<ConsistencyChecker.Lost> lost =
        checker.lost(key -> store.getOrDefault(key, ABSENT));

    assertThat(lost).extracting(ConsistencyChecker.Lost::key).containsExactly("gone", "stale");
    assertThat(lost.get(0).toString()).contains("read back absent");
    assertThat(lost.get(1).expectedVersion()).isEqualTo(20);
  }

  @Test
  void lost_absentAfterRecordedDelete_notReported() {
    checker.recordWrite("k", 10, 100);
    checker.recordDelete("k", 150, 160);

    assertThat(checker.lost(key -> ABSENT)).isEmpty();
  }

  @Test
  void record_badArguments_rejectedWithValue() {
    assertThatThrownBy(() -> checker.recordWrite("k", 0, 1))
        .hasMessageContaining("positive, was 0");
    assertThatThrownBy(() -> checker.recordRead("k", -1, 1, 2))
        .hasMessageContaining("was -1");
    assertThatThrownBy(() -> checker.recordRead("k", 1, 10, 5))
        .hasMessageContaining("start 10, end 5");
  }

  @Test
  void record_concurrentThreads_countsEverything() throws Exception {
    int threads = 4;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 1; i <= perThread; i++) {
            String key = "t" + id + "-" + (i % 100);
            checker.recordWrite(key, i, i);
            checker.recordRead(key, i, i + 1, i + 2);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(checker.writeCount()).isEqualTo((long) threads * perThread);
    assertThat(checker.readCount()).isEqualTo((long) threads * perThread);
    assertThat(checker.writtenKeys()).hasSize(threads * 100);
    assertThat(checker.violations()).isEmpty();
  }

  /**
   * Random single-register histories: every operation takes effect at a random instant inside
   * its interval, so reads see exactly what a correct cache could return. One in ten acks is
   * lost (the write applied, the caller never recorded it). Then about one read in eight is made
   * stale on purpose. The checker must pass the correct history and flag exactly the reads a
   * brute-force oracle flags in the mutated one.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 1_000, 65_537, 9_999_991})
  void violations_randomHistories_matchBruteForceOracle(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String key = "k" + seed;
    List<long[]> acked = new ArrayList<>(); // {version, ackAt} of recorded writes
    List<long[]> effects = new ArrayList<>(); // {version, effectAt} of every write
    long t = 0;
    for (int v = 1; v <= 200; v++) {
      t += 1 + random.nextInt(20);
      effects.add(new long[] {v, t});
      if (random.nextInt(10) > 0) {
        acked.add(new long[] {v, t + random.nextInt(60)});
      }
    }
    ConsistencyChecker clean = new ConsistencyChecker();
    for (long[] w : acked) {
      clean.recordWrite(key, w[0], w[1]);
      checker.recordWrite(key, w[0], w[1]);
    }
    List<Long> expectedStarts = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      long start = random.nextLong(0, t + 50);
      long effect = start + random.nextInt(40);
      long end = effect + random.nextInt(40);
      long version = ABSENT;
      for (long[] w : effects) {
        if (w[1] <= effect) {
          version = w[0];
        }
      }
      clean.recordRead(key, version, start, end);
      if (random.nextInt(8) == 0 && version > ABSENT) {
        version = random.nextInt(3) == 0 ? ABSENT : random.nextLong(1, version + 1) - 1;
      }
      checker.recordRead(key, version, start, end);
      long need = ABSENT;
      for (long[] w : acked) {
        if (w[1] < start) {
          need = Math.max(need, w[0]);
        }
      }
      if (version < need) {
        expectedStarts.add(start);
      }
    }

    assertThat(clean.violations()).as("a correct history").isEmpty();
    assertThat(clean.lost(k -> effects.get(effects.size() - 1)[0])).isEmpty();
    assertThat(expectedStarts).as("the mutation made some reads stale").isNotEmpty();
    assertThat(checker.violations())
        .extracting(ConsistencyChecker.Violation::readStartNanos)
        .containsExactlyInAnyOrderElementsOf(expectedStarts);
    assertThat(checker.lost(k -> effects.get(effects.size() - 2)[0])).hasSize(
        acked.get(acked.size() - 1)[0] == effects.size() ? 1 : 0);
  }
}
