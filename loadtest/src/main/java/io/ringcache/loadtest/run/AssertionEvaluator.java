package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.Assertion;
import io.ringcache.loadtest.dsl.Assertions;
import io.ringcache.loadtest.dsl.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Evaluates a simulation's assertions over the run's totals. Latency criteria read the
 * successful requests' histogram (all operations merged, or the one named); the error rate is
 * failed over all requests; throughput is successful requests per second of load. A criterion
 * over no requests at all fails: a run that measured nothing proves nothing.
 */
final class AssertionEvaluator {

  private AssertionEvaluator() {}

  static List<RunResult.AssertionResult> evaluate(List<Assertion> assertions, Metrics metrics,
      long durationMillis) {
    List<RunResult.AssertionResult> out = new ArrayList<>();
    for (Assertion a : assertions) {
      out.add(evaluate(a, metrics, durationMillis));
    }
    return List.copyOf(out);
  }

  private static RunResult.AssertionResult evaluate(Assertion a, Metrics metrics,
      long durationMillis) {
    Histogram h;
    long errors;
    if (a.op() == null) {
      h = metrics.merged();
      errors = 0;
      for (Op op : metrics.ops()) {
        errors += metrics.totalErrors(op);
      }
    } else if (metrics.ops().contains(a.op())) {
      h = metrics.total(a.op());
      errors = metrics.totalErrors(a.op());
    } else {
      return new RunResult.AssertionResult(a.description(), false,
          a.op().label() + " is not in the scenario");
    }
    long ok = h.getTotalCount();
    long all = ok + errors;
    String description = a.description();
    if (a.metric().isLatency()) {
      if (ok == 0) {
        return new RunResult.AssertionResult(description, false, "no successful requests");
      }
      long value = a.metric() == Assertion.Metric.MAX_BELOW
          ? h.getMaxValue() : h.getValueAtPercentile(a.metric().percentile());
      return new RunResult.AssertionResult(description, value < a.limit(),
          Assertions.formatMicros(value));
    }
    if (all == 0) {
      return new RunResult.AssertionResult(description, false, "no requests");
    }
    return switch (a.metric()) {
      case ERROR_RATE_BELOW -> {
        double rate = (double) errors / all;
        yield new RunResult.AssertionResult(description, rate < a.limit(),
            String.format(Locale.ROOT, "%.4f%% (%d of %d)", rate * 100, errors, all));
      }
      case THROUGHPUT_ABOVE -> {
        double rate = ok * 1_000.0 / Math.max(1, durationMillis);
        yield new RunResult.AssertionResult(description, rate > a.limit(),
            String.format(Locale.ROOT, "%,.1f ops/s", rate));
      }
      default -> throw new AssertionError(a.metric());
    };
  }
}
