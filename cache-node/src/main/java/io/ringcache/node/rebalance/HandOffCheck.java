package io.ringcache.node.rebalance;

import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.Topology;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * How a draining node proves its hand-off before it reports its transfers done: for each target
 * and each range it sent that target, the target's digest of the range must equal this node's
 * ({@code node.replication.AntiEntropy} compares, narrows and repairs). Never fails: a target that
 * cannot be compared shows in the proof as not matched.
 */
@FunctionalInterface
public interface HandOffCheck {

  /** Compares {@code handedOff} ({@code target -> ranges}) at {@code t}'s epoch. */
  Future<HandOffProof> prove(Topology t, Map<String, List<PositionRange>> handedOff);
}
