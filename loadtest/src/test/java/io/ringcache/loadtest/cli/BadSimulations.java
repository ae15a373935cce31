package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.SimulationFactory;
import java.time.Duration;

/** Simulation classes that are wrong in one way each, for the command's answers to bad input. */
final class BadSimulations {

  private BadSimulations() {}

  /** A class, but no factory. */
  public static final class NotAFactory {}

  public abstract static class Abstract implements SimulationFactory {}

  static final class NotPublic implements SimulationFactory {
    @Override
    public Simulation create(Duration duration, double rate) {
      return null;
    }
  }

  public static final class NeedsArgument implements SimulationFactory {
    public NeedsArgument(int users) {}

    @Override
    public Simulation create(Duration duration, double rate) {
      return null;
    }
  }

  public static final class ConstructorThrows implements SimulationFactory {
    public ConstructorThrows() {
      throw new IllegalStateException("no config file\nat /etc/sim.conf");
    }

    @Override
    public Simulation create(Duration duration, double rate) {
      return null;
    }
  }

  public static final class CreateThrows implements SimulationFactory {
    @Override
    public Simulation create(Duration duration, double rate) {
      throw new IllegalArgumentException("rate too low");
    }
  }

  public static final class ReturnsNull implements SimulationFactory {
    @Override
    public Simulation create(Duration duration, double rate) {
      return null;
    }
  }

  /** No scenario: the simulation does not validate. */
  public static final class Incomplete implements SimulationFactory {
    @Override
    public Simulation create(Duration duration, double rate) {
      return Simulation.named("no-scenario").inject(Injection.constantRate(rate, duration));
    }
  }

  /** A good one, so the tests also see a class that passes every check. */
  public static final class Fine implements SimulationFactory {
    @Override
    public Simulation create(Duration duration, double rate) {
      return Simulation.named("fine").scenario(Scenario.mix().get(1))
          .inject(Injection.constantRate(rate, duration));
    }
  }
}
