package io.ringcache.node.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every answered request's latency, counted in power-of-two buckets from 16 µs to about 8 s, for
 * {@code /v1/stats} and the admin console. The counts only grow: a reader takes two samples and
 * finds a recent percentile in the difference (the console does, once a second), so the node
 * keeps no window and no clock. The answer is a bucket's upper bound, so a p99 is read as "at
 * most"; Prometheus's {@code ringcache_requests_seconds} histogram is the finer tool.
 *
 * <p>Concurrency: one {@link LongAdder} per bucket, bumped from every event loop.
 */
final class LatencyBuckets {

  /** Upper bounds in microseconds: 16, 32, ... 8,388,608; a last bucket takes the rest. */
  private static final long[] BOUNDS_MICROS = new long[20];

  static {
    for (int i = 0; i < BOUNDS_MICROS.length; i++) {
      BOUNDS_MICROS[i] = 16L << i;
    }
  }

  private final LongAdder[] counts = new LongAdder[BOUNDS_MICROS.length + 1];

  LatencyBuckets() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    int i = 0;
    while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
      i++;
    }
    counts[i].increment();
  }

  /** {@code {"boundsMicros":[16,...], "counts":[n,...]}}; counts has one more (the overflow). */
  JsonObject json() {
    JsonArray bounds = new JsonArray();
    for (long b : BOUNDS_MICROS) {
      bounds.add(b);
    }
    JsonArray n = new JsonArray();
    for (LongAdder c : counts) {
      n.add(c.sum());
    }
    return new JsonObject().put("boundsMicros", bounds).put("counts", n);
  }
}
