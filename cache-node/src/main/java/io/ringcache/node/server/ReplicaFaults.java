package io.ringcache.node.server;

import java.time.Duration;

/**
 * A test hook, like the rebalancer's transfer gate: makes this node answer every replica write
 * (REPLICATE and each entry of a REPLICATE_BATCH) with BUSY for a while, as a replica whose
 * connection limit is reached would. A coordinating owner then cannot acknowledge its writes and
 * answers them "maybe applied", which is how tests make clients resend writes on purpose rather
 * than by the luck of scheduling. Off unless a test calls {@link #refuseFor}; thread-safe.
 */
public final class ReplicaFaults {

  private volatile long refuseUntilNanos;
  private volatile boolean refusing;

  /** Refuses replica writes from now for {@code duration}. */
  public void refuseFor(Duration duration) {
    refuseUntilNanos = System.nanoTime() + duration.toNanos();
    refusing = true;
  }

  /** Whether a replica write arriving now is refused. */
  boolean refusing() {
    if (!refusing) {
      return false;
    }
    if (System.nanoTime() - refuseUntilNanos < 0) {
      return true;
    }
    refusing = false;
    return false;
  }
}
