package io.ringcache.loadtest.report;

import io.ringcache.loadtest.run.LatencyLog;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.AssertionResult;
import io.ringcache.loadtest.run.RunResult.Bucket;
import io.ringcache.loadtest.run.RunResult.Consistency;
import io.ringcache.loadtest.run.RunResult.Event;
import io.ringcache.loadtest.run.RunResult.Interval;
import io.ringcache.loadtest.run.RunResult.OpStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Synthetic runs for the report tests, and a {@code main} that writes one to look at:
 * {@code SampleRuns killAndRestart|empty|singleInterval|nothingCompleted out.html [out.json]}.
 */
final class SampleRuns {

  static final long START = 1_767_225_600_000L;

  private SampleRuns() {}

  public static void main(String[] args) {
    RunResult r = switch (args[0]) {
      case "empty" -> empty();
      case "singleInterval" -> singleInterval();
      case "nothingCompleted" -> nothingCompleted();
      default -> killAndRestart();
    };
    HtmlReport.write(r, Path.of(args[1]));
    if (args.length > 2) {
      JsonSummary.write(r, Path.of(args[2]));
    }
  }

  /**
   * 60 s of gets and puts against three nodes; node-2 is killed at 20 s (a latency spike, a dip
   * and errors while clients fail over) and started again at 40 s (a smaller spike while it takes
   * its ranges back).
   */
  static RunResult killAndRestart() {
    SplittableRandom rnd = new SplittableRandom(42);
    List<Interval> timeline = new ArrayList<>();
    long gets = 0;
    long puts = 0;
    long errs = 0;
    for (int s = 0; s < 60; s++) {
      boolean afterKill = s >= 20 && s < 23;
      boolean degraded = s >= 20 && s < 40;
      boolean afterStart = s >= 40 && s < 42;
      double dip = afterKill ? 0.55 + 0.1 * (s - 20) : 1.0;
      long g = Math.round((8000 + rnd.nextInt(-150, 150)) * dip);
      long p = Math.round((2000 + rnd.nextInt(-60, 60)) * dip);
      long e = afterKill ? 120 - 35L * (s - 20) : degraded ? rnd.nextInt(0, 4) : 0;
      long p50 = afterKill ? 1_800 : afterStart ? 700 : 380 + rnd.nextInt(0, 40);
      long p99 = afterKill ? 85_000 - 20_000L * (s - 20) : afterStart ? 9_000
          : degraded ? 3_200 : 1_900 + rnd.nextInt(0, 300);
      long p999 = afterKill ? 260_000 - 60_000L * (s - 20) : afterStart ? 24_000
          : degraded ? 9_000 : 5_500 + rnd.nextInt(0, 1500);
      Map<String, Long> byOp = new LinkedHashMap<>();
      byOp.put("get", g);
      byOp.put("put", p);
      timeline.add(new Interval(s * 1000L, g + p, e, byOp, p50, p99, p999));
      gets += g;
      puts += p;
      errs += e;
    }
    long getErrors = errs * 8 / 10;
    List<OpStats> ops = List.of(
        new OpStats("get", gets, getErrors, gets / 60.0, 612.4, 390, 520, 1_100, 2_600, 38_000,
            262_000, lognormal(gets, 400, 0.7)),
        new OpStats("put", puts, errs - getErrors, puts / 60.0, 905.1, 560, 760, 1_700, 3_900,
            52_000, 281_000, lognormal(puts, 600, 0.75)));
    Map<String, Long> errors = new LinkedHashMap<>();
    errors.put("ConnectTimeoutException", errs * 6 / 10);
    errors.put("NOT_OWNER", errs * 3 / 10);
    errors.put("ClosedChannelException", errs - errs * 6 / 10 - errs * 3 / 10);
    return new RunResult("kill-one-of-three", "ringcache", START, 60_000, ops, timeline, errors,
        List.of(new Event(20_000, "kill", "node-2"), new Event(40_000, "start", "node-2")),
        List.of(new AssertionResult("p99 < 5 ms", true, "2.6 ms"),
            new AssertionResult("error rate < 1%", true, "0.05%"),
            new AssertionResult("no lost writes", true, "0 lost")),
        new Consistency(119_871, 479_402, 0, 0), null, latencies(timeline, rnd));
  }

  /**
   * One histogram per interval and operation holding that interval's requests, log-normal around
   * 400 µs (gets) or 600 µs (puts), five times slower in the three seconds after the kill.
   */
  private static LatencyLog latencies(List<Interval> timeline, SplittableRandom rnd) {
    LatencyLog.Builder log = LatencyLog.builder();
    for (Interval interval : timeline) {
      boolean afterKill = interval.offsetMillis() >= 20_000 && interval.offsetMillis() < 23_000;
      for (Map.Entry<String, Long> op : interval.requestsByOp().entrySet()) {
        double median = (op.getKey().equals("get") ? 400 : 600) * (afterKill ? 5 : 1);
        Histogram h = new Histogram(3);
        for (long i = 0; i < op.getValue(); i++) {
          h.recordValue(Math.round(median * Math.exp(0.7 * rnd.nextGaussian())));
        }
        log.add(op.getKey(), interval.offsetMillis(), interval.offsetMillis() + 1_000, h);
      }
    }
    return log.build();
  }

  /** Nothing happened: no requests, no intervals, no events, no assertions, no check. */
  static RunResult empty() {
    return new RunResult("empty", "ringcache", START, 0, List.of(), List.of(), Map.of(),
        List.of(), List.of(), null);
  }

  /** One operation over a single one-second interval, no errors, one event at zero. */
  static RunResult singleInterval() {
    OpStats get = new OpStats("get", 10, 0, 10, 500, 450, 480, 700, 900, 900, 900,
        List.of(new Bucket(512, 6), new Bucket(1024, 4)));
    return new RunResult("single", "ringcache", START, 1_000, List.of(get),
        List.of(new Interval(0, 10, 0, Map.of("get", 10L), 450, 900, 900)), Map.of(),
        List.of(new Event(0, "drain", "node-1")),
        List.of(new AssertionResult("p99 < 1 ms", true, "0.9 ms")), null);
  }

  /** Operations that sent requests but none completed: counts zero, mean NaN, timeline zeros. */
  static RunResult nothingCompleted() {
    OpStats get = new OpStats("get", 0, 0, 0, Double.NaN, 0, 0, 0, 0, 0, 0, List.of());
    List<Interval> timeline = List.of(new Interval(0, 0, 0, Map.of(), 0, 0, 0),
        new Interval(1000, 0, 0, Map.of(), 0, 0, 0));
    return new RunResult("stalled", "hazelcast", START, 2_000, List.of(get), timeline, Map.of(),
        List.of(), List.of(new AssertionResult("throughput > 0", false, "0 ops/s")),
        new Consistency(0, 0, 0, 0));
  }

  /**
   * {@code count} requests spread over buckets doubling from 32 µs, shaped like a log-normal
   * with the given median (µs) and sigma (in natural-log units).
   */
  private static List<Bucket> lognormal(long count, double median, double sigma) {
    // A sliver of requests caught by the kill lands in the 16-262 ms tail.
    long tail = count / 500;
    long body = count - tail;
    List<long[]> rows = new ArrayList<>();
    double lower = 0;
    long assigned = 0;
    int mode = 0;
    for (long upTo = 32; upTo <= 524_288; upTo *= 2) {
      long n = Math.round(body * (cdf(upTo, median, sigma) - cdf(lower, median, sigma)));
      if (upTo >= 16_384 && upTo <= 262_144) {
        n += tail / 5;
      }
      rows.add(new long[] {upTo, n});
      assigned += n;
      if (n > rows.get(mode)[1]) {
        mode = rows.size() - 1;
      }
      lower = upTo;
    }
    rows.get(mode)[1] += count - assigned;
    return rows.stream().map(r -> new Bucket(r[0], r[1])).toList();
  }

  private static double cdf(double x, double median, double sigma) {
    if (x <= 0) {
      return 0;
    }
    double z = Math.log(x / median) / (sigma * Math.sqrt(2));
    return 0.5 * (1 + erf(z));
  }

  /** Abramowitz and Stegun 7.1.26: plenty for a synthetic histogram. */
  private static double erf(double z) {
    double t = 1 / (1 + 0.3275911 * Math.abs(z));
    double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
        + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
    return z >= 0 ? y : -y;
  }
}
