package io.ringcache.node.rebalance;

import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * After a partition this node was on the smaller side of, hands every entry it holds back to the
 * owners the majority chose, before it drops what it no longer owns.
 *
 * <h2>Why</h2>
 * Under {@code partition-policy majority} the larger side replaces the members it lost as if they
 * had crashed. A range whose every replica was on the smaller side has no source there, so the
 * larger side serves it as empty, while the smaller side, which refuses writes, still holds the
 * acknowledged writes of that range. The returning node rejoins afresh, under new tokens, and
 * would drop everything its new ranges do not cover: without this hand-back those writes would
 * be lost at the heal.
 *
 * <h2>Design</h2>
 * A heal ({@code PartitionGuard.onHeal}) marks the hand-back pending; while it is, the rebalancer
 * drops no unowned entries. At the first STABLE topology with every node UP, the node sends each
 * entry, tombstones included, to every other live read owner of its key ({@link
 * RangeTransfer#handBack}); receivers merge by version, so the newest version wins on every
 * owner, whichever side wrote it. Once every target took its share the mark clears and {@code
 * onDone} runs (the rebalancer then drops what the node does not own). A failed attempt (the epoch
 * moved on, a target did not answer) is retried on the next STABLE topology or after {@link
 * #RETRY_MILLIS}.
 *
 * <h2>Concurrency</h2>
 * Runs on the rebalancer's context. {@link #pending()} is volatile: the maintenance thread that
 * drops entries reads it.
 */
final class HealHandBack {

  private static final Logger LOG = Logger.getLogger(HealHandBack.class.getName());
  static final long RETRY_MILLIS = 2000;

  private final Vertx vertx;
  private final Context context;
  private final String self;
  private final TopologyHolder holder;
  private final RangeTransfer transfer;
  private final Consumer<Topology> onDone;
  private volatile boolean pending;
  private boolean running;
  private boolean closed;

  HealHandBack(Vertx vertx, Context context, String self, TopologyHolder holder,
      RangeTransfer transfer, Consumer<Topology> onDone) {
    this.vertx = vertx;
    this.context = context;
    this.self = self;
    this.holder = holder;
    this.transfer = transfer;
    this.onDone = onDone;
  }

  /** Marks the hand-back pending at once (no drop may slip in) and tries it on the context. */
  void healed() {
    pending = true;
    context.runOnContext(v -> {
      NodeLog.event(LOG, Level.INFO, "handback.pending", self, holder.epoch(),
          "node '" + self + "' sees a majority again: it hands back what it holds before it drops"
              + " anything");
      tryRun(holder.current());
    });
  }

  /** Whether a heal's hand-back has not finished yet: unowned entries must stay. */
  boolean pending() {
    return pending;
  }

  /** On the context: starts the hand-back if one is pending and {@code t} allows it. */
  void tryRun(Topology t) {
    if (!pending || running || closed || t.epoch() != holder.epoch()
        || t.phase() != Topology.Phase.STABLE || t.readRing().isEmpty()
        || t.nodes().stream().anyMatch(n -> n.state() != NodeAddress.State.UP)) {
      return;
    }
    running = true;
    long start = System.nanoTime();
    transfer.handBack(t).onComplete(ar -> {
      running = false;
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        pending = false;
        NodeLog.event(LOG, Level.INFO, "handback.done", self, t.epoch(), String.format(
            "node '%s' handed back %d entries to their owners in %d ms", self, ar.result(),
            (System.nanoTime() - start) / 1_000_000));
        onDone.accept(holder.current());
      } else {
        NodeLog.event(LOG, Level.WARNING, "handback.retry", self, t.epoch(),
            "hand-back after the heal failed (" + ar.cause().getMessage() + "); retrying");
        vertx.setTimer(RETRY_MILLIS, id -> context.runOnContext(x -> tryRun(holder.current())));
      }
    });
  }

  void close() {
    closed = true;
  }
}
