package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.Assertions;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link RunResult} as a plain-text table for the console, Gatling style. */
public final class Summary {

  private Summary() {}

  /**
   * The whole result: header (and the JVM flags when known), one row per operation, errors,
   * events, assertions, verdict.
   */
  public static String table(RunResult r) {
    StringBuilder sb = new StringBuilder();
    String rule = "-".repeat(118) + "\n";
    sb.append(String.format(Locale.ROOT, "%s against %s, started %s, load %.1f s%n",
        r.simulation(), r.target(), Instant.ofEpochMilli(r.startedAtEpochMillis()),
        r.durationMillis() / 1_000.0));
    if (r.jvmOptions() != null) {
      sb.append("JVM options: ").append(jvmOptions(r.jvmOptions())).append('\n');
    }
    sb.append(rule);
    sb.append(String.format(Locale.ROOT,
        "%-12s %11s %9s %11s %9s %9s %9s %9s %9s %9s %9s%n", "op", "requests", "errors",
        "req/s", "mean", "p50", "p75", "p95", "p99", "p99.9", "max"));
    long requests = 0;
    long errors = 0;
    for (RunResult.OpStats s : r.ops()) {
      requests += s.count();
      errors += s.errors();
      sb.append(String.format(Locale.ROOT,
          "%-12s %,11d %,9d %,11.1f %9s %9s %9s %9s %9s %9s %9s%n", s.op(), s.count(),
          s.errors(), s.opsPerSecond(), micros(Math.round(s.meanMicros())), micros(s.p50Micros()),
          micros(s.p75Micros()), micros(s.p95Micros()), micros(s.p99Micros()),
          micros(s.p999Micros()), micros(s.maxMicros())));
    }
    sb.append(rule);
    sb.append(String.format(Locale.ROOT, "%-12s %,11d %,9d %,11.1f%n", "all", requests, errors,
        requests * 1_000.0 / Math.max(1, r.durationMillis())));
    if (!r.errors().isEmpty()) {
      sb.append("\nerrors:\n");
      for (Map.Entry<String, Long> e : r.errors().entrySet()) {
        sb.append(String.format(Locale.ROOT, "  %-24s %,d%n", e.getKey(), e.getValue()));
      }
    }
    if (!r.events().isEmpty()) {
      sb.append("\nevents:\n");
      for (RunResult.Event e : r.events()) {
        sb.append(String.format(Locale.ROOT, "  %8.1f s  %-6s %s%n", e.offsetMillis() / 1_000.0,
            e.kind(), e.detail()));
      }
    }
    if (r.consistency() != null) {
      RunResult.Consistency c = r.consistency();
      sb.append(String.format(Locale.ROOT,
          "%nconsistency: %,d writes, %,d reads checked, %,d stale reads, %,d lost writes%n",
          c.writes(), c.reads(), c.violations(), c.lost()));
    }
    if (!r.assertions().isEmpty()) {
      sb.append("\nassertions:\n");
      for (RunResult.AssertionResult a : r.assertions()) {
        sb.append(String.format(Locale.ROOT, "  [%s] %s (actual %s)%n",
            a.passed() ? "PASS" : "FAIL", a.description(), a.actual()));
      }
    }
    sb.append(r.passed() ? "\nRESULT: PASSED\n" : "\nRESULT: FAILED\n");
    return sb.toString();
  }

  /** JVM flags as one line for a reader: space-separated, or a note when there are none. */
  public static String jvmOptions(List<String> flags) {
    return flags.isEmpty() ? "none (the JVM's defaults)" : String.join(" ", flags);
  }

  /** A latency for a table cell: {@code 850 µs}, {@code 1.25 ms}. */
  static String micros(long micros) {
    return Assertions.formatMicros(micros);
  }
}
