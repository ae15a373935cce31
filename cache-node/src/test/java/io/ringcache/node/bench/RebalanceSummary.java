package io.ringcache.node.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Markdown tables of {@link RebalanceBench} results: per scenario, the median over runs with the
 * range (min-max) beside it when there was more than one run.
 */
final class RebalanceSummary {

  private RebalanceSummary() {}

  static String markdown(List<String> tsvLines) {
    Map<String, List<RebalanceResult>> byScenario = new LinkedHashMap<>();
    for (String line : tsvLines) {
      if (!line.isBlank()) {
        RebalanceResult r = RebalanceResult.parse(line);
        byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("| scenario | runs | change to STABLE s | change to TRANSFER s | TRANSFER s"
        + " | longest node stream s | entries/s | MB/s |\n");
    out.append("| --- |" + " ---: |".repeat(7) + "\n");
    for (Map.Entry<String, List<RebalanceResult>> e : byScenario.entrySet()) {
      List<RebalanceResult> rs = e.getValue();
      out.append("| ").append(e.getKey())
          .append(" | ").append(rs.size())
          .append(" | ").append(stat(rs, r -> r.wallMillis() / 1000.0, "%.2f"))
          .append(" | ").append(stat(rs, r -> r.toTransferMillis() / 1000.0, "%.2f"))
          .append(" | ").append(stat(rs, r -> r.transferMillis() / 1000.0, "%.2f"))
          .append(" | ").append(stat(rs, r -> r.streamMillis() / 1000.0, "%.2f"))
          .append(" | ").append(stat(rs, RebalanceResult::entriesPerSecond, "%,.0f"))
          .append(" | ").append(stat(rs, RebalanceResult::megabytesPerSecond, "%.1f"))
          .append(" |\n");
    }
    out.append('\n');
    out.append("| scenario | entries moved | of all copies | ring minimum | ideal ring"
        + " | MB moved | TRANSFER epochs | failed attempts | limit MB/s per node | pace target s"
        + " | fastest node MB/s | copies after |\n");
    out.append("| --- |" + " ---: |".repeat(11) + "\n");
    for (Map.Entry<String, List<RebalanceResult>> e : byScenario.entrySet()) {
      List<RebalanceResult> rs = e.getValue();
      boolean paced = rs.get(0).bytesPerSecondLimit() > 0;
      out.append("| ").append(e.getKey())
          .append(" | ").append(stat(rs, RebalanceResult::entries, "%,.0f"))
          .append(" | ").append(stat(rs, r -> 100.0 * r.entries() / r.copies(), "%.1f%%"))
          .append(" | ").append(stat(rs, RebalanceResult::ringMinimum, "%,.0f"))
          .append(" | ").append(stat(rs, RebalanceResult::theoryMinimum, "%,.0f"))
          .append(" | ").append(stat(rs, r -> r.bytes() / 1e6, "%.1f"))
          .append(" | ").append(stat(rs, RebalanceResult::transferEpochs, "%.0f"))
          .append(" | ").append(stat(rs, RebalanceResult::failedTransfers, "%.0f"))
          .append(" | ").append(paced ? stat(rs, r -> r.bytesPerSecondLimit() / 1e6, "%.1f") : "-")
          .append(" | ").append(paced ? stat(rs, r -> r.paceTargetMillis() / 1000.0, "%.2f") : "-")
          .append(" | ").append(stat(rs, r -> r.fastestNodeBytesPerSecond() / 1e6, "%.2f"))
          .append(" | ").append(stat(rs, RebalanceResult::copiesHeld, "%,.0f"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The median, and the range in parentheses when the runs differ. */
  private static String stat(List<RebalanceResult> rs, ToDoubleFunction<RebalanceResult> f,
      String format) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    double median = v.length % 2 == 1 ? v[v.length / 2]
        : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    String m = String.format(Locale.ROOT, format, median);
    String lo = String.format(Locale.ROOT, format, v[0]);
    String hi = String.format(Locale.ROOT, format, v[v.length - 1]);
    return lo.equals(hi) ? m : m + " (" + lo + "–" + hi + ")";
  }
}
