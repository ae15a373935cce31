package io.ringcache.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.loadtest.dsl.Assertions;
import io.ringcache.loadtest.dsl.ChaosStep;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.KeyFeeder;
import io.ringcache.loadtest.dsl.Op;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.ValueSizes;
import io.ringcache.loadtest.run.FakeTarget.StallMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunnerTest {

  private static final Scenario READS = Scenario.mix().get(90).put(10)
      .keys(KeyFeeder.zipfian(1_000, 0.99)).values(ValueSizes.fixed(100));

  private final FakeTarget target = new FakeTarget();

  @AfterEach
  void closeTarget() {
    target.close();
  }

  /**
   * The target stalls for 200 ms starting at request 700 of a 1,000/s run, either blocking the
   * sending thread or holding its answers (then with only 16 requests in flight allowed). About
   * 200 requests were due during the stall; the one due {@code k} ms into it must show at least
   * {@code 200 - k} ms, so about 100 requests exceed 100 ms and p99 (the 20th worst of 2,000) is
   * at least 180 ms. Measuring from the actual send would show one slow request, or 16.
   */
  @ParameterizedTest
  @EnumSource(StallMode.class)
  void stall_everyRequestDueDuringIt_countsTheRemainingStall(StallMode mode) {
    target.stallAtCall(700, Duration.ofMillis(200), mode);
    Simulation sim = Simulation.named("stall").scenario(Scenario.mix().get(1))
        .inject(Injection.constantRate(1_000, Duration.ofSeconds(2)));
    RunOptions options = RunOptions.builder()
        .maxInFlight(mode == StallMode.HOLD_ANSWERS ? 16 : 1024).build();

    RunResult result = Runner.run(sim, target, options);

    RunResult.OpStats get = result.ops().get(0);
    assertThat(get.count()).isEqualTo(2_000);
    assertThat(get.errors()).isZero();
    long over100ms = get.distribution().stream().filter(b -> b.upToMicros() > 100_000)
        .mapToLong(RunResult.Bucket::count).sum();
    // Corrected for coordinated omission, every request due in the stall's first 100 ms waits
    // over 100 ms: about 100 of them, where an uncorrected runner would count one. The machine's
    // own pauses can only add to that, so there is no ceiling: the floor is the check.
    assertThat(over100ms).isGreaterThanOrEqualTo(90L);
    assertThat(get.p99Micros()).isGreaterThanOrEqualTo(150_000);
    assertThat(get.maxMicros()).isGreaterThanOrEqualTo(195_000);
  }

  @Test
  void openModel_issuesRateTimesDuration_everyOpRecorded() {
    Scenario mix = Scenario.mix().get(50).put(20).putIfAbsent(10).delete(10).getAll(10, 5)
        .keys(KeyFeeder.uniform(500)).values(ValueSizes.uniform(10, 200));
    Simulation sim = Simulation.named("open").scenario(mix)
        .inject(Injection.constantRate(2_000, Duration.ofSeconds(2)));
    Queue<String> progress = new ConcurrentLinkedQueue<>();
    RunOptions options = RunOptions.builder().progress(progress::add)
        .progressEvery(Duration.ofSeconds(1)).build();

    RunResult result = Runner.run(sim, target, options);

    long total = result.ops().stream().mapToLong(RunResult.OpStats::count).sum();
    // The schedule holds exactly 4,000 requests; 1% either way allows for nothing but a bug.
    assertThat(total).isBetween(3_960L, 4_040L);
    assertThat(result.errors()).isEmpty();
    assertThat(result.ops()).extracting(RunResult.OpStats::op)
        .containsExactly("get", "put", "putIfAbsent", "delete", "getAll");
    assertThat(result.ops().get(0).count()).isBetween(1_800L, 2_200L);
    for (RunResult.OpStats s : result.ops()) {
      assertThat(s.distribution().stream().mapToLong(RunResult.Bucket::count).sum())
          .isEqualTo(s.count());
    }
    assertThat(result.timeline().stream().mapToLong(RunResult.Interval::requests).sum())
        .isEqualTo(total);
    assertThat(result.timeline()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(result.durationMillis()).isEqualTo(2_000);
    assertThat(progress).isNotEmpty().allMatch(line -> line.contains("req/s"))
        .anyMatch(line -> line.startsWith("[00:01/00:02, ETA 00:01]"));
    assertThat(Summary.table(result)).contains("getAll", "p99", "RESULT: PASSED");
    // The interval histograms behind the .hlog and the spectrum hold every successful request,
    // each operation under its own tag, in intervals that tile the run without gaps.
    assertThat(result.latencies().ops())
        .containsExactly("get", "put", "putIfAbsent", "delete", "getAll");
    for (RunResult.OpStats s : result.ops()) {
      assertThat(result.latencies().total(s.op()).getTotalCount()).as(s.op())
          .isEqualTo(s.count() - s.errors());
    }
    long[] lastEnd = {0};
    result.latencies().forEachInterval((op, start, end, histogram) -> {
      if (op.equals("get")) {
        assertThat(start).isEqualTo(lastEnd[0]);
        assertThat(end).isGreaterThanOrEqualTo(start);
        lastEnd[0] = end;
      }
    });
    assertThat(lastEnd[0]).isGreaterThanOrEqualTo(2_000);
  }

  /**
   * 10 users thinking 20 ms on a target that answers at once: at most about 500 requests per
   * second, however fast the target. Only that ceiling is checked: a loaded machine can only
   * make the users slower, while a runner that skipped the think time would send thousands.
   */
  @Test
  void closedModel_withThinkTime_usersOverThinkTime() {
    Simulation sim = Simulation.named("closed").scenario(READS)
        .inject(Injection.users(10, Duration.ofSeconds(2), Duration.ofMillis(20)));

    RunResult result = Runner.run(sim, target, RunOptions.defaults());

    double rate = result.ops().stream().mapToDouble(RunResult.OpStats::opsPerSecond).sum();
    assertThat(rate).isPositive().isLessThanOrEqualTo(500 * 1.15);
    assertThat(result.durationMillis()).isEqualTo(2_000);
  }

  @Test
  void assertions_violatedOneFailsRun_heldOnesPass() {
    Simulation base = Simulation.named("asserts").scenario(READS)
        .inject(Injection.constantRate(1_000, Duration.ofMillis(500)));

    RunResult held = Runner.run(base.assertThat(Assertions.p99Below(Duration.ofSeconds(1)),
        Assertions.p99Below(Duration.ofSeconds(1)).forOp(Op.PUT),
        Assertions.errorRateBelow(0.01), Assertions.throughputAbove(100)), target,
        RunOptions.defaults());
    RunResult violated = Runner.run(base.assertThat(Assertions.p99Below(Duration.ofSeconds(1)),
        Assertions.throughputAbove(1_000_000)), target, RunOptions.defaults());

    assertThat(held.assertions()).hasSize(4).allMatch(RunResult.AssertionResult::passed);
    assertThat(held.passed()).isTrue();
    assertThat(violated.assertions()).extracting(RunResult.AssertionResult::passed)
        .containsExactly(true, false);
    assertThat(violated.assertions().get(1).description())
        .isEqualTo("throughput > 1,000,000 ops/s");
    assertThat(violated.passed()).isFalse();
    assertThat(Summary.table(violated)).contains("[FAIL] throughput", "RESULT: FAILED");
  }

  @Test
  void failures_countedByType_failErrorRateAssertion() {
    target.failing(new IllegalStateException("boom"));
    Simulation sim = Simulation.named("failing").scenario(READS)
        .inject(Injection.constantRate(1_000, Duration.ofMillis(300)))
        .assertThat(Assertions.errorRateBelow(0.001));

    RunResult result = Runner.run(sim, target, RunOptions.defaults());

    assertThat(result.errors()).containsOnlyKeys("IllegalStateException");
    assertThat(result.errors().get("IllegalStateException")).isEqualTo(300);
    assertThat(result.passed()).isFalse();
    assertThat(result.assertions().get(0).actual()).contains("300 of 300");
  }

  @Test
  void errorType_unwrapsCompletionException() {
    assertThat(Metrics.errorType(new CompletionException(new TimeoutException())))
        .isEqualTo("TimeoutException");
  }

  @Test
  void chaos_handlerCalledAtOffset_recordedAsEvent() {
    Queue<ChaosStep> seen = new ConcurrentLinkedQueue<>();
    ChaosHandler handler = step -> {
      seen.add(step);
      if (step.action() == ChaosStep.Action.DRAIN) {
        throw new IllegalStateException("no such node");
      }
      return "killed " + step.node();
    };
    Simulation sim = Simulation.named("chaos").scenario(READS)
        .inject(Injection.constantRate(200, Duration.ofMillis(1_500)))
        .chaos(ChaosStep.at(Duration.ofMillis(500)).kill("node-2"),
            ChaosStep.at(Duration.ofMillis(200)).drain("node-9"));

    RunResult result = Runner.run(sim, target, RunOptions.builder().chaosHandler(handler).build());

    assertThat(seen).extracting(ChaosStep::node).containsExactly("node-9", "node-2");
    assertThat(result.events()).hasSize(2);
    RunResult.Event drain = result.events().get(0);
    assertThat(drain.kind()).isEqualTo("drain");
    // Never before its offset; how late depends on the machine, so no ceiling.
    assertThat(drain.offsetMillis()).isGreaterThanOrEqualTo(200L);
    assertThat(drain.detail()).contains("failed", "IllegalStateException", "no such node");
    RunResult.Event kill = result.events().get(1);
    assertThat(kill).extracting(RunResult.Event::kind, RunResult.Event::detail)
        .containsExactly("kill", "killed node-2");
    assertThat(kill.offsetMillis()).isGreaterThanOrEqualTo(500L)
        .isGreaterThanOrEqualTo(drain.offsetMillis());
  }

  @Test
  void maxRequests_stopsOpenRunEarly_unreachedChaosSkipped() {
    Simulation sim = Simulation.named("bounded").scenario(READS)
        .inject(Injection.constantRate(1_000, Duration.ofSeconds(10)))
        .chaos(ChaosStep.at(Duration.ofSeconds(9)).kill("node-1"))
        .maxRequests(300);
    AtomicLong calls = new AtomicLong();

    RunResult result = Runner.run(sim, target,
        RunOptions.builder().chaosHandler(step -> "called " + calls.incrementAndGet()).build());

    assertThat(target.calls()).isEqualTo(300);
    assertThat(result.ops().stream().mapToLong(RunResult.OpStats::count).sum()).isEqualTo(300);
    // Stopped before its 10 s schedule ran out (the chaos step at 9 s was never reached).
    assertThat(result.durationMillis()).isLessThan(10_000);
    assertThat(calls).hasValue(0);
    assertThat(result.events()).singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("skipped"));
  }

  @Test
  void maxRequests_stopsClosedRun() {
    Simulation sim = Simulation.named("bounded-closed").scenario(READS)
        .inject(Injection.users(4, Duration.ofSeconds(10), Duration.ZERO))
        .maxRequests(500);

    RunResult result = Runner.run(sim, target, RunOptions.defaults());

    assertThat(target.calls()).isEqualTo(500);
    assertThat(result.durationMillis()).isLessThan(10_000);
  }

  /** Users without think time never stop by themselves: a run that ignored its duration hangs. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void duration_stopsClosedRunWithoutThinkTime() {
    Simulation sim = Simulation.named("timed").scenario(READS)
        .inject(Injection.users(4, Duration.ofSeconds(1), Duration.ZERO));

    RunResult result = Runner.run(sim, target, RunOptions.defaults());

    assertThat(result.durationMillis()).isEqualTo(1_000);
    assertThat(target.calls()).isPositive();
  }

  /**
   * A target that never answers: 8 requests fill the in-flight window, the other 92 of the
   * schedule wait for a permit until the issue deadline and are counted as not issued; the run
   * still ends, after the schedule, the late allowance and the drain timeout.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void deadTarget_inFlightCapHolds_runEndsWithErrors() {
    target.silent();
    Simulation sim = Simulation.named("dead").scenario(READS)
        .inject(Injection.constantRate(100, Duration.ofSeconds(1)))
        .assertThat(Assertions.errorRateBelow(0.5));

    RunResult result = Runner.run(sim, target, RunOptions.builder().maxInFlight(8)
        .drainTimeout(Duration.ofMillis(200)).build());

    assertThat(target.calls()).isEqualTo(8);
    assertThat(result.errors()).isEqualTo(Map.of("NotCompleted", 8L, "NotIssued", 92L));
    assertThat(result.passed()).isFalse();
  }

  @Test
  void sameSeed_sameRequests_otherSeedOthers() {
    Simulation sim = Simulation.named("seeded").scenario(READS)
        .inject(Injection.constantRate(10_000, Duration.ofSeconds(1))).maxRequests(200);

    List<String> first = keysOf(sim.seed(42));
    List<String> again = keysOf(sim.seed(42));
    List<String> other = keysOf(sim.seed(43));

    assertThat(first).hasSize(200).isEqualTo(again).isNotEqualTo(other);
  }

  @Test
  void observer_seesWritesAndReads_readsNameTheWriteTheyReturn() {
    AtomicLong writes = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    Set<Long> written = ConcurrentHashMap.newKeySet();
    Set<Long> read = ConcurrentHashMap.newKeySet();
    ReadWriteObserver observer = new ReadWriteObserver() {
      @Override
      public void onWrite(String key, long writeId, long startNanos, long endNanos,
          boolean acknowledged) {
        assertThat(acknowledged).isTrue();
        assertThat(written.add(writeId)).as("write id %d unique", writeId).isTrue();
        writes.incrementAndGet();
      }

      @Override
      public void onDelete(String key, long startNanos, long endNanos, boolean acknowledged) {
        throw new AssertionError("no deletes in this scenario");
      }

      @Override
      public void onRead(String key, long writeId, long startNanos, long endNanos) {
        assertThat(endNanos).isGreaterThanOrEqualTo(startNanos);
        if (writeId != ABSENT) {
          read.add(writeId);
        }
        reads.incrementAndGet();
      }

      @Override
      public RunResult.Consistency totals() {
        return new RunResult.Consistency(writes.get(), reads.get(), 1, 0);
      }
    };
    Simulation sim = Simulation.named("observed").scenario(READS)
        .inject(Injection.constantRate(1_000, Duration.ofMillis(400)));

    RunResult result = Runner.run(sim, target, RunOptions.builder().observer(observer).build());

    assertThat(writes.get() + reads.get()).isEqualTo(400);
    assertThat(written).allMatch(id -> id > 0);
    assertThat(read).as("reads of written keys").isNotEmpty();
    assertThat(written).as("every id read was written").containsAll(read);
    assertThat(result.consistency()).isEqualTo(
        new RunResult.Consistency(writes.get(), reads.get(), 1, 0));
    assertThat(result.passed()).isFalse();
    assertThat(Runner.run(sim, target, RunOptions.defaults()).consistency()).isNull();
  }

  @Test
  void closedModel_moreUsersThanInFlight_rejected() {
    Simulation sim = Simulation.named("crowd").scenario(READS)
        .inject(Injection.users(20, Duration.ofSeconds(1), Duration.ZERO));
    assertThatThrownBy(() -> Runner.run(sim, target, RunOptions.builder().maxInFlight(8).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("users was 20").hasMessageContaining("maxInFlight 8");
  }

  private List<String> keysOf(Simulation sim) {
    try (FakeTarget fresh = new FakeTarget()) {
      Runner.run(sim, fresh, RunOptions.defaults());
      return fresh.keysRequested();
    }
  }
}
