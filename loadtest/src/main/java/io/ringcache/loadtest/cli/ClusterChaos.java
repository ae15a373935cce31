package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.dsl.ChaosStep;
import io.ringcache.loadtest.run.ChaosHandler;

/** Chaos steps carried out on a {@link LocalCluster}: kill = SIGKILL, drain = SIGTERM, start. */
final class ClusterChaos implements ChaosHandler {

  private final LocalCluster cluster;

  ClusterChaos(LocalCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String run(ChaosStep step) {
    return switch (step.action()) {
      case KILL -> "killed " + step.node() + " (exit " + cluster.kill(step.node()) + ")";
      case START -> "started " + step.node() + " (pid " + cluster.start(step.node()).pid() + ")";
      case DRAIN -> "drained " + step.node() + " (exit " + cluster.stop(step.node()) + ")";
    };
  }
}
