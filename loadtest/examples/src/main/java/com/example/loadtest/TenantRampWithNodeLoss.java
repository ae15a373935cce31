package com.example.loadtest;

import io.ringcache.loadtest.dsl.Assertions;
import io.ringcache.loadtest.dsl.ChaosStep;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.KeyFeeder;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.dsl.SimulationFactory;
import io.ringcache.loadtest.dsl.ValueSizes;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A multi-tenant cache whose traffic ramps up from a tenth of {@code --rate} to all of it, while
 * {@code node-2} of the local cluster is killed at 40% of the run and started again at 70%. It
 * shows the two things a user's simulation most often adds: its own key distribution (a {@link
 * KeyFeeder} of its own) and chaos steps placed at fractions of whatever duration it is given,
 * since every step must fall within the run.
 *
 * <p>With chaos steps the runner checks every read for staleness and reads every owner's copy at
 * the end, so the run fails on a lost write as well as on the assertions below. Needs a cluster
 * this command starts (not {@code --seeds}) of at least two nodes.
 */
public final class TenantRampWithNodeLoss implements SimulationFactory {

  @Override
  public Simulation create(Duration duration, double rate) {
    long millis = duration.toMillis();
    return Simulation.named("tenant-ramp-with-node-loss")
        .scenario(Scenario.mix().get(70).put(25).delete(5)
            .keys(new TenantKeys(20, 1_000))
            .values(ValueSizes.fixed(256)))
        .inject(Injection.rampRate(Math.max(1, rate / 10), rate, duration))
        .chaos(ChaosStep.at(Duration.ofMillis(millis * 4 / 10)).kill("node-2"),
            ChaosStep.at(Duration.ofMillis(millis * 7 / 10)).start("node-2"))
        .assertThat(Assertions.errorRateBelow(0.01))
        .seed(11);
  }

  /**
   * {@code tenants} tenants of {@code keysPerTenant} keys each: tenant 0 gets half the requests,
   * tenant 1 a quarter, each further tenant half as many as the one before, and the last as many
   * as the one before it; keys are uniform within a tenant. Keys are numbered tenant by tenant, so
   * with 1,000 keys per tenant {@code key:0} to {@code key:999} are tenant 0's. Stateless, as the
   * runner requires: every choice comes from the random stream it passes.
   */
  static final class TenantKeys implements KeyFeeder {
    private final int tenants;
    private final long keysPerTenant;

    TenantKeys(int tenants, long keysPerTenant) {
      this.tenants = tenants;
      this.keysPerTenant = keysPerTenant;
    }

    @Override
    public long keyCount() {
      return tenants * keysPerTenant;
    }

    @Override
    public long nextIndex(SplittableRandom random, long sequence) {
      int tenant = 0;
      while (tenant < tenants - 1 && random.nextBoolean()) {
        tenant++;
      }
      return tenant * keysPerTenant + random.nextLong(keysPerTenant);
    }
  }
}
