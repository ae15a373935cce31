package io.ringcache.node.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Result rows: the markdown row of one run, the tab-separated line kept across runs, and the
 * summary over runs (median with min–max, and same-run ratios to a peer).
 *
 * <p>A results line is {@code run, target, rf, op, ops/s, p50 µs, p99 µs, p99.9 µs, errors},
 * tab-separated; "-" marks a figure the source does not give (redis-benchmark has no p99.9).
 * Rows whose target starts with "Redis" are peers: each ringcache row is divided by each peer's
 * row of the same run and operation, so both figures come from the same minutes of a machine
 * that other jobs share.
 */
final class BenchSummary {

  static final String HEADER = "| target | RF | op | ops/s | p50 µs | p99 µs | p99.9 µs | errors |\n"
      + "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |";
  private static final String PEER_PREFIX = "Redis";

  private BenchSummary() {}

  static String row(String target, int rf, PhaseResult r) {
    return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |", target, rf,
        r.op(), ops(r.opsPerSecond()), micros(r.micros(50)), micros(r.micros(99)),
        micros(r.micros(99.9)), r.errorText());
  }

  static String tsv(int run, String target, int rf, PhaseResult r) {
    return String.join("\t", Integer.toString(run), target, Integer.toString(rf),
        r.op().name(), String.format(Locale.ROOT, "%.0f", r.opsPerSecond()),
        String.format(Locale.ROOT, "%.1f", r.micros(50)),
        String.format(Locale.ROOT, "%.1f", r.micros(99)),
        String.format(Locale.ROOT, "%.1f", r.micros(99.9)), Long.toString(r.errorCount()));
  }

  /** The median table over all runs in {@code lines}, then the ratio table when a peer ran. */
  static String markdown(List<String> lines) {
    Map<String, List<String[]>> groups = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 9) {
        throw new IllegalArgumentException(
            "results line has " + f.length + " fields, expected 9: " + line);
      }
      groups.computeIfAbsent(f[1] + "\t" + f[2] + "\t" + f[3], k -> new ArrayList<>()).add(f);
    }
    StringBuilder out = new StringBuilder();
    out.append("| target | RF | op | runs | ops/s median (min–max) | p50 µs | p99 µs (min–max) "
        + "| p99.9 µs | errors |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (List<String[]> g : groups.values()) {
      String[] first = g.get(0);
      double[] ops = column(g, 4);
      double[] p99 = column(g, 6);
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s (%s–%s) | %s | %s (%s–%s) "
              + "| %s | %s |\n", first[1], first[2], first[3], g.size(), ops(median(ops)),
          ops(min(ops)), ops(max(ops)), micros(median(column(g, 5))), micros(median(p99)),
          micros(min(p99)), micros(max(p99)), micros(median(column(g, 7))),
          ops(Arrays.stream(column(g, 8)).sum())));
    }
    String ratios = ratios(groups);
    if (!ratios.isEmpty()) {
      out.append("\nSame-run ratios to the peer (median over runs, min–max):\n\n")
          .append("| target | peer | op | runs | ops/s ratio | p99 ratio |\n")
          .append("| --- | --- | --- | ---: | ---: | ---: |\n")
          .append(ratios);
    }
    return out.toString();
  }

  private static String ratios(Map<String, List<String[]>> groups) {
    // peer label -> (run + op -> row)
    Map<String, Map<String, String[]>> peers = new LinkedHashMap<>();
    for (List<String[]> g : groups.values()) {
      for (String[] f : g) {
        if (f[1].startsWith(PEER_PREFIX)) {
          peers.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[0] + "\t" + f[3], f);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Map<String, String[]>> peer : peers.entrySet()) {
      for (List<String[]> g : groups.values()) {
        if (g.get(0)[1].startsWith(PEER_PREFIX)) {
          continue;
        }
        List<Double> ops = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (String[] f : g) {
          String[] p = peer.getValue().get(f[0] + "\t" + f[3]);
          if (p != null) {
            ops.add(Double.parseDouble(f[4]) / Double.parseDouble(p[4]));
            p99.add(Double.parseDouble(f[6]) / Double.parseDouble(p[6]));
          }
        }
        if (ops.isEmpty()) {
          continue;
        }
        double[] o = ops.stream().mapToDouble(Double::doubleValue).toArray();
        double[] l = p99.stream().mapToDouble(Double::doubleValue).toArray();
        out.append(String.format(Locale.ROOT,
            "| %s | %s | %s | %d | %.2f (%.2f–%.2f) | %.1f (%.1f–%.1f) |\n", g.get(0)[1],
            peer.getKey(), g.get(0)[3], o.length, median(o), min(o), max(o), median(l), min(l),
            max(l)));
      }
    }
    return out.toString();
  }

  private static double[] column(List<String[]> rows, int index) {
    return rows.stream().filter(f -> !f[index].equals("-"))
        .mapToDouble(f -> Double.parseDouble(f[index])).toArray();
  }

  private static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int mid = v.length / 2;
    return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  static String ops(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  static String micros(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
  }
}
