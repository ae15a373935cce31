package io.ringcache.node.replication;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of this node's anti-entropy, for {@code /metrics} and the {@code antiEntropy} block of
 * STATS and {@code GET /v1/stats}; the last round's report beside them. Thread-safe.
 */
public final class AntiEntropyStats {

  /** Rounds run (periodic and on demand), whether or not every peer answered. */
  public final LongAdder rounds = new LongAdder();
  /** Comparisons with one peer that failed (timeout, peer gone, epoch changed under them). */
  public final LongAdder failures = new LongAdder();
  /** Top-level ranges whose digests this node compared with a peer's. */
  public final LongAdder rangesCompared = new LongAdder();
  /** Narrowed ranges (a slice, or the piece of one) still different when repair began. */
  public final LongAdder mismatches = new LongAdder();
  /** Entries a repair stored here or had a peer store (merged, not already held). */
  public final LongAdder entriesRepaired = new LongAdder();
  /** Frame bytes of digest and repair requests sent, REPLICATE pushes included. */
  public final LongAdder bytesSent = new LongAdder();
  /** Frame bytes of their answers. */
  public final LongAdder bytesReceived = new LongAdder();
  private volatile JsonObject lastRound = new JsonObject();

  void lastRound(JsonObject round) {
    lastRound = round;
  }

  /** The counters and the last round. */
  public JsonObject json() {
    return new JsonObject()
        .put("rounds", rounds.sum())
        .put("failures", failures.sum())
        .put("rangesCompared", rangesCompared.sum())
        .put("mismatches", mismatches.sum())
        .put("entriesRepaired", entriesRepaired.sum())
        .put("bytesSent", bytesSent.sum())
        .put("bytesReceived", bytesReceived.sum())
        .put("lastRound", lastRound.copy());
  }
}
