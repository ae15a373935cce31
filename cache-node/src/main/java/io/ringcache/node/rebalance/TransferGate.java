package io.ringcache.node.rebalance;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test hook that holds range transfers at a batch boundary: {@link #close()} makes the next
 * batch wait, {@link #open()} releases it. Open by default; production never closes it. This is
 * the "pause a transfer mid-way" hook the rebalancing tests use instead of timing.
 */
public final class TransferGate {

  private final AtomicReference<Promise<Void>> closed = new AtomicReference<>();

  /**
   * Completes at once when open, else when {@link #open()} is called; either way on
   * {@code context}, the waiting transfer's own, whatever thread opens the gate (the transfer's
   * peer connections belong to that context and must not be touched from another thread).
   */
  public Future<Void> pass(Context context) {
    Promise<Void> p = closed.get();
    if (p == null) {
      return Future.succeededFuture();
    }
    return p.future().compose(v -> {
      Promise<Void> onContext = Promise.promise();
      context.runOnContext(x -> onContext.complete());
      return onContext.future();
    });
  }

  public void close() {
    closed.compareAndSet(null, Promise.promise());
  }

  public void open() {
    Promise<Void> p = closed.getAndSet(null);
    if (p != null) {
      p.tryComplete();
    }
  }
}
