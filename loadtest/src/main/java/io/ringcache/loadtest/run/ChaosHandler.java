package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.ChaosStep;

/**
 * Carries out chaos steps (kill, start, drain a node) for the runner. The runner calls it at each
 * step's offset on its own thread, one step at a time, and records the returned description (or
 * the failure) as a {@link RunResult.Event}; load keeps flowing meanwhile.
 */
@FunctionalInterface
public interface ChaosHandler {

  /** Performs {@code step}; returns what happened, e.g. {@code "killed node-2 (pid 4711)"}. */
  String run(ChaosStep step) throws Exception;
}
