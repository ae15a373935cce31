package io.ringcache.node.replication;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Keeps a node's anti-entropy traffic within a byte rate, as range transfers are paced: each
 * exchange books its bytes' worth of time on one schedule shared by every comparison, and the next
 * waits (on a timer, never blocking) until the schedule is free. Used from one context.
 */
final class Pacer {

  private final Vertx vertx;
  private final long bytesPerSecond;
  private long nextFreeNanos;

  /** @param bytesPerSecond the rate; 0 for unlimited */
  Pacer(Vertx vertx, long bytesPerSecond) {
    this.vertx = vertx;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Books {@code bytes} and completes when the schedule allows the next exchange. */
  Future<Void> pace(long bytes) {
    if (bytesPerSecond <= 0) {
      return Future.succeededFuture();
    }
    long now = System.nanoTime();
    nextFreeNanos = Math.max(now, nextFreeNanos) + bytes * 1_000_000_000L / bytesPerSecond;
    long waitMillis = (nextFreeNanos - now) / 1_000_000;
    if (waitMillis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(waitMillis, id -> p.complete());
    return p.future();
  }
}
