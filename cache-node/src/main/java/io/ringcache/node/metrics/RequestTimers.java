package io.ringcache.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code ringcache.requests}: one timer per (operation, answer status), recorded on the event
 * loops.
 *
 * <h2>Design</h2>
 * A request costs one array read: timers sit in a flat array indexed by the opcode's and status's
 * ordinals, with tag values precomputed from the enums, so no string is built and no map is
 * searched per request. A slot is filled on the first request with that pair, so the scrape only
 * shows pairs that happened (16 statuses times 12 operations would be almost all zeros), except
 * GET, SET and DELETE answered OK, registered up front so that the series nearly every dashboard
 * uses exist, at zero, from the node's start.
 *
 * <p>Buckets are a fixed set of service-level boundaries, not Micrometer's percentile histogram:
 * that one publishes about 70 buckets per series, this one 13, placed where this node's latencies
 * are (a loopback round trip is tens of microseconds, a forwarded or replicated write one more hop,
 * a replica timeout seconds). Histograms from several nodes add up in PromQL, which client-side
 * percentiles would not.
 *
 * <h2>Concurrency</h2>
 * Several event loops record at once. Two that fill the same empty slot both register the same
 * meter id, and the registry answers both with one timer, so the race is harmless; the atomic
 * array publishes the timer safely.
 */
final class RequestTimers {

  static final String NAME = "ringcache.requests";

  private static final Duration[] BUCKETS = {
      micros(100), micros(250), micros(500), millis(1), micros(2500), millis(5), millis(10),
      millis(25), millis(50), millis(100), millis(250), millis(1000), millis(2500)};

  private static final Opcode[] OPS = Opcode.values();
  private static final Status[] STATUSES = Status.values();
  private static final String[] OP_TAGS = lowerCase(OPS);
  private static final String[] STATUS_TAGS = lowerCase(STATUSES);

  private final MeterRegistry registry;
  private final AtomicReferenceArray<Timer> timers =
      new AtomicReferenceArray<>(OPS.length * STATUSES.length);

  RequestTimers(MeterRegistry registry) {
    this.registry = registry;
    for (Opcode op : new Opcode[] {Opcode.GET, Opcode.SET, Opcode.DELETE}) {
      timers.set(slot(op, Status.OK), register(op, Status.OK));
    }
  }

  void record(Opcode op, Status status, long nanos) {
    int slot = slot(op, status);
    Timer timer = timers.get(slot);
    if (timer == null) {
      timer = register(op, status);
      timers.set(slot, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private static int slot(Opcode op, Status status) {
    return op.ordinal() * STATUSES.length + status.ordinal();
  }

  private Timer register(Opcode op, Status status) {
    return Timer.builder(NAME)
        .tag("op", OP_TAGS[op.ordinal()])
        .tag("status", STATUS_TAGS[status.ordinal()])
        .description("Requests this node answered (client, forwarded and peer), by operation"
            + " and answer status, from decoded request to answer")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private static String[] lowerCase(Enum<?>[] values) {
    String[] names = new String[values.length];
    for (Enum<?> v : values) {
      names[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  private static Duration micros(long n) {
    return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(n));
  }

  private static Duration millis(long n) {
    return Duration.ofMillis(n);
  }
}
