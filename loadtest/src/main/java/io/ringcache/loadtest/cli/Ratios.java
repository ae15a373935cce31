package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Summary;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side table of {@code compare}: the JVM flags each run had, then per operation one
 * row per target with its figures and, for every target after the first (ringcache through its
 * smart client), the first's figure over that target's.
 */
final class Ratios {

  private Ratios() {}

  static String table(RunResult a, RunResult b) {
    return table(List.of(a, b));
  }

  static String table(List<RunResult> runs) {
    RunResult base = runs.get(0);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "== %s: %s against %s (ratio = %s / that target;"
        + " throughput above 1 and latency below 1 favour %s; throughput counts successful"
        + " requests only, latency percentiles cover successful requests)%n", base.simulation(),
        base.target(), String.join(", ", runs.stream().skip(1).map(RunResult::target).toList()),
        base.target(), base.target()));
    for (RunResult r : runs) {
      if (r.jvmOptions() != null) {
        out.append(String.format(Locale.ROOT, "%s JVM options: %s%n", r.target(),
            Summary.jvmOptions(r.jvmOptions())));
      }
    }
    int width = Math.max(6, runs.stream().mapToInt(r -> r.target().length()).max().orElse(6));
    String head = "%-8s %-" + width + "s %12s %6s | %9s %6s | %9s %6s | %9s %6s%n";
    String row = "%-8s %-" + width + "s %12.0f %6s | %9d %6s | %9d %6s | %9d %6s%n";
    out.append(String.format(Locale.ROOT, head, "op", "target", "ok/s", "ratio", "p50",
        "ratio", "p99", "ratio", "p999", "ratio"));
    for (RunResult.OpStats x : base.ops()) {
      for (RunResult r : runs) {
        RunResult.OpStats y = r.ops().stream().filter(o -> o.op().equals(x.op())).findFirst()
            .orElse(null);
        if (y == null) {
          continue;
        }
        boolean self = r == base;
        out.append(String.format(Locale.ROOT, row, x.op(), r.target(),
            ok(y, r), self ? "" : ratio(ok(x, base), ok(y, r)),
            y.p50Micros(), self ? "" : ratio(x.p50Micros(), y.p50Micros()),
            y.p99Micros(), self ? "" : ratio(x.p99Micros(), y.p99Micros()),
            y.p999Micros(), self ? "" : ratio(x.p999Micros(), y.p999Micros())));
      }
    }
    out.append("latencies in µs, measured from each request's intended start");
    return out.toString();
  }

  /** Successful requests per second of load. */
  static double ok(RunResult.OpStats op, RunResult run) {
    return run.durationMillis() == 0 ? 0 : (op.count() - op.errors()) * 1000.0 / run.durationMillis();
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
  }
}
