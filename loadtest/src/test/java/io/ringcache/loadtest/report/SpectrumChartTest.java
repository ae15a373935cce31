package io.ringcache.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.ringcache.loadtest.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpectrumChartTest {

  private static final Pattern SERIES = Pattern.compile(
      "<path class=\"series\" d=\"([^\"]*)\" stroke=\"([^\"]*)\"[^>]*><title>([^<]*)</title>");

  /**
   * One line per operation, in the operation's colour; along each line the percentile only grows
   * (x strictly increasing) and so does the latency (y, downwards in SVG, never increasing).
   */
  @Test
  void render_killAndRestart_oneSeriesPerOperationInPercentileOrder() {
    RunResult run = SampleRuns.killAndRestart();
    List<String> ops = Palette.opNames(run);

    String svg = SpectrumChart.render(run, ops);

    Matcher m = SERIES.matcher(svg);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(3));
      assertThat(m.group(2)).isEqualTo(Palette.op(ops.indexOf(m.group(3))));
      List<double[]> points = points(m.group(1));
      assertThat(points).as(m.group(3)).hasSizeGreaterThan(20);
      for (int i = 1; i < points.size(); i++) {
        assertThat(points.get(i)[0]).as("x of point %d of %s", i, m.group(3))
            .isGreaterThan(points.get(i - 1)[0]);
        assertThat(points.get(i)[1]).as("y of point %d of %s", i, m.group(3))
            .isLessThanOrEqualTo(points.get(i - 1)[1]);
      }
      assertThat(points.get(0)[0]).isEqualTo(Svg.LEFT);
      assertThat(points.get(points.size() - 1)[0]).isEqualTo(Svg.RIGHT);
    }
    assertThat(names).containsExactly("get", "put");
    // 480,000 gets resolve six nines; the axis stops there.
    assertThat(svg).contains(">0%</text>", ">90%</text>", ">99.9%</text>", ">99.9999%</text>")
        .doesNotContain(">99.99999%</text>");
  }

  @Test
  void render_noHistograms_saysSoWithoutSeries() {
    String svg = SpectrumChart.render(SampleRuns.singleInterval(), List.of("get"));
    assertThat(svg).contains("No latency recorded").doesNotContain("class=\"series\"");
  }

  /** 1..1,000 µs once each: the minimum at 0 nines, p90 at 1, p99 at 2, the maximum at the end. */
  @Test
  void points_uniformHistogram_followTheDistributionAndEndAtTheMaximum() {
    Histogram h = new Histogram(3);
    for (int v = 1; v <= 1_000; v++) {
      h.recordValue(v);
    }
    List<double[]> points = SpectrumChart.points(h, 3);

    assertThat(points.get(0)).containsExactly(0, 1);
    assertThat(points.get(points.size() - 1)).containsExactly(3, 1_000);
    for (double[] p : points) {
      double percentile = 1 - Math.pow(10, -p[0]);
      if (p[0] < 3) {
        // The value at a percentile of a uniform 1..1000 is about 1000 times it.
        assertThat(p[1]).as("value at %s", percentile).isCloseTo(1_000 * percentile,
            offset(2.0));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"0, 0%", "1, 90%", "2, 99%", "3, 99.9%", "5, 99.999%", "0.5, 68.3772%"})
  void percentileLabel_ofNines(double nines, String label) {
    assertThat(SpectrumChart.percentileLabel(nines)).isEqualTo(label);
  }

  private static List<double[]> points(String d) {
    List<double[]> out = new ArrayList<>();
    for (String step : d.split("(?=[ML])")) {
      String[] xy = step.substring(1).trim().split(" ");
      out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
    }
    return out;
  }
}
