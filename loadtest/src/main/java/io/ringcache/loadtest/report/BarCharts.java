package io.ringcache.loadtest.report;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.Bucket;
import io.ringcache.loadtest.run.RunResult.OpStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The latency distribution (one bar per bucket and operation, on a log axis in ms,
 * heights as a share of that operation's requests so a rare operation is as readable as a common
 * one) and the errors by type (horizontal bars, largest first).
 */
final class BarCharts {

  /** More error types than this are summed into one "other" bar; the JSON keeps them all. */
  static final int MAX_ERROR_BARS = 15;

  /**
   * A non-empty bucket is drawn at least this tall: a tail of 0.1% is what a reader looks for, and
   * at true height it would be invisible. The tooltip carries the exact count.
   */
  static final double MIN_BAR_HEIGHT = 2;

  private static final double ERROR_LABEL_WIDTH = 300;
  private static final int ERROR_LABEL_CHARS = 44;
  private static final double ERROR_ROW = 26;

  private BarCharts() {}

  static String distribution(RunResult r, List<String> ops) {
    double top = 16;
    double bottom = top + 260;
    Svg svg = new Svg(bottom + 48, "Latency distribution per operation");

    List<List<Bar>> perOp = new ArrayList<>();
    double lo = Double.MAX_VALUE;
    double hi = 0;
    double maxShare = 0;
    for (String op : ops) {
      List<Bar> bars = bars(r.ops().stream().filter(s -> op.equals(s.op())).findFirst()
          .map(OpStats::distribution).orElse(List.of()));
      perOp.add(bars);
      for (Bar b : bars) {
        lo = Math.min(lo, b.from);
        hi = Math.max(hi, b.to);
        maxShare = Math.max(maxShare, b.share);
      }
    }
    boolean empty = hi == 0;
    Scale x = empty ? Scale.log(1000, 10_000, Svg.LEFT, Svg.RIGHT)
        : Scale.log(lo, hi, Svg.LEFT, Svg.RIGHT);
    Scale y = Scale.linear(maxShare * 100, bottom, top, 5);
    svg.yAxis(y, t -> Fmt.plain(t) + "%", "share of requests");
    svg.xAxis(x, top, bottom, Fmt::tickMillis, "latency (ms, log scale)", true);
    if (empty) {
      svg.note(top, bottom, "No latency distribution recorded");
    }
    // Operations side by side inside each bucket (an equal share of its log width each), so two
    // similar distributions stay apart instead of blending into a third colour.
    int n = perOp.size();
    for (int k = 0; k < n; k++) {
      String color = Palette.op(k);
      for (Bar b : perOp.get(k)) {
        double left = x.map(b.from);
        double slot = (x.map(b.to) - left) / n;
        double x0 = left + k * slot + (k == 0 ? 1 : 0);
        double w = slot - (k == n - 1 ? 1 : 0) - (k == 0 ? 1 : 0);
        double y0 = Math.min(y.map(b.share * 100), bottom - MIN_BAR_HEIGHT);
        svg.rect(x0, y0, w, bottom - y0, color, 0.85,
            ops.get(k) + ": " + Fmt.count(b.count) + " requests \u2264 " + Fmt.millis(b.to)
                + " ms (" + Fmt.percent(b.count, b.total) + ")");
      }
    }
    return svg.close();
  }

  /**
   * Bars with their lower edge at the previous bucket's upper bound. The first bucket has no
   * previous one; it is given the same ratio of width as its neighbour (the buckets are log
   * spaced), or half its bound when it stands alone. Empty buckets draw nothing.
   */
  private static List<Bar> bars(List<Bucket> buckets) {
    List<Bucket> sorted = new ArrayList<>(buckets);
    sorted.sort(Comparator.comparingLong(Bucket::upToMicros));
    long total = 0;
    for (Bucket b : sorted) {
      total += Math.max(0, b.count());
    }
    List<Bar> bars = new ArrayList<>();
    if (total == 0) {
      return bars;
    }
    for (int i = 0; i < sorted.size(); i++) {
      Bucket b = sorted.get(i);
      double to = Math.max(1, b.upToMicros());
      double from;
      if (i > 0) {
        from = Math.max(1, sorted.get(i - 1).upToMicros());
      } else if (sorted.size() > 1 && sorted.get(1).upToMicros() > to) {
        from = to * to / sorted.get(1).upToMicros();
      } else {
        from = to / 2;
      }
      if (b.count() > 0 && to > from) {
        bars.add(new Bar(from, to, b.count(), total, (double) b.count() / total));
      }
    }
    return bars;
  }

  private record Bar(double from, double to, long count, long total, double share) {}

  static String errors(RunResult r) {
    List<Map.Entry<String, Long>> rows = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Long> e : r.errors().entrySet()) {
      long n = e.getValue() == null ? 0 : e.getValue();
      if (n > 0) {
        rows.add(Map.entry(e.getKey() == null ? "(unknown)" : e.getKey(), n));
        total += n;
      }
    }
    rows.sort(Map.Entry.<String, Long>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey()));
    if (rows.size() > MAX_ERROR_BARS) {
      long rest = rows.subList(MAX_ERROR_BARS - 1, rows.size()).stream()
          .mapToLong(Map.Entry::getValue).sum();
      int restTypes = rows.size() - MAX_ERROR_BARS + 1;
      rows = new ArrayList<>(rows.subList(0, MAX_ERROR_BARS - 1));
      rows.add(Map.entry("other (" + restTypes + " types)", rest));
    }

    double top = 10;
    if (rows.isEmpty()) {
      Svg svg = new Svg(60, "Errors by type");
      svg.text(Svg.WIDTH / 2.0, 36, "No errors", "note", "middle");
      return svg.close();
    }
    Svg svg = new Svg(top + rows.size() * ERROR_ROW + 10, "Errors by type");
    double x0 = Svg.LEFT + ERROR_LABEL_WIDTH;
    double barSpace = Svg.RIGHT - x0 - 130;
    long max = rows.get(0).getValue();
    for (int i = 0; i < rows.size(); i++) {
      String type = rows.get(i).getKey();
      long n = rows.get(i).getValue();
      double y = top + i * ERROR_ROW;
      double w = Math.max(2, barSpace * n / max);
      svg.text(x0 - 10, y + 17, Fmt.clip(type, ERROR_LABEL_CHARS), "tick", "end");
      svg.rect(x0, y + 4, w, ERROR_ROW - 8, Palette.ERRORS, 1, type + ": " + Fmt.count(n));
      svg.text(x0 + w + 8, y + 17, Fmt.count(n) + " (" + Fmt.percent(n, total) + ")", "tick",
          "start");
    }
    svg.line(x0, top, x0, top + rows.size() * ERROR_ROW, "axis");
    return svg.close();
  }
}
