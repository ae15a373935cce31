package io.ringcache.loadtest.report;

import io.ringcache.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Series names and colours shared by the charts and their legends, so an operation has one colour
 * everywhere. Red is kept for errors and kill markers and green for start markers, so operations
 * never take those.
 */
final class Palette {

  static final String ERRORS = "#d62728";
  static final String P50 = "#1f77b4";
  static final String P99 = "#ff7f0e";
  static final String P999 = "#9467bd";
  static final String TOTAL = "#4b5563";

  private static final String[] OPS =
      {"#1f77b4", "#17becf", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f", "#ff7f0e"};

  private Palette() {}

  static String op(int index) {
    return OPS[index % OPS.length];
  }

  /** Marker colour of a chaos step: what broke in red, what came back in green. */
  static String event(String kind) {
    String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
    return switch (k) {
      case "kill", "stop", "partition" -> "#c62828";
      case "start", "restart", "heal" -> "#2e7d32";
      case "drain" -> "#b26a00";
      default -> "#4b5563";
    };
  }

  /**
   * Operations in the order of {@link RunResult#ops()}, then any that only the timeline names
   * (an operation that never completed still had requests in flight per interval).
   */
  static List<String> opNames(RunResult r) {
    Set<String> names = new LinkedHashSet<>();
    for (RunResult.OpStats s : r.ops()) {
      names.add(s.op());
    }
    for (RunResult.Interval i : r.timeline()) {
      Map<String, Long> byOp = i.requestsByOp();
      if (byOp != null) {
        names.addAll(byOp.keySet());
      }
    }
    names.remove(null);
    return new ArrayList<>(names);
  }

  static String eventLabel(RunResult.Event e) {
    String kind = e.kind() == null ? "" : e.kind();
    String detail = e.detail() == null ? "" : e.detail();
    return (kind + " " + detail).strip();
  }
}
