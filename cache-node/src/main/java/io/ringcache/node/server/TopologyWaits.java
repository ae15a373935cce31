package io.ringcache.node.server;

import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Topology;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a request on one event loop wait, bounded, for this node to install a newer topology.
 *
 * <h2>Design</h2>
 * A write that meets a replica on another epoch, or a replica that cannot be reached, is not
 * lost: a topology change is under way, and the next topology names the owners to send it to.
 * The request waits here for that topology (or for its deadline), then routes again. Waits are
 * kept in a plain list, because there are few at a time and only around a topology change.
 *
 * <h2>Concurrency</h2>
 * One instance per event loop, used only from it. {@link TopologyHolder} calls its listener on
 * whatever thread installs a topology; the listener hops onto this loop's context before touching
 * the list.
 *
 * <h2>Failure</h2>
 * A wait that times out completes with the topology installed at that moment (possibly the same
 * one), never with a failure: the caller decides what an unchanged topology means. Every wait
 * completes exactly once.
 */
final class TopologyWaits {

  private final Context context;
  private final TopologyHolder topology;
  private final List<Wait> waits = new ArrayList<>();

  private record Wait(long epoch, Promise<Topology> promise, long timer) {}

  TopologyWaits(Context context, TopologyHolder topology) {
    this.context = context;
    this.topology = topology;
    topology.onInstall(t -> context.runOnContext(v -> installed(t)));
  }

  /**
   * Completes with the first installed topology whose epoch is above {@code epoch}, or with the
   * current one after {@code timeoutMillis}. Completes at once when a newer one is already in.
   */
  Future<Topology> newerThan(long epoch, long timeoutMillis) {
    Topology now = topology.current();
    if (now.epoch() > epoch || timeoutMillis <= 0) {
      return Future.succeededFuture(now);
    }
    Promise<Topology> promise = Promise.promise();
    long timer = context.owner().setTimer(timeoutMillis, id -> {
      waits.removeIf(w -> w.timer() == id);
      promise.tryComplete(topology.current());
    });
    waits.add(new Wait(epoch, promise, timer));
    return promise.future();
  }

  private void installed(Topology t) {
    if (waits.isEmpty()) {
      return;
    }
    // Installs may be reported out of order; the holder's current one is the newest.
    Topology latest = topology.current().epoch() >= t.epoch() ? topology.current() : t;
    waits.removeIf(w -> {
      if (latest.epoch() <= w.epoch()) {
        return false;
      }
      context.owner().cancelTimer(w.timer());
      w.promise().tryComplete(latest);
      return true;
    });
  }
}
