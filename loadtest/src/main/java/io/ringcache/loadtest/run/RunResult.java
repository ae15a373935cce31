package io.ringcache.loadtest.run;

import java.util.List;
import java.util.Map;

/**
 * Everything one run measured: what the console summary, the HTML report and the JSON summary
 * are made from. Times are microseconds unless a name says otherwise; {@code offsetMillis} is
 * measured from the start of the run.
 *
 * @param simulation the simulation's name
 * @param target the target's name ({@code ringcache}, {@code hazelcast})
 * @param startedAtEpochMillis wall-clock start, for the report header
 * @param durationMillis how long load was applied
 * @param ops totals per operation ({@code get}, {@code put}, ...), latency from the intended
 *     start of each request (open model) so queueing delay counts
 * @param timeline one entry per reporting interval (one second), in order
 * @param errors failed requests by error type (exception class simple name or status)
 * @param events chaos steps and other markers, in order
 * @param assertions each assertion of the simulation and whether it held
 * @param consistency what the consistency checker found, or {@code null} when it did not run
 * @param jvmOptions the JVM flags the target's nodes or members ran with (empty: none, the JVM's
 *     defaults), or {@code null} when not known: the runner does not start targets, so this is
 *     set by whoever did ({@link #withJvmOptions})
 * @param latencies every per-second, per-operation latency histogram, for the percentile
 *     spectrum and the HdrHistogram log; empty for a result made without them
 */
public record RunResult(String simulation, String target, long startedAtEpochMillis,
    long durationMillis, List<OpStats> ops, List<Interval> timeline, Map<String, Long> errors,
    List<Event> events, List<AssertionResult> assertions, Consistency consistency,
    List<String> jvmOptions, LatencyLog latencies) {

  public RunResult {
    jvmOptions = jvmOptions == null ? null : List.copyOf(jvmOptions);
    latencies = latencies == null ? LatencyLog.empty() : latencies;
  }

  /** A result without JVM flags or histograms, as tests and samples make them. */
  public RunResult(String simulation, String target, long startedAtEpochMillis,
      long durationMillis, List<OpStats> ops, List<Interval> timeline, Map<String, Long> errors,
      List<Event> events, List<AssertionResult> assertions, Consistency consistency) {
    this(simulation, target, startedAtEpochMillis, durationMillis, ops, timeline, errors, events,
        assertions, consistency, null, LatencyLog.empty());
  }

  /** Totals of one operation over the whole run. */
  public record OpStats(String op, long count, long errors, double opsPerSecond, double meanMicros,
      long p50Micros, long p75Micros, long p95Micros, long p99Micros, long p999Micros,
      long maxMicros, List<Bucket> distribution) {}

  /** One bar of a latency distribution: requests whose latency was at most {@code upToMicros}. */
  public record Bucket(long upToMicros, long count) {}

  /** One reporting interval (all operations together, and request counts per operation). */
  public record Interval(long offsetMillis, long requests, long errors,
      Map<String, Long> requestsByOp, long p50Micros, long p99Micros, long p999Micros) {}

  /** A marker on the timeline: a chaos step ({@code kill}, {@code start}, {@code drain}) or note. */
  public record Event(long offsetMillis, String kind, String detail) {}

  /** One assertion, e.g. {@code p99 < 5 ms}, with the measured value. */
  public record AssertionResult(String description, boolean passed, String actual) {}

  /** Consistency checker totals; {@code violations} are stale reads, {@code lost} lost writes. */
  public record Consistency(long writes, long reads, long violations, long lost) {}

  /** This result, stating the JVM flags its target's nodes or members were started with. */
  public RunResult withJvmOptions(List<String> flags) {
    return new RunResult(simulation, target, startedAtEpochMillis, durationMillis, ops, timeline,
        errors, events, assertions, consistency, flags, latencies);
  }

  /** Whether every assertion held (and, when checked, nothing stale or lost was seen). */
  public boolean passed() {
    boolean asserted = assertions.stream().allMatch(AssertionResult::passed);
    return asserted && (consistency == null
        || (consistency.violations() == 0 && consistency.lost() == 0));
  }
}
