package io.ringcache.node.rebalance;

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

  /** Completes at once when open, else when {@link #open()} is called. */
  public Future<Void> pass() {
    Promise<Void> p = closed.get();
    return p == null ? Future.succeededFuture() : p.future();
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
