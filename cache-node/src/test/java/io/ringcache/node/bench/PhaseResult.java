package io.ringcache.node.bench;

import io.ringcache.protocol.Status;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one measured phase produced: throughput, latency percentiles and errors by status.
 *
 * @param answers answers received while recording, errors included
 * @param seconds length of the recording window
 * @param latencyNanos send-to-answer latency of every answer received while recording
 * @param errors non-OK answers by status name; "MALFORMED" counts OK answers of the wrong size
 */
record PhaseResult(LoadOptions.Op op, long answers, double seconds, Histogram latencyNanos,
    Map<String, Long> errors) {

  double opsPerSecond() {
    return answers / seconds;
  }

  double micros(double percentile) {
    return latencyNanos.getValueAtPercentile(percentile) / 1000.0;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** "0", or the total followed by the count of each status, e.g. "3 (TIMEOUT 3)". */
  String errorText() {
    long total = errorCount();
    if (total == 0) {
      return "0";
    }
    StringJoiner j = new StringJoiner(", ", total + " (", ")");
    new TreeMap<>(errors).forEach((status, n) -> j.add(status + " " + n));
    return j.toString();
  }

  static String statusName(int code) {
    Status s = Status.fromCode(code);
    return s == null ? "STATUS_" + code : s.name();
  }
}
