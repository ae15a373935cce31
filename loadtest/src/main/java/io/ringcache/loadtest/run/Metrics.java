package io.ringcache.loadtest.run;

import io.ringcache.client.CacheException;
import io.ringcache.loadtest.dsl.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

/**
 * Latencies and errors of one run.
 *
 * <p>Concurrency: {@link #success} and {@link #failure} run on whatever thread completes a
 * request; they touch only an HdrHistogram {@link Recorder} (wait-free writers) and atomic
 * counters. Everything else ({@link #snapshot}, totals, the progress window) is guarded by this
 * object's lock and runs on the ticker thread, then once more on the runner thread at the end.
 * Latencies of successful requests go to the histograms, in microseconds with 3 significant
 * digits; failed requests are counted by error type and have no latency.
 */
final class Metrics {

  static final int DIGITS = 3;

  private final List<Op> ops;
  private final Recorder[] recorders = new Recorder[Op.values().length];
  private final AtomicLong[] intervalErrors = new AtomicLong[Op.values().length];
  private final AtomicLong[] inFlight = new AtomicLong[Op.values().length];
  private final Map<String, LongAdder> errorsByType = new ConcurrentHashMap<>();

  private final Histogram[] totals = new Histogram[Op.values().length];
  private final long[] totalErrors = new long[Op.values().length];
  private final List<RunResult.Interval> timeline = new ArrayList<>();
  private final LatencyLog.Builder log = LatencyLog.builder();
  private final Histogram window = new Histogram(DIGITS);
  private long windowRequests;
  private long windowErrors;
  private long allRequests;
  private long allErrors;

  Metrics(List<Op> ops) {
    this.ops = List.copyOf(ops);
    for (Op op : Op.values()) {
      recorders[op.ordinal()] = new Recorder(DIGITS);
      intervalErrors[op.ordinal()] = new AtomicLong();
      inFlight[op.ordinal()] = new AtomicLong();
      totals[op.ordinal()] = new Histogram(DIGITS);
    }
  }

  void issued(Op op) {
    inFlight[op.ordinal()].incrementAndGet();
  }

  void success(Op op, long latencyNanos) {
    recorders[op.ordinal()].recordValue(Math.max(0, latencyNanos / 1_000));
    inFlight[op.ordinal()].decrementAndGet();
  }

  void failure(Op op, Throwable error) {
    countError(op, errorType(error), 1);
    inFlight[op.ordinal()].decrementAndGet();
  }

  /** Counts {@code n} failures of {@code op} that never reached the target (or never returned). */
  void countError(Op op, String type, long n) {
    intervalErrors[op.ordinal()].addAndGet(n);
    errorsByType.computeIfAbsent(type, k -> new LongAdder()).add(n);
  }

  /**
   * Counts every request still in flight as a {@code NotCompleted} error. A completion racing
   * this call may be counted both ways; it can only happen at the drain deadline.
   */
  void abandonInFlight() {
    for (Op op : ops) {
      long n = inFlight[op.ordinal()].getAndSet(0);
      if (n > 0) {
        countError(op, "NotCompleted", n);
      }
    }
  }

  /**
   * Closes the interval from {@code offsetMillis} to {@code endOffsetMillis}, adds it to the
   * timeline and its histograms, one per operation, to the {@link LatencyLog}.
   */
  synchronized RunResult.Interval snapshot(long offsetMillis, long endOffsetMillis) {
    Histogram merged = new Histogram(DIGITS);
    Map<String, Long> byOp = new LinkedHashMap<>();
    long requests = 0;
    long errors = 0;
    for (Op op : ops) {
      Histogram h = recorders[op.ordinal()].getIntervalHistogram();
      log.add(op.label(), offsetMillis, endOffsetMillis, h);
      long e = intervalErrors[op.ordinal()].getAndSet(0);
      merged.add(h);
      totals[op.ordinal()].add(h);
      totalErrors[op.ordinal()] += e;
      byOp.put(op.label(), h.getTotalCount() + e);
      requests += h.getTotalCount() + e;
      errors += e;
    }
    window.add(merged);
    windowRequests += requests;
    windowErrors += errors;
    allRequests += requests;
    allErrors += errors;
    RunResult.Interval interval = new RunResult.Interval(offsetMillis, requests, errors,
        Map.copyOf(byOp), merged.getValueAtPercentile(50), merged.getValueAtPercentile(99),
        merged.getValueAtPercentile(99.9));
    timeline.add(interval);
    return interval;
  }

  /**
   * The console line for the window since the previous call: time elapsed of {@code totalMillis}
   * and left, rate, p50/p99, errors, totals.
   */
  synchronized String progressLine(long offsetMillis, long windowMillis, long totalMillis) {
    double rate = windowRequests * 1_000.0 / Math.max(1, windowMillis);
    String line = String.format(
        "%s %,10.0f req/s | p50 %9s | p99 %9s | errors %,d | total %,d requests, %,d errors",
        ProgressClock.elapsedOfTotal(offsetMillis, totalMillis), rate,
        Summary.micros(window.getValueAtPercentile(50)),
        Summary.micros(window.getValueAtPercentile(99)), windowErrors, allRequests, allErrors);
    window.reset();
    windowRequests = 0;
    windowErrors = 0;
    return line;
  }

  synchronized LatencyLog latencyLog() {
    return log.build();
  }

  synchronized List<RunResult.Interval> timeline() {
    return List.copyOf(timeline);
  }

  /** A copy of {@code op}'s total histogram. */
  synchronized Histogram total(Op op) {
    return totals[op.ordinal()].copy();
  }

  synchronized long totalErrors(Op op) {
    return totalErrors[op.ordinal()];
  }

  List<Op> ops() {
    return ops;
  }

  Map<String, Long> errorsByType() {
    Map<String, Long> out = new TreeMap<>();
    errorsByType.forEach((type, n) -> out.put(type, n.sum()));
    return out;
  }

  /** Totals of {@code op} over a load phase of {@code durationMillis}. */
  RunResult.OpStats opStats(Op op, long durationMillis) {
    Histogram h = total(op);
    long errors = totalErrors(op);
    long count = h.getTotalCount() + errors;
    boolean empty = h.getTotalCount() == 0;
    return new RunResult.OpStats(op.label(), count, errors,
        count * 1_000.0 / Math.max(1, durationMillis), empty ? 0 : h.getMean(),
        h.getValueAtPercentile(50), h.getValueAtPercentile(75), h.getValueAtPercentile(95),
        h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
        distribution(h));
  }

  /**
   * Log-spaced bars (1, 2, 5, 10, 20, 50 ... µs) up to the first bound at or above the maximum;
   * each counts the requests above the previous bound and at most its own. Each recorded
   * HdrHistogram bucket falls in exactly one bar, so the bars sum to the total count.
   */
  static List<RunResult.Bucket> distribution(Histogram h) {
    if (h.getTotalCount() == 0) {
      return List.of();
    }
    List<Long> bounds = new ArrayList<>();
    long max = h.getMaxValue();
    for (long decade = 1; ; decade *= 10) {
      bounds.add(decade);
      if (decade >= max) {
        break;
      }
      bounds.add(2 * decade);
      if (2 * decade >= max) {
        break;
      }
      bounds.add(5 * decade);
      if (5 * decade >= max) {
        break;
      }
    }
    long[] counts = new long[bounds.size()];
    int b = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      long value = Math.min(v.getValueIteratedTo(), max);
      while (b < bounds.size() - 1 && value > bounds.get(b)) {
        b++;
      }
      counts[b] += v.getCountAtValueIteratedTo();
    }
    List<RunResult.Bucket> out = new ArrayList<>(bounds.size());
    for (int i = 0; i < bounds.size(); i++) {
      out.add(new RunResult.Bucket(bounds.get(i), counts[i]));
    }
    return out;
  }

  /** The error type reports use: a {@link CacheException}'s status, else the class name. */
  static String errorType(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof CacheException ce) {
      return ce.status().name();
    }
    return t.getClass().getSimpleName();
  }

  /** All operations merged, for global assertions. */
  synchronized Histogram merged() {
    Histogram all = new Histogram(DIGITS);
    for (Op op : ops) {
      all.add(totals[op.ordinal()]);
    }
    return all;
  }
}
