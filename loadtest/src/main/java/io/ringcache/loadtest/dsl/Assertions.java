package io.ringcache.loadtest.dsl;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Factories for {@link Assertion}s over all operations; {@link Assertion#forOp} narrows one to a
 * single operation: {@code Assertions.p99Below(Duration.ofMillis(5)).forOp(Op.GET)}.
 */
public final class Assertions {

  private Assertions() {}

  public static Assertion p50Below(Duration limit) {
    return latency(Assertion.Metric.P50_BELOW, limit);
  }

  public static Assertion p95Below(Duration limit) {
    return latency(Assertion.Metric.P95_BELOW, limit);
  }

  public static Assertion p99Below(Duration limit) {
    return latency(Assertion.Metric.P99_BELOW, limit);
  }

  public static Assertion p999Below(Duration limit) {
    return latency(Assertion.Metric.P999_BELOW, limit);
  }

  public static Assertion maxBelow(Duration limit) {
    return latency(Assertion.Metric.MAX_BELOW, limit);
  }

  /** Failed requests over all requests below {@code fraction} (0.001 = 0.1%). */
  public static Assertion errorRateBelow(double fraction) {
    return new Assertion(Assertion.Metric.ERROR_RATE_BELOW, null, fraction);
  }

  /** Completed requests per second of load above {@code perSecond}. */
  public static Assertion throughputAbove(double perSecond) {
    return new Assertion(Assertion.Metric.THROUGHPUT_ABOVE, null, perSecond);
  }

  private static Assertion latency(Assertion.Metric metric, Duration limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isNegative() || limit.compareTo(Injection.MAX_DURATION) > 0) {
      throw new IllegalArgumentException(String.format(
          "latency limit was %s, must be between 0 and %s", limit, Injection.MAX_DURATION));
    }
    return new Assertion(metric, null, limit.toNanos() / 1_000L);
  }

  /** {@code 850 µs}, {@code 5 ms}, {@code 1.25 s}. */
  public static String formatMicros(long micros) {
    if (micros < 1_000) {
      return micros + " µs";
    }
    if (micros < 1_000_000) {
      return trim(micros / 1_000.0) + " ms";
    }
    return trim(micros / 1_000_000.0) + " s";
  }

  static String formatPercent(double fraction) {
    return trim(fraction * 100) + "%";
  }

  private static String trim(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
