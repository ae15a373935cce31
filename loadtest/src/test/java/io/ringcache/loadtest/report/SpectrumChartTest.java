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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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

  /**
   * The chart is well-formed XML; its latency axis is logarithmic (decade ticks, equally spaced)
   * and so is its percentile axis (0%, 90%, 99%, ... equally spaced); each operation's last point,
   * its maximum, sits where the log scale puts that value.
   */
  @Test
  void render_killAndRestart_wellFormedWithLogAxesAndValuesOnThem() throws Exception {
    RunResult run = SampleRuns.killAndRestart();
    String svg = SpectrumChart.render(run, Palette.opNames(run));
    Document doc = HtmlReportTest.parseXml(svg);

    // A tick is a major grid line (horizontal for latency, vertical for percentile) and a label
    // after it; the label sits a few pixels off its line, so positions come from the lines.
    List<Double> yLines = new ArrayList<>();
    List<Double> xTicks = new ArrayList<>();
    NodeList lines = doc.getElementsByTagName("line");
    for (int i = 0; i < lines.getLength(); i++) {
      Element l = (Element) lines.item(i);
      if (l.getAttribute("class").equals("grid")) {
        if (l.getAttribute("y1").equals(l.getAttribute("y2"))) {
          yLines.add(Double.parseDouble(l.getAttribute("y1")));
        } else {
          xTicks.add(Double.parseDouble(l.getAttribute("x1")));
        }
      }
    }
    List<Double> yValues = new ArrayList<>();
    List<String> xLabels = new ArrayList<>();
    NodeList texts = doc.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      if (t.getAttribute("class").equals("tick")) {
        if (t.getAttribute("text-anchor").equals("end")) {
          yValues.add(Double.parseDouble(t.getTextContent()));
        } else {
          xLabels.add(t.getTextContent());
        }
      }
    }
    assertThat(yLines).hasSameSizeAs(yValues);
    assertThat(xTicks).hasSameSizeAs(xLabels);
    List<double[]> yTicks = new ArrayList<>();
    for (int i = 0; i < yValues.size(); i++) {
      yTicks.add(new double[] {yValues.get(i), yLines.get(i)});
    }
    assertThat(yTicks).hasSizeGreaterThanOrEqualTo(2);
    double decade = yTicks.get(0)[1] - yTicks.get(1)[1];
    for (int i = 1; i < yTicks.size(); i++) {
      assertThat(yTicks.get(i)[0] / yTicks.get(i - 1)[0]).as("ticks a decade apart")
          .isCloseTo(10, offset(1e-9));
      assertThat(yTicks.get(i - 1)[1] - yTicks.get(i)[1]).as("decades equally spaced")
          .isCloseTo(decade, offset(0.15));
    }
    assertThat(xLabels).startsWith("0%", "90%", "99%", "99.9%");
    for (int i = 1; i < xTicks.size(); i++) {
      assertThat(xTicks.get(i) - xTicks.get(i - 1)).as("nines equally spaced")
          .isCloseTo(xTicks.get(1) - xTicks.get(0), offset(0.15));
    }

    NodeList paths = doc.getElementsByTagName("path");
    List<String> series = new ArrayList<>();
    for (int i = 0; i < paths.getLength(); i++) {
      Element p = (Element) paths.item(i);
      if (!p.getAttribute("class").equals("series")) {
        continue;
      }
      String op = p.getElementsByTagName("title").item(0).getTextContent();
      series.add(op);
      List<double[]> points = points(p.getAttribute("d"));
      double maxMillis = run.latencies().total(op).getMaxValue() / 1000.0;
      double expectedY = yTicks.get(0)[1]
          - Math.log10(maxMillis / yTicks.get(0)[0]) * decade;
      assertThat(points.get(points.size() - 1)[1]).as("y of %s's maximum, %s ms", op, maxMillis)
          .isCloseTo(expectedY, offset(0.5));
    }
    assertThat(series).containsExactly("get", "put");
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
