package com.example.loadtest;

import io.ringcache.loadtest.dsl.Assertions;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.KeyFeeder;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.SimulationFactory;
import io.ringcache.loadtest.dsl.ValueSizes;
import java.time.Duration;

/**
 * A session store in front of a web tier: most requests read a session, some refresh it, a few
 * log out. Sessions are popular in a Zipfian way (a few users very active, most idle), and a
 * session is a few hundred bytes to a couple of KB.
 *
 * <p>The command line decides how long and how hard: {@code --duration 10s --rate 500} is a
 * smoke test, {@code --duration 1h --rate 20000} a soak, of the same workload. The assertions are
 * what a service level would say: nearly no errors, and a p99 that a page render can afford.
 *
 * <pre>
 * java -jar loadtest.jar run com.example.loadtest.SessionReads \
 *     --classpath target/ringcache-loadtest-examples.jar --duration 30s --rate 2000
 * </pre>
 */
public final class SessionReads implements SimulationFactory {

  @Override
  public Simulation create(Duration duration, double rate) {
    return Simulation.named("session-reads")
        .scenario(Scenario.mix().get(80).put(15).delete(5)
            .keys(KeyFeeder.zipfian(50_000, 0.9))
            .values(ValueSizes.uniform(200, 2_000)))
        .inject(Injection.constantRate(rate, duration))
        .assertThat(Assertions.errorRateBelow(0.001), Assertions.p99Below(Duration.ofMillis(250)))
        .seed(7);
  }
}
