/**
 * Runs simulations: {@link io.ringcache.loadtest.run.Runner#run} drives a
 * {@link io.ringcache.loadtest.targets.Target} with a
 * {@link io.ringcache.loadtest.dsl.Simulation} under {@link io.ringcache.loadtest.run.RunOptions}
 * and returns a {@link io.ringcache.loadtest.run.RunResult};
 * {@link io.ringcache.loadtest.run.Summary} renders it. Chaos and consistency checking plug in
 * through {@link io.ringcache.loadtest.run.ChaosHandler} and
 * {@link io.ringcache.loadtest.run.ReadWriteObserver}.
 */
package io.ringcache.loadtest.run;
