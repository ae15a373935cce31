package io.ringcache.node.logging;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log event through per interval and counts the ones it held back, so that an event a
 * client can trigger at will (a refused request) cannot flood the log. Thread-safe and lock-free;
 * shared by every event loop that reports the same event.
 */
public final class EventThrottle {

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong next;
  private final AtomicLong held = new AtomicLong();

  /** One event per {@code intervalMillis} on {@link System#nanoTime()}. */
  public EventThrottle(long intervalMillis) {
    this(intervalMillis, System::nanoTime);
  }

  /** One event per {@code intervalMillis} on the given nanosecond clock (tests). */
  public EventThrottle(long intervalMillis, LongSupplier nanoTime) {
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("intervalMillis must be > 0 but was " + intervalMillis);
    }
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nanoTime = nanoTime;
    this.next = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * Whether to log this occurrence now. Returns -1 to hold it back, otherwise the number of
   * occurrences held back since the last one logged (0 or more).
   */
  public long pass() {
    long now = nanoTime.getAsLong();
    long due = next.get();
    if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
      return held.getAndSet(0);
    }
    held.incrementAndGet();
    return -1;
  }
}
