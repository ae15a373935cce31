package io.ringcache.loadtest.report;

import static io.ringcache.loadtest.report.Fmt.num;

import io.ringcache.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The percentile spectrum: latency (ms, log axis) against percentile, one line per operation,
 * the chart HdrHistogram's plotter draws. The percentile axis is in "nines", x = log10(1 / (1 -
 * p)), so 90%, 99%, 99.9% and 99.99% are equally spaced and the tail, where a cache's trouble
 * shows, gets as much room as the median.
 *
 * <p>Points come from each operation's whole-run histogram (the sum of its intervals in {@link
 * RunResult#latencies()}) by HdrHistogram's percentile iteration, five steps per halving of the
 * distance to 100%. The axis ends at the nines the largest operation can resolve, {@code
 * ceil(log10(count))} (two at least): beyond that there is no sample to tell, so each line ends
 * with its maximum drawn at the axis end.
 */
final class SpectrumChart {

  private static final int TICKS_PER_HALF_DISTANCE = 5;
  private static final int MIN_NINES = 2;

  private SpectrumChart() {}

  static String render(RunResult r, List<String> ops) {
    double top = 16;
    double bottom = top + 300;
    Svg svg = new Svg(bottom + 48, "Latency by percentile per operation");

    List<Histogram> totals = new ArrayList<>();
    long largest = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (String op : ops) {
      Histogram h = r.latencies().total(op);
      totals.add(h);
      largest = Math.max(largest, h.getTotalCount());
      if (h.getTotalCount() > 0) {
        min = Math.min(min, Math.max(1, h.getMinValue()));
        max = Math.max(max, Math.max(1, h.getMaxValue()));
      }
    }
    boolean empty = largest == 0;
    int nines = Math.max(MIN_NINES, (int) Math.ceil(Math.log10(Math.max(1, largest))));
    Scale x = Scale.linear(nines, Svg.LEFT, Svg.RIGHT, nines);
    Scale y = empty ? Scale.log(1000, 10_000, bottom, top) : Scale.log(min, max, bottom, top);
    svg.yAxis(y, Fmt::tickMillis, "latency (ms, log scale)");
    svg.xAxis(x, top, bottom, SpectrumChart::percentileLabel, "percentile", true);
    if (empty) {
      svg.note(top, bottom, "No latency recorded");
      return svg.close();
    }
    for (int k = 0; k < ops.size(); k++) {
      List<double[]> points = points(totals.get(k), nines);
      StringBuilder d = new StringBuilder();
      for (double[] p : points) {
        d.append(d.length() == 0 ? 'M' : 'L').append(num(x.map(p[0]))).append(' ')
            .append(num(y.map(Math.max(1, p[1]))));
      }
      svg.titledPath(d.toString(), Palette.op(k), 2, "series", ops.get(k));
    }
    return svg.close();
  }

  /**
   * {@code {nines, micros}} pairs in increasing percentile order: the histogram's percentile
   * levels below {@code maxNines}, then its maximum at {@code maxNines}. Empty for an empty
   * histogram.
   */
  static List<double[]> points(Histogram h, int maxNines) {
    List<double[]> out = new ArrayList<>();
    if (h.getTotalCount() == 0) {
      return out;
    }
    for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
      double level = v.getPercentileLevelIteratedTo() / 100.0;
      if (level >= 1) {
        break;
      }
      double n = nines(level);
      if (n >= maxNines) {
        break;
      }
      out.add(new double[] {n, v.getValueIteratedTo()});
    }
    out.add(new double[] {maxNines, h.getMaxValue()});
    return out;
  }

  /** log10(1 / (1 - p)): 0 for the minimum, 1 for p90, 2 for p99, 3 for p99.9. */
  static double nines(double p) {
    return Math.log10(1 / (1 - p));
  }

  /** The percentile at {@code nines}: {@code 0%}, {@code 90%}, {@code 99%}, {@code 99.9%}. */
  static String percentileLabel(double nines) {
    long whole = Math.round(nines);
    if (Math.abs(nines - whole) > 1e-9) {
      return Fmt.plain(100 * (1 - Math.pow(10, -nines))) + "%";
    }
    return switch ((int) whole) {
      case 0 -> "0%";
      case 1 -> "90%";
      case 2 -> "99%";
      default -> "99." + "9".repeat((int) whole - 2) + "%";
    };
  }
}
