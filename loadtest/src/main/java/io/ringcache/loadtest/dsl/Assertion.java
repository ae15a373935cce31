package io.ringcache.loadtest.dsl;

import java.util.Locale;
import java.util.Objects;

/**
 * A pass/fail criterion evaluated at the end of a run, over every operation or one
 * ({@link #forOp}). Build them with {@link Assertions}.
 *
 * @param metric what is measured
 * @param op the operation measured, or {@code null} for all of them together
 * @param limit microseconds for latency metrics, a fraction for {@link Metric#ERROR_RATE_BELOW},
 *     requests per second for {@link Metric#THROUGHPUT_ABOVE}
 */
public record Assertion(Metric metric, Op op, double limit) {

  /** The measured quantities; the latency ones hold when the value is below the limit. */
  public enum Metric {
    P50_BELOW(50),
    P95_BELOW(95),
    P99_BELOW(99),
    P999_BELOW(99.9),
    MAX_BELOW(100),
    ERROR_RATE_BELOW(Double.NaN),
    THROUGHPUT_ABOVE(Double.NaN);

    private final double percentile;

    Metric(double percentile) {
      this.percentile = percentile;
    }

    /** The latency percentile, or NaN for the metrics that are not latencies. */
    public double percentile() {
      return percentile;
    }

    public boolean isLatency() {
      return !Double.isNaN(percentile);
    }
  }

  public Assertion {
    Objects.requireNonNull(metric, "metric");
    if (!(limit >= 0) || Double.isInfinite(limit)) {
      throw new IllegalArgumentException(String.format(
          "%s limit was %s, must be a finite value at least 0", metric, limit));
    }
    if (metric == Metric.ERROR_RATE_BELOW && limit > 1) {
      throw new IllegalArgumentException(String.format(
          "error rate limit was %s, must be at most 1 (a fraction, 0.001 = 0.1%%)", limit));
    }
  }

  /** The same criterion, measured on {@code op} alone. */
  public Assertion forOp(Op op) {
    return new Assertion(metric, Objects.requireNonNull(op, "op"), limit);
  }

  /** For reports: {@code get p99 < 5 ms}, {@code error rate < 0.1%}. */
  public String description() {
    String scope = op == null ? "" : op.label() + " ";
    return switch (metric) {
      case P50_BELOW -> scope + "p50 < " + Assertions.formatMicros((long) limit);
      case P95_BELOW -> scope + "p95 < " + Assertions.formatMicros((long) limit);
      case P99_BELOW -> scope + "p99 < " + Assertions.formatMicros((long) limit);
      case P999_BELOW -> scope + "p99.9 < " + Assertions.formatMicros((long) limit);
      case MAX_BELOW -> scope + "max < " + Assertions.formatMicros((long) limit);
      case ERROR_RATE_BELOW -> scope + "error rate < " + Assertions.formatPercent(limit);
      case THROUGHPUT_ABOVE -> scope + "throughput > "
          + String.format(Locale.ROOT, "%,.0f ops/s", limit);
    };
  }
}
