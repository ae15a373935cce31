package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.Op;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-model pacing loop, run on one scheduler thread.
 *
 * <h2>Design</h2>
 *
 * Request {@code i} is due at {@code t0 + rate.offsetNanos(i)}, its <em>intended</em> start. The
 * loop parks until then ({@link LockSupport#parkNanos}), takes an in-flight permit and sends it;
 * its latency is measured from the intended start, not from the send. When the loop falls behind
 * (a slow send, a full in-flight window, a descheduled thread) it does not skip or shift the
 * schedule: it sends the late requests back to back, and each one's latency includes the time it
 * waited. This is the correction for coordinated omission (G. Tene, "How NOT to Measure
 * Latency"; wrk2): a stalled target shows up in every request that should have been sent during
 * the stall, not in one slow sample.
 *
 * <h2>In-flight cap</h2>
 *
 * At most {@code maxInFlight} requests are outstanding (a {@link Semaphore}), so a dead target
 * cannot make the load generator buffer without bound. A request that finds the window full
 * waits for a permit; its latency keeps growing from its intended start, and the requests behind
 * it wait too. Waiting stops at the issue deadline, one {@link #LATE_ALLOWANCE_NANOS second}
 * after the schedule's end: the requests of the schedule not sent by then are counted as
 * {@code NotIssued} errors (their latency is at least the time they waited, which no histogram
 * can hold honestly), so a dead target shows as errors, never as a short run with good numbers.
 */
final class OpenLoop {

  /** How long after the schedule's end late requests may still be sent. */
  static final long LATE_ALLOWANCE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private OpenLoop() {}

  /**
   * Runs the schedule from {@code t0}; returns when issuing stopped (schedule done, request bound
   * reached, deadline passed or interrupted), as a {@link System#nanoTime()} value. An interrupt
   * while a permit is awaited counts the rest as {@code NotIssued}; one while pacing does not.
   */
  static long run(Injection.OpenRate rate, long t0, long maxRequests, RequestIssuer issuer,
      Semaphore permits, SplittableRandom random, Metrics metrics) {
    long deadline = t0 + rate.duration().toNanos() + LATE_ALLOWANCE_NANOS;
    long total = Math.min(rate.totalRequests(), maxRequests);
    long[] keySequence = {0};
    for (long i = 0; i < total; i++) {
      long offset = rate.offsetNanos(i);
      if (offset < 0) {
        break;
      }
      long intended = t0 + offset;
      for (long wait = intended - System.nanoTime(); wait > 0;
          wait = intended - System.nanoTime()) {
        if (Thread.currentThread().isInterrupted()) {
          return System.nanoTime(); // cancelled: the rest of the schedule is not an error
        }
        LockSupport.parkNanos(wait);
      }
      if (!acquire(permits, deadline)) {
        countNotIssued(total - i, issuer, random, metrics);
        return System.nanoTime();
      }
      Op op = issuer.nextOp(random);
      issuer.issue(op, random, () -> keySequence[0]++, intended, permits::release);
    }
    long scheduleEnd = t0 + rate.duration().toNanos();
    // The whole schedule ran: load lasted its duration. Cut short by maxRequests: until now.
    return total < rate.totalRequests() ? Math.min(System.nanoTime(), scheduleEnd) : scheduleEnd;
  }

  private static boolean acquire(Semaphore permits, long deadline) {
    if (permits.tryAcquire()) {
      return true;
    }
    try {
      long left = deadline - System.nanoTime();
      return left > 0 && permits.tryAcquire(left, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Attributes the unsent rest of the schedule to operations with the same weighted draw. */
  private static void countNotIssued(long n, RequestIssuer issuer, SplittableRandom random,
      Metrics metrics) {
    long[] byOp = new long[Op.values().length];
    for (long k = 0; k < n; k++) {
      byOp[issuer.nextOp(random).ordinal()]++;
    }
    for (Op op : Op.values()) {
      if (byOp[op.ordinal()] > 0) {
        metrics.countError(op, "NotIssued", byOp[op.ordinal()]);
      }
    }
  }
}
