package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.Summary;
import java.util.Locale;

/**
 * The side-by-side table of {@code compare}: the JVM flags each side ran with, then per operation
 * ringcache's figure over the peer's.
 */
final class Ratios {

  private Ratios() {}

  static String table(RunResult a, RunResult b) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "== %s: %s vs %s (ratio = %s / %s; throughput above 1"
        + " and latency below 1 favour %s; throughput counts successful requests only, latency"
        + " percentiles cover successful requests)%n", a.simulation(), a.target(), b.target(),
        a.target(), b.target(), a.target()));
    for (RunResult r : new RunResult[] {a, b}) {
      if (r.jvmOptions() != null) {
        out.append(String.format(Locale.ROOT, "%s JVM options: %s%n", r.target(),
            Summary.jvmOptions(r.jvmOptions())));
      }
    }
    out.append(String.format(Locale.ROOT, "%-8s %12s %12s %7s | %9s %9s %6s | %9s %9s %6s | %9s"
        + " %9s %6s%n", "op", a.target() + " ok/s", b.target() + " ok/s", "ratio", "p50 a", "p50 b",
        "ratio", "p99 a", "p99 b", "ratio", "p999 a", "p999 b", "ratio"));
    for (RunResult.OpStats x : a.ops()) {
      RunResult.OpStats y = b.ops().stream().filter(o -> o.op().equals(x.op())).findFirst()
          .orElse(null);
      if (y == null) {
        continue;
      }
      out.append(String.format(Locale.ROOT,
          "%-8s %12.0f %12.0f %7.2f | %9d %9d %6.2f | %9d %9d %6.2f | %9d %9d %6.2f%n",
          x.op(), ok(x, a), ok(y, b), ratio(ok(x, a), ok(y, b)),
          x.p50Micros(), y.p50Micros(), ratio(x.p50Micros(), y.p50Micros()),
          x.p99Micros(), y.p99Micros(), ratio(x.p99Micros(), y.p99Micros()),
          x.p999Micros(), y.p999Micros(), ratio(x.p999Micros(), y.p999Micros())));
    }
    out.append("latencies in µs, measured from each request's intended start");
    return out.toString();
  }

  /** Successful requests per second of load. */
  static double ok(RunResult.OpStats op, RunResult run) {
    return run.durationMillis() == 0 ? 0 : (op.count() - op.errors()) * 1000.0 / run.durationMillis();
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
