package io.ringcache.loadtest.dsl;

import java.time.Duration;

/**
 * What a user's load test implements so that {@code loadtest run <class>} can run it, the way a
 * Gatling user extends {@code Simulation}. The command line owns how long and how hard a run is
 * ({@code --duration}, {@code --rate}); the class owns its shape (operation mix, keys, values,
 * chaos, assertions). So one class serves as a ten-second smoke test in CI and as an hour's soak,
 * and the built-in simulations are factories of the same kind.
 *
 * <pre>{@code
 * public final class CartReads implements SimulationFactory {
 *   public Simulation create(Duration duration, double rate) {
 *     return Simulation.named("cart-reads")
 *         .scenario(Scenario.mix().get(95).put(5).keys(KeyFeeder.zipfian(50_000, 0.9)))
 *         .inject(Injection.constantRate(rate, duration))
 *         .assertThat(Assertions.p99Below(Duration.ofMillis(5)));
 *   }
 * }
 * }</pre>
 *
 * <p>Contract: a public class with a public no-argument constructor. {@link #create} may be
 * called more than once per run (a warm-up is a second simulation of the same shape at another
 * duration), so it should build a fresh simulation from its arguments and keep no state. Chaos
 * steps name nodes as the local cluster does ({@code node-1} to {@code node-N}) and should be
 * placed at fractions of {@code duration}, since every step must fall within it.
 */
@FunctionalInterface
public interface SimulationFactory {

  /**
   * The simulation to run.
   *
   * @param duration how long load should be applied ({@code --duration}); positive
   * @param rate requests per second to offer ({@code --rate}), for an open injection; positive.
   *     A closed-model simulation ({@link Injection#users}) may use it to size its users or
   *     ignore it.
   */
  Simulation create(Duration duration, double rate);
}
