package io.ringcache.loadtest.report;

import static io.ringcache.loadtest.report.Fmt.num;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.Event;
import io.ringcache.loadtest.run.RunResult.Interval;
import java.util.ArrayList;
import java.util.List;

/**
 * The two charts over run time: throughput (requests/s per operation and in total, errors/s in a
 * panel underneath) and latency percentiles (p50, p99, p99.9 on a log axis in ms). Both share one
 * time axis and draw the chaos events as labelled vertical markers, so a latency spike lines up
 * with the kill that caused it.
 *
 * <p>Each interval is plotted at its midpoint, its length taken from the gap to the next interval
 * (the contract's one second when there is no gap to measure), and rates are requests divided by
 * that length, so a short last interval does not show as a throughput drop.
 */
final class TimeCharts {

  private static final double DEFAULT_INTERVAL_MILLIS = 1000;
  private static final double LABEL_ROW = 16;
  private static final int MAX_LABEL_ROWS = 4;
  private static final double CHAR_WIDTH = 6.6;

  private TimeCharts() {}

  static String throughput(RunResult r, List<String> ops) {
    Frame f = new Frame(r);
    double mainTop = f.top;
    double mainBottom = mainTop + 240;
    double errTop = mainBottom + 18;
    double errBottom = errTop + 80;
    Svg svg = new Svg(errBottom + 48, "Requests and errors per second over time");

    List<Interval> tl = r.timeline();
    double maxTotal = 0;
    double maxErr = 0;
    for (int i = 0; i < tl.size(); i++) {
      maxTotal = Math.max(maxTotal, f.rate(i, tl.get(i).requests()));
      maxErr = Math.max(maxErr, f.rate(i, tl.get(i).errors()));
    }
    Scale y = Scale.linear(maxTotal, mainBottom, mainTop, 5);
    Scale ye = Scale.linear(Math.max(maxErr, 1), errBottom, errTop, 2);

    svg.yAxis(y, Fmt::plain, "requests/s");
    svg.yAxis(ye, Fmt::plain, "errors/s");
    svg.xAxis(f.x, mainTop, mainBottom, Fmt::plain, "", false);
    svg.xAxis(f.x, errTop, errBottom, Fmt::plain, "time since start (s)", true);

    if (tl.isEmpty()) {
      svg.note(mainTop, mainBottom, "No requests recorded");
    } else {
      for (int k = 0; k < ops.size(); k++) {
        String op = ops.get(k);
        series(svg, f, y, i -> f.rate(i, byOp(tl.get(i), op)), Palette.op(k), 2);
      }
      if (ops.size() > 1) {
        series(svg, f, y, i -> f.rate(i, tl.get(i).requests()), Palette.TOTAL, 1.5);
      }
      for (int i = 0; i < tl.size(); i++) {
        long errors = tl.get(i).errors();
        if (errors > 0) {
          double rate = f.rate(i, errors);
          double w = Math.max(1.5, f.widthPx(i) - 1);
          double x = f.x.map(f.midSeconds(i)) - w / 2;
          double top = Math.min(ye.map(rate), errBottom - BarCharts.MIN_BAR_HEIGHT);
          svg.rect(x, top, w, errBottom - top, Palette.ERRORS, 1,
              Fmt.plain(f.secondsAt(i)) + " s: " + Fmt.count(errors) + " errors");
        }
      }
    }
    f.markers(svg, errBottom);
    return svg.close();
  }

  static String latency(RunResult r) {
    Frame f = new Frame(r);
    double top = f.top;
    double bottom = top + 300;
    Svg svg = new Svg(bottom + 48, "Latency percentiles over time");

    List<Interval> tl = r.timeline();
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Interval i : tl) {
      if (i.requests() > 0) {
        for (long v : new long[] {i.p50Micros(), i.p99Micros(), i.p999Micros()}) {
          if (v > 0) {
            min = Math.min(min, v);
            max = Math.max(max, v);
          }
        }
      }
    }
    boolean empty = max == 0;
    Scale y = empty ? Scale.log(1000, 10_000, bottom, top) : Scale.log(min, max, bottom, top);
    svg.yAxis(y, Fmt::tickMillis, "latency (ms, log scale)");
    svg.xAxis(f.x, top, bottom, Fmt::plain, "time since start (s)", true);
    if (empty) {
      svg.note(top, bottom, "No latency recorded");
    } else {
      series(svg, f, y, i -> latencyAt(tl.get(i), tl.get(i).p50Micros()), Palette.P50, 2);
      series(svg, f, y, i -> latencyAt(tl.get(i), tl.get(i).p99Micros()), Palette.P99, 2);
      series(svg, f, y, i -> latencyAt(tl.get(i), tl.get(i).p999Micros()), Palette.P999, 2);
    }
    f.markers(svg, bottom);
    return svg.close();
  }

  /** An interval without requests has no latency: a gap in the line, not a drop to zero. */
  private static double latencyAt(Interval i, long micros) {
    return i.requests() > 0 && micros > 0 ? micros : Double.NaN;
  }

  private static long byOp(Interval i, String op) {
    Long n = i.requestsByOp() == null ? null : i.requestsByOp().get(op);
    return n == null ? 0 : n;
  }

  /**
   * One line through the intervals' midpoints, broken where {@code value} is NaN; a run of a
   * single point is drawn as a dot so it does not vanish.
   */
  private static void series(Svg svg, Frame f, Scale y, IntToDouble value, String color,
      double width) {
    int n = f.timeline.size();
    StringBuilder d = new StringBuilder();
    int runLength = 0;
    double lastX = 0;
    double lastY = 0;
    for (int i = 0; i <= n; i++) {
      double v = i < n ? value.apply(i) : Double.NaN;
      if (Double.isNaN(v)) {
        if (runLength == 1) {
          svg.dot(lastX, lastY, color);
        }
        runLength = 0;
        continue;
      }
      lastX = f.x.map(f.midSeconds(i));
      lastY = y.map(v);
      d.append(runLength == 0 ? 'M' : 'L').append(num(lastX)).append(' ').append(num(lastY));
      runLength++;
    }
    svg.path(d.toString(), color, width, "series");
  }

  @FunctionalInterface
  private interface IntToDouble {
    double apply(int i);
  }

  /** The time axis and event label rows shared by both charts. */
  private static final class Frame {
    final List<Interval> timeline;
    final List<Event> events;
    final Scale x;
    final double top;
    private final double[] widthMillis;
    private final int[] labelRow;
    private final boolean[] labelLeft;

    Frame(RunResult r) {
      timeline = r.timeline();
      events = r.events();
      widthMillis = new double[timeline.size()];
      for (int i = 0; i < widthMillis.length; i++) {
        double gap = i + 1 < widthMillis.length
            ? timeline.get(i + 1).offsetMillis() - timeline.get(i).offsetMillis()
            : i > 0 ? widthMillis[i - 1] : DEFAULT_INTERVAL_MILLIS;
        widthMillis[i] = gap > 0 ? gap : DEFAULT_INTERVAL_MILLIS;
      }
      double end = Math.max(0, r.durationMillis());
      if (!timeline.isEmpty()) {
        int last = timeline.size() - 1;
        end = Math.max(end, timeline.get(last).offsetMillis() + widthMillis[last]);
      }
      for (Event e : events) {
        end = Math.max(end, e.offsetMillis());
      }
      x = Scale.linear(end / 1000.0, Svg.LEFT, Svg.RIGHT, 12);

      labelRow = new int[events.size()];
      labelLeft = new boolean[events.size()];
      int rows = layoutLabels();
      top = 14 + rows * LABEL_ROW;
    }

    /**
     * Greedy rows for the event labels: each label goes on the first row where it does not run
     * into the previous one, flipping to the left of its marker near the right edge. Beyond
     * {@link #MAX_LABEL_ROWS} rows labels may overlap; the events table lists them all.
     */
    private int layoutLabels() {
      List<Double> rowEnds = new ArrayList<>();
      int used = 0;
      for (int i = 0; i < events.size(); i++) {
        double px = x.map(events.get(i).offsetMillis() / 1000.0);
        double w = Palette.eventLabel(events.get(i)).length() * CHAR_WIDTH + 8;
        labelLeft[i] = px + w > Svg.RIGHT + 20;
        double start = labelLeft[i] ? px - w : px;
        double end = labelLeft[i] ? px : px + w;
        int row = -1;
        for (int k = 0; k < rowEnds.size(); k++) {
          if (rowEnds.get(k) < start) {
            row = k;
            break;
          }
        }
        if (row < 0 && rowEnds.size() < MAX_LABEL_ROWS) {
          rowEnds.add(0.0);
          row = rowEnds.size() - 1;
        }
        if (row < 0) {
          row = i % MAX_LABEL_ROWS;
        }
        rowEnds.set(row, end + 4);
        labelRow[i] = row;
        used = Math.max(used, row + 1);
      }
      return used;
    }

    /** Dashed vertical markers from the label rows down to {@code bottom}, with their labels. */
    void markers(Svg svg, double bottom) {
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        String color = Palette.event(e.kind());
        double px = x.map(e.offsetMillis() / 1000.0);
        double labelY = 12 + labelRow[i] * LABEL_ROW;
        svg.coloredLine(px, labelY + 3, px, bottom, "marker", color);
        svg.coloredText(labelLeft[i] ? px - 4 : px + 4, labelY, Palette.eventLabel(e),
            "marker-label", labelLeft[i] ? "end" : "start", color);
      }
    }

    double rate(int i, long n) {
      return n * 1000.0 / widthMillis[i];
    }

    double secondsAt(int i) {
      return timeline.get(i).offsetMillis() / 1000.0;
    }

    double midSeconds(int i) {
      return (timeline.get(i).offsetMillis() + widthMillis[i] / 2) / 1000.0;
    }

    double widthPx(int i) {
      return x.map(widthMillis[i] / 1000.0) - x.map(0);
    }
  }
}
