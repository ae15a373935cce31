package io.ringcache.loadtest.check;

import static io.ringcache.loadtest.check.ConsistencyChecker.ABSENT;
import static io.ringcache.loadtest.check.ConsistencyChecker.Outcome.ACKNOWLEDGED;
import static io.ringcache.loadtest.check.ConsistencyChecker.Outcome.MAYBE_APPLIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.ringcache.loadtest.check.ConsistencyChecker.Kind;
import io.ringcache.loadtest.check.ConsistencyChecker.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
  void violations_readOfAValueAnAckedWriteReplaced_isStale() {
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("k", 2, 20, 30, ACKNOWLEDGED);
    checker.recordRead("k", 1, 40, 50);

    assertThat(checker.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.STALE);
      assertThat(v.read()).isEqualTo(1);
      assertThat(v.cause()).isEqualTo(2);
      assertThat(v.toString()).contains("write #1", "write #2");
    });
  }

  /**
   * The loss a version-only check passed: a write that failed (maybe applied) got a higher
   * version than a later acknowledged one, so replicas kept it; a read returning it is stale
   * whatever the versions say.
   */
  @Test
  void staleness_countsFromTheFirstAcknowledgementThatSupersededTheValue() {
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("k", 2, 20, 40, ACKNOWLEDGED);
    checker.recordWrite("k", 3, 25, 30, ACKNOWLEDGED);
    checker.recordRead("k", 1, 100, 110);   // superseded first by #3's ack at 30: 70 stale
    checker.recordRead("k", 3, 100, 110);   // #2 overlaps #3, nothing supersedes #3: fresh
    checker.recordRead("k", 1, 35, 36);     // #3 acked at 30 supersedes: 5 stale
    checker.recordRead("k", 1, 15, 16);     // nothing acked yet: fresh
    checker.recordRead("other", ABSENT, 0, 1);

    ConsistencyChecker.Staleness s = checker.staleness();

    assertThat(s.reads()).isEqualTo(5);
    assertThat(s.staleAgesNanos()).containsExactly(5, 70);
    assertThat(s.maxNanos()).isEqualTo(70);
    assertThat(s.quantileNanos(0.6)).isZero();
    assertThat(s.quantileNanos(0.8)).isEqualTo(5);
    assertThat(s.quantileNanos(0.999)).isEqualTo(70);
  }

  @Test
  void staleness_aDeleteSupersedesToo_andNoReadsMeansZero() {
    assertThat(checker.staleness().maxNanos()).isZero();
    assertThat(checker.staleness().quantileNanos(0.999)).isZero();
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordDelete("k", 20, 30, ACKNOWLEDGED);
    checker.recordRead("k", 1, 50, 60);

    assertThat(checker.staleness().staleAgesNanos()).containsExactly(20);
  }

  /** The age agrees with a brute-force scan over random histories. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void staleness_matchesBruteForce(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<long[]> writes = new ArrayList<>();
    for (int id = 1; id <= 200; id++) {
      long start = random.nextLong(10_000);
      long end = start + 1 + random.nextLong(300);
      boolean acked = random.nextInt(10) > 0;
      checker.recordWrite("k", id, start, end, acked ? ACKNOWLEDGED : MAYBE_APPLIED);
      writes.add(new long[] {id, start, end, acked ? 1 : 0});
    }
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      long[] x = writes.get(random.nextInt(writes.size()));
      long start = random.nextLong(11_000);
      checker.recordRead("k", x[0], start, start + 5);
      long firstAck = Long.MAX_VALUE;
      for (long[] y : writes) {
        if (y[3] == 1 && y[1] > x[2] && y[2] < start) {
          firstAck = Math.min(firstAck, y[2]);
        }
      }
      if (firstAck != Long.MAX_VALUE) {
        expected.add(start - firstAck);
      }
    }

    assertThat(checker.staleness().staleAgesNanos())
        .containsExactly(expected.stream().mapToLong(Long::longValue).sorted().toArray());
  }

  @Test
  void violations_failedWriteReturnedAfterALaterAckedWrite_isStale() {
    checker.recordWrite("k", 1, 0, 10, MAYBE_APPLIED);
    checker.recordWrite("k", 2, 20, 30, ACKNOWLEDGED);
    checker.recordRead("k", 1, 40, 50);

    assertThat(checker.violations()).extracting(Violation::kind).containsExactly(Kind.STALE);
  }

  @Test
  void violations_overlappingAckedWrites_eitherMayWin() {
    checker.recordWrite("k", 1, 0, 30, ACKNOWLEDGED);
    checker.recordWrite("k", 2, 10, 20, ACKNOWLEDGED);
    checker.recordRead("k", 1, 40, 50);
    checker.recordRead("k", 2, 60, 70);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_writeAckedAfterReadBegan_eitherValueMayBeRead() {
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("k", 2, 20, 60, ACKNOWLEDGED);
    checker.recordRead("k", 1, 30, 40);
    checker.recordRead("k", 2, 30, 40);
    // Starts at the very instant of the ack: not strictly after it, so still concurrent.
    checker.recordRead("k", 1, 60, 70);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_maybeAppliedWriteMayBeReadAnyTimeUntilReplaced() {
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("k", 2, 20, 30, MAYBE_APPLIED);
    checker.recordRead("k", 2, 40, 50);
    checker.recordRead("k", 1, 60, 70);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_valueOfADeletedKeyComingBack_isResurrected() {
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordDelete("k", 20, 30, ACKNOWLEDGED);
    checker.recordRead("k", 1, 40, 50);

    assertThat(checker.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.RESURRECTED);
      assertThat(v.toString()).contains("delete");
    });
  }

  @Test
  void violations_absentAfterAnAckedWriteWithNoDelete_isMissing() {
    checker.recordWrite("k", 1, 0, 10, ACKNOWLEDGED);
    checker.recordRead("k", ABSENT, 20, 30);

    assertThat(checker.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.MISSING);
      assertThat(v.cause()).isEqualTo(1);
      assertThat(v.toString()).contains("returned nothing");
    });
  }

  @Test
  void violations_absentExplainedOnlyByADeleteThatMayFollowTheWrite() {
    checker.recordDelete("early", 0, 5, ACKNOWLEDGED);
    checker.recordWrite("early", 1, 10, 20, ACKNOWLEDGED);
    checker.recordRead("early", ABSENT, 30, 40);

    checker.recordWrite("failed", 1, 0, 10, ACKNOWLEDGED);
    checker.recordDelete("failed", 20, 30, MAYBE_APPLIED);
    checker.recordRead("failed", ABSENT, 40, 50);

    checker.recordWrite("overlap", 1, 0, 20, ACKNOWLEDGED);
    checker.recordDelete("overlap", 10, 15, ACKNOWLEDGED);
    checker.recordRead("overlap", ABSENT, 30, 40);

    checker.recordWrite("later", 1, 0, 10, ACKNOWLEDGED);
    checker.recordDelete("later", 35, 60, ACKNOWLEDGED);
    checker.recordRead("later", ABSENT, 30, 40);

    assertThat(checker.violations()).singleElement().satisfies(v -> {
      assertThat(v.key()).isEqualTo("early");
      assertThat(v.kind()).isEqualTo(Kind.MISSING);
    });
  }

  @Test
  void violations_absentBeforeAnyAck_notFlagged() {
    checker.recordWrite("k", 1, 0, 50, ACKNOWLEDGED);
    checker.recordRead("k", ABSENT, 10, 20);
    checker.recordRead("never-written", ABSENT, 10, 20);

    assertThat(checker.violations()).isEmpty();
  }

  @Test
  void violations_valueNoWriteOfTheKeyProduced_isPhantom() {
    checker.recordWrite("a", 1, 0, 10, ACKNOWLEDGED);
    checker.recordRead("b", 1, 20, 30);
    checker.recordRead("a", 99, 20, 30);

    assertThat(checker.violations()).extracting(Violation::kind, Violation::key)
        .containsExactly(tuple(Kind.PHANTOM, "a"),
            tuple(Kind.PHANTOM, "b"));
  }

  @Test
  void violations_valueOfAWriteThatStartedAfterTheReadEnded_isFuture() {
    checker.recordRead("k", 1, 0, 10);
    checker.recordWrite("k", 1, 20, 30, ACKNOWLEDGED);

    assertThat(checker.violations()).extracting(Violation::kind).containsExactly(Kind.FUTURE);
  }

  @Test
  void lost_checksEveryOwnersCopyAsAReadAfterEverything() {
    checker.recordWrite("replaced", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("replaced", 2, 20, 30, ACKNOWLEDGED);
    checker.recordWrite("dropped", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("deleted", 1, 0, 10, ACKNOWLEDGED);
    checker.recordDelete("deleted", 20, 30, ACKNOWLEDGED);
    checker.recordWrite("failed-last", 1, 0, 10, ACKNOWLEDGED);
    checker.recordWrite("failed-last", 2, 20, 30, MAYBE_APPLIED);
    checker.recordRead("read-only", ABSENT, 0, 10);
    Map<String, Map<String, Long>> copies = Map.of(
        "replaced", Map.of("node-1", 2L, "node-3", 1L),
        "dropped", Map.of("node-1", 1L, "node-2", ABSENT),
        "deleted", Map.of("node-1", ABSENT, "node-2", 1L),
        "failed-last", Map.of("node-1", 2L, "node-2", 1L));

    List<Violation> lost = checker.lost(copies::get);

    assertThat(lost).extracting(Violation::key, Violation::where, Violation::kind)
        .containsExactly(
            tuple("deleted", "node-2", Kind.RESURRECTED),
            tuple("dropped", "node-2", Kind.MISSING),
            tuple("replaced", "node-3", Kind.STALE));
  }

  @Test
  void record_rejectsBadIdsAndIntervals() {
    assertThatThrownBy(() -> checker.recordWrite("k", 0, 0, 1, ACKNOWLEDGED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive, was 0");
    assertThatThrownBy(() -> checker.recordRead("k", -1, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was -1");
    assertThatThrownBy(() -> checker.recordDelete("k", 10, 5, ACKNOWLEDGED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delete ends before it starts: start 10, end 5");
  }

  /**
   * Histories of a correct register (every operation takes effect at one instant inside its
   * interval; a maybe-applied one takes effect or not) give no violation, and the same history
   * with one read changed to return a value an acknowledged write or delete replaced before the
   * read began gives exactly that violation.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void randomCorrectHistories_noFalseAlarm_oneInjectedStaleReadFound(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Op> history = correctHistory(random, 400);
    ConsistencyChecker correct = new ConsistencyChecker();
    history.forEach(op -> op.recordInto(correct));

    assertThat(correct.violations()).as("seed %d", seed).isEmpty();

    Op victim = null;
    long staleValue = 0;
    for (Op op : history) {
      if (op.kind == 'r') {
        long replaced = replacedBefore(history, op);
        if (replaced > 0) {
          victim = op;
          staleValue = replaced;
          break;
        }
      }
    }
    assertThat(victim).as("seed %d has a read after a replaced write", seed).isNotNull();
    ConsistencyChecker faulty = new ConsistencyChecker();
    for (Op op : history) {
      (op == victim ? new Op('r', op.key, staleValue, op.start, op.end, true, op.at) : op)
          .recordInto(faulty);
    }
    long injected = staleValue;
    assertThat(faulty.violations()).as("seed %d", seed).singleElement().satisfies(v -> {
      assertThat(v.read()).isEqualTo(injected);
      assertThat(v.kind()).isIn(Kind.STALE, Kind.RESURRECTED);
    });
  }

  @Test
  void recording_fromManyThreads_keepsEveryEvent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            long id = thread * 10_000L + i + 1;
            checker.recordWrite("k" + (i % 50), id, i, i + 1, ACKNOWLEDGED);
            checker.recordRead("k" + (i % 50), ABSENT, i, i + 1);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(checker.writeCount()).isEqualTo(20_000);
    assertThat(checker.readCount()).isEqualTo(20_000);
  }

  // ------------------------------------------------------------------ a model register

  /** One operation of a generated history; {@code at} is when it took effect (-1: it did not). */
  private record Op(char kind, String key, long value, long start, long end, boolean acked,
      long at) {

    void recordInto(ConsistencyChecker c) {
      switch (kind) {
        case 'w' -> c.recordWrite(key, value, start, end, acked ? ACKNOWLEDGED : MAYBE_APPLIED);
        case 'd' -> c.recordDelete(key, start, end, acked ? ACKNOWLEDGED : MAYBE_APPLIED);
        default -> c.recordRead(key, value, start, end);
      }
    }
  }

  /**
   * Overlapping operations on three keys: each takes effect at a random instant inside its
   * interval, in the order of those instants, and a read returns what its key held at its instant.
   */
  private static List<Op> correctHistory(SplittableRandom random, int count) {
    List<long[]> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = random.nextLong(10_000);
      long end = start + 1 + random.nextLong(300);
      long at = start + random.nextLong(end - start + 1);
      plans.add(new long[] {start, end, at, random.nextInt(10), random.nextInt(3)});
    }
    plans.sort((a, b) -> Long.compare(a[2], b[2]));
    Map<String, Long> register = new HashMap<>();
    List<Op> history = new ArrayList<>();
    long nextId = 1;
    for (long[] p : plans) {
      String key = "k" + p[4];
      int roll = (int) p[3];
      if (roll < 4) {
        long id = nextId++;
        boolean acked = roll != 0;
        boolean applied = acked || (id % 2 == 0);
        if (applied) {
          register.put(key, id);
        }
        history.add(new Op('w', key, id, p[0], p[1], acked, applied ? p[2] : -1));
      } else if (roll == 4) {
        register.remove(key);
        history.add(new Op('d', key, 0, p[0], p[1], true, p[2]));
      } else {
        history.add(new Op('r', key, register.getOrDefault(key, ABSENT), p[0], p[1], true, p[2]));
      }
    }
    return history;
  }

  /**
   * A value the read's key held earlier that an acknowledged write or delete, started after that
   * value's write ended and acknowledged before the read began, had replaced; 0 if none.
   */
  private static long replacedBefore(List<Op> history, Op read) {
    for (Op old : history) {
      if (old.kind != 'w' || !old.key.equals(read.key) || old.value == read.value) {
        continue;
      }
      for (Op newer : history) {
        if (newer.kind != 'r' && newer.acked && newer.key.equals(read.key)
            && newer.start > old.end && newer.end < read.start) {
          return old.value;
        }
      }
    }
    return 0;
  }
}
