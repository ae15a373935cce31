package io.ringcache.loadtest.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulationTest {

  @Test
  void issueExample_builds() {
    Simulation sim = Simulation.named("read-heavy")
        .scenario(Scenario.mix().get(90).put(10)
            .keys(KeyFeeder.zipfian(100_000, 0.99))
            .values(ValueSizes.fixed(100)))
        .inject(Injection.constantRate(5_000, Duration.ofSeconds(30)))
        .chaos(ChaosStep.at(Duration.ofSeconds(10)).kill("node-2"))
        .assertThat(Assertions.p99Below(Duration.ofMillis(5)))
        .seed(42)
        .maxRequests(1_000_000)
        .validate();

    assertThat(sim.scenario().weights()).containsExactly(Map.entry(Op.GET, 90),
        Map.entry(Op.PUT, 10));
    assertThat(sim.chaos()).containsExactly(
        new ChaosStep(Duration.ofSeconds(10), ChaosStep.Action.KILL, "node-2"));
    assertThat(sim.assertions().get(0).description()).isEqualTo("p99 < 5 ms");
    assertThat(sim.seed()).isEqualTo(42);
    assertThat(sim.maxRequests()).isEqualTo(1_000_000);
  }

  @Test
  void withers_returnCopies_baseUnchanged() {
    Simulation base = Simulation.named("base").seed(1);
    Simulation other = base.seed(2).maxRequests(10);
    assertThat(base.seed()).isEqualTo(1);
    assertThat(base.maxRequests()).isEqualTo(Simulation.DEFAULT_MAX_REQUESTS);
    assertThat(other.seed()).isEqualTo(2);
  }

  @Test
  void nextOp_followsWeights() {
    Scenario mix = Scenario.mix().get(70).put(20).delete(10);
    SplittableRandom random = new SplittableRandom(42);
    Map<Op, Integer> counts = new EnumMap<>(Op.class);
    int samples = 100_000;
    for (int i = 0; i < samples; i++) {
      counts.merge(mix.nextOp(random), 1, Integer::sum);
    }
    // 4.5 standard deviations of a binomial share at p = 0.7 over 100k draws is about 0.0065.
    assertThat(counts.get(Op.GET) / (double) samples).isCloseTo(0.7, within(0.0066));
    assertThat(counts.get(Op.PUT) / (double) samples).isCloseTo(0.2, within(0.0057));
    assertThat(counts.get(Op.DELETE) / (double) samples).isCloseTo(0.1, within(0.0043));
    assertThat(counts).doesNotContainKeys(Op.GET_ALL, Op.PUT_IF_ABSENT);
  }

  @Test
  void constantRate_evenlySpaced_rateTimesDuration() {
    Injection.OpenRate rate = Injection.constantRate(1_000, Duration.ofSeconds(2));
    assertThat(rate.totalRequests()).isEqualTo(2_000);
    assertThat(rate.offsetNanos(0)).isZero();
    assertThat(rate.offsetNanos(1)).isEqualTo(1_000_000);
    assertThat(rate.offsetNanos(1_999)).isEqualTo(1_999_000_000);
    assertThat(rate.offsetNanos(2_000)).isEqualTo(-1);
  }

  @Test
  void rampRate_quarterOfRequestsInFirstHalf_fromZero() {
    Injection.OpenRate ramp = Injection.rampRate(0, 1_000, Duration.ofSeconds(2));
    assertThat(ramp.totalRequests()).isEqualTo(1_000);
    long firstHalf = 0;
    long previous = -1;
    for (long i = 0; i < ramp.totalRequests(); i++) {
      long offset = ramp.offsetNanos(i);
      assertThat(offset).isGreaterThanOrEqualTo(previous).isLessThan(2_000_000_000L);
      previous = offset;
      if (offset < 1_000_000_000L) {
        firstHalf++;
      }
    }
    assertThat(firstHalf).isBetween(249L, 251L);
  }

  @Test
  void rampDown_endsAtDuration() {
    Injection.OpenRate ramp = Injection.rampRate(1_000, 0, Duration.ofSeconds(1));
    assertThat(ramp.totalRequests()).isEqualTo(500);
    assertThat(ramp.offsetNanos(499)).isBetween(900_000_000L, 999_999_999L);
  }

  @Test
  void invalidArguments_messagesNameValueAndLimit() {
    assertThatThrownBy(() -> Injection.constantRate(-1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0").hasMessageContaining("between 0 and");
    assertThatThrownBy(() -> Injection.constantRate(10, Duration.ZERO))
        .hasMessageContaining("PT0S").hasMessageContaining("above 0");
    assertThatThrownBy(() -> Injection.users(0, Duration.ofSeconds(1), Duration.ZERO))
        .hasMessageContaining("users was 0").hasMessageContaining("between 1 and 100000");
    assertThatThrownBy(() -> Scenario.mix().get(-3))
        .hasMessageContaining("get weight was -3").hasMessageContaining("between 0 and");
    assertThatThrownBy(() -> Scenario.mix().getAll(1, 0))
        .hasMessageContaining("batch size was 0").hasMessageContaining("between 1 and 10000");
    assertThatThrownBy(() -> ValueSizes.uniform(10, 5))
        .hasMessageContaining("min was 10").hasMessageContaining("at most max 5");
    assertThatThrownBy(() -> Simulation.named("x").maxRequests(0))
        .hasMessageContaining("maxRequests was 0").hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Assertions.errorRateBelow(2))
        .hasMessageContaining("was 2.0").hasMessageContaining("at most 1");
    assertThatThrownBy(() -> Simulation.named("x").scenario(Scenario.mix()))
        .hasMessageContaining("no operations");
  }

  @Test
  void validate_missingPartsAndLateChaos_rejected() {
    Simulation noInjection = Simulation.named("x").scenario(Scenario.mix().get(1));
    assertThatThrownBy(noInjection::validate).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no injection");
    assertThatThrownBy(() -> Simulation.named("x").validate()).hasMessageContaining("no scenario");
    Simulation lateChaos = noInjection
        .inject(Injection.constantRate(10, Duration.ofSeconds(5)))
        .chaos(ChaosStep.at(Duration.ofSeconds(6)).drain("node-1"));
    assertThatThrownBy(lateChaos::validate)
        .hasMessageContaining("PT6S").hasMessageContaining("PT5S");
  }

  @Test
  void assertions_describeScopeAndLimit() {
    assertThat(Assertions.p99Below(Duration.ofMillis(5)).forOp(Op.GET).description())
        .isEqualTo("get p99 < 5 ms");
    assertThat(Assertions.errorRateBelow(0.001).description()).isEqualTo("error rate < 0.1%");
    assertThat(Assertions.throughputAbove(1_000).description())
        .isEqualTo("throughput > 1,000 ops/s");
    assertThat(Assertions.p999Below(Duration.ofNanos(850_000)).description())
        .isEqualTo("p99.9 < 850 µs");
  }
}
