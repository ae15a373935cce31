/**
 * The load-test DSL: a {@link io.ringcache.loadtest.dsl.Simulation} names a
 * {@link io.ringcache.loadtest.dsl.Scenario} (operation mix, key feeder, value sizes), an
 * {@link io.ringcache.loadtest.dsl.Injection} profile, chaos steps, assertions, a seed and a
 * request bound. Everything here is immutable data validated on construction; the runner in
 * {@code io.ringcache.loadtest.run} executes it.
 */
package io.ringcache.loadtest.dsl;
