package io.ringcache.loadtest.dsl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A complete load test: scenario, injection, chaos steps, assertions, seed and a hard request
 * bound. Immutable; every method returns a copy, so a base simulation can be varied freely.
 *
 * <pre>{@code
 * Simulation.named("read-heavy")
 *     .scenario(Scenario.mix().get(90).put(10).keys(KeyFeeder.zipfian(100_000, 0.99)))
 *     .inject(Injection.constantRate(5_000, Duration.ofSeconds(30)))
 *     .chaos(ChaosStep.at(Duration.ofSeconds(10)).kill("node-2"))
 *     .assertThat(Assertions.p99Below(Duration.ofMillis(5)))
 *     .seed(42)
 *     .maxRequests(1_000_000);
 * }</pre>
 *
 * <p>Every run is bounded twice: by the injection's duration and by {@link #maxRequests()}
 * (default {@value #DEFAULT_MAX_REQUESTS}), whichever comes first.
 */
public final class Simulation {

  public static final long DEFAULT_MAX_REQUESTS = 10_000_000;
  public static final long DEFAULT_SEED = 1;

  private final String name;
  private final Scenario scenario;
  private final Injection injection;
  private final List<ChaosStep> chaos;
  private final List<Assertion> assertions;
  private final long seed;
  private final long maxRequests;

  private Simulation(String name, Scenario scenario, Injection injection, List<ChaosStep> chaos,
      List<Assertion> assertions, long seed, long maxRequests) {
    this.name = name;
    this.scenario = scenario;
    this.injection = injection;
    this.chaos = List.copyOf(chaos);
    this.assertions = List.copyOf(assertions);
    this.seed = seed;
    this.maxRequests = maxRequests;
  }

  /** A simulation with no scenario or injection yet. */
  public static Simulation named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException(String.format(
          "simulation name '%s' must be 1 to 200 characters, not blank", name));
    }
    return new Simulation(name, null, null, List.of(), List.of(), DEFAULT_SEED,
        DEFAULT_MAX_REQUESTS);
  }

  public Simulation scenario(Scenario scenario) {
    Objects.requireNonNull(scenario, "scenario");
    if (scenario.totalWeight() == 0) {
      throw new IllegalArgumentException("scenario has no operations: give at least one a weight");
    }
    return new Simulation(name, scenario, injection, chaos, assertions, seed, maxRequests);
  }

  public Simulation inject(Injection injection) {
    Objects.requireNonNull(injection, "injection");
    return new Simulation(name, scenario, injection, chaos, assertions, seed, maxRequests);
  }

  /** Adds chaos steps; they run in offset order. */
  public Simulation chaos(ChaosStep... steps) {
    List<ChaosStep> all = new ArrayList<>(chaos);
    for (ChaosStep step : steps) {
      all.add(Objects.requireNonNull(step, "chaos step"));
    }
    all.sort(Comparator.comparing(ChaosStep::at));
    return new Simulation(name, scenario, injection, all, assertions, seed, maxRequests);
  }

  /** Adds assertions, evaluated at the end of the run. */
  public Simulation assertThat(Assertion... more) {
    List<Assertion> all = new ArrayList<>(assertions);
    for (Assertion a : more) {
      all.add(Objects.requireNonNull(a, "assertion"));
    }
    return new Simulation(name, scenario, injection, chaos, all, seed, maxRequests);
  }

  /** The seed of every random choice (operations, keys, value sizes and bytes). */
  public Simulation seed(long seed) {
    return new Simulation(name, scenario, injection, chaos, assertions, seed, maxRequests);
  }

  /** Stops issuing requests after this many, even before the injection's end. */
  public Simulation maxRequests(long maxRequests) {
    if (maxRequests < 1) {
      throw new IllegalArgumentException(String.format(
          "maxRequests was %d, must be at least 1", maxRequests));
    }
    return new Simulation(name, scenario, injection, chaos, assertions, seed, maxRequests);
  }

  /**
   * Checks that the simulation can run: a scenario and an injection are set and every chaos step
   * falls within the injection's duration.
   *
   * @throws IllegalStateException naming what is missing or out of range
   */
  public Simulation validate() {
    if (scenario == null) {
      throw new IllegalStateException("simulation '" + name + "' has no scenario");
    }
    if (injection == null) {
      throw new IllegalStateException("simulation '" + name + "' has no injection");
    }
    for (ChaosStep step : chaos) {
      if (step.at().compareTo(injection.duration()) >= 0) {
        throw new IllegalStateException(String.format(
            "chaos step '%s' is at %s, must be before the end of the injection at %s",
            step, step.at(), injection.duration()));
      }
    }
    return this;
  }

  public String name() {
    return name;
  }

  /** The scenario, or {@code null} before {@link #scenario(Scenario)}. */
  public Scenario scenario() {
    return scenario;
  }

  /** The injection, or {@code null} before {@link #inject(Injection)}. */
  public Injection injection() {
    return injection;
  }

  public List<ChaosStep> chaos() {
    return chaos;
  }

  public List<Assertion> assertions() {
    return assertions;
  }

  public long seed() {
    return seed;
  }

  public long maxRequests() {
    return maxRequests;
  }

  @Override
  public String toString() {
    return "Simulation[" + name + ", " + scenario + ", " + injection + ", chaos=" + chaos
        + ", assertions=" + assertions + ", seed=" + seed + ", maxRequests=" + maxRequests + "]";
  }
}
