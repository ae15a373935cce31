package io.ringcache.node.server;

import io.ringcache.protocol.Key;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook, like the rebalancer's transfer gate: makes this node answer every replica write
 * (REPLICATE and each entry of a REPLICATE_BATCH) with BUSY for a while, as a replica whose
 * connection limit is reached would. A coordinating owner then cannot acknowledge its writes and
 * answers them "maybe applied", which is how tests make clients resend writes on purpose rather
 * than by the luck of scheduling. It can also acknowledge a replica write without storing it
 * ({@link #dropSilently}): a replica that loses data below its acknowledgement, which only
 * anti-entropy or a drain's proof can notice. Off unless a test calls one of them; thread-safe.
 */
public final class ReplicaFaults {

  private volatile long refuseUntilNanos;
  private volatile boolean refusing;
  private final Map<Key, AtomicInteger> silentDrops = new ConcurrentHashMap<>();
  private volatile boolean dropping;

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

  /**
   * Answers OK to the next {@code times} replica writes (replication, transfer and repair
   * entries alike) of each of {@code keys}, and stores nothing.
   */
  public void dropSilently(Collection<Key> keys, int times) {
    for (Key k : keys) {
      silentDrops.put(k, new AtomicInteger(times));
    }
    dropping = true;
  }

  /** Whether a replica write of {@code key} arriving now is acknowledged and not stored. */
  boolean dropsSilently(Key key) {
    if (!dropping) {
      return false;
    }
    AtomicInteger left = silentDrops.get(key);
    return left != null && left.getAndDecrement() > 0;
  }
}
