package io.ringcache.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.AssertionResult;
import io.ringcache.loadtest.run.RunResult.Consistency;
import io.ringcache.loadtest.run.RunResult.Event;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

  private static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);
  private static final Pattern NUMBER_ATTR =
      Pattern.compile("\\b(?:x|y|x1|y1|x2|y2|cx|cy|width|height)=\"([^\"]*)\"");

  static Stream<Arguments> runs() {
    return Stream.of(
        Arguments.of("killAndRestart", SampleRuns.killAndRestart()),
        Arguments.of("empty", SampleRuns.empty()),
        Arguments.of("singleInterval", SampleRuns.singleInterval()),
        Arguments.of("nothingCompleted", SampleRuns.nothingCompleted()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void render_anyRun_fiveWellFormedChartsWithoutNaN(String name, RunResult run) throws Exception {
    String page = HtmlReport.render(run);

    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(page).doesNotContain("NaN").doesNotContain("Infinity");
    List<String> svgs = svgs(page);
    assertThat(svgs).hasSize(5);
    for (String svg : svgs) {
      Document doc = parseXml(svg);
      assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
      Matcher m = NUMBER_ATTR.matcher(svg);
      while (m.find()) {
        assertThat(Double.parseDouble(m.group(1))).as(m.group()).isFinite();
      }
    }
    assertThat(page).contains("id=\"throughput\"", "id=\"latency\"", "id=\"distribution\"",
        "id=\"spectrum\"", "id=\"errors\"", "id=\"summary\"", "id=\"assertions\"",
        "id=\"consistency\"");
  }

  @Test
  void render_killAndRestart_markersOnBothTimeChartsAndSummaryRows() {
    String page = HtmlReport.render(SampleRuns.killAndRestart());
    List<String> svgs = svgs(page);

    for (String timeChart : List.of(svgs.get(0), svgs.get(1))) {
      assertThat(timeChart).contains(">kill node-2</text>", ">start node-2</text>");
      assertThat(count(timeChart, "class=\"marker\"")).isEqualTo(2);
    }
    assertThat(page).contains("<span class=\"badge pass\">PASSED</span>");
    assertThat(page).contains("<td class=\"l\">get</td>", "<td class=\"l\">put</td>", ">all</td>");
    assertThat(svgs.get(4)).contains("ConnectTimeoutException", "NOT_OWNER");
    assertThat(page).contains("\u2713</td><td class=\"l\">p99 &lt; 5 ms</td>");
  }

  @Test
  void render_hostileStrings_escapedEverywhere() throws Exception {
    String script = "<script>alert('x')</script>";
    RunResult base = SampleRuns.killAndRestart();
    Map<String, Long> errors = new LinkedHashMap<>(base.errors());
    errors.put("<img src=x onerror=alert(1)>", 5L);
    RunResult hostile = new RunResult(script, "\"ring\" & <cache>", base.startedAtEpochMillis(),
        base.durationMillis(), base.ops(), base.timeline(), errors,
        List.of(new Event(20_000, "kill", "</svg>" + script)),
        List.of(new AssertionResult(script, false, "<b>3 ms</b>")), base.consistency());

    String page = HtmlReport.render(hostile);

    assertThat(page).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>");
    assertThat(page).contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; ");
    assertThat(page).contains("&quot;ring&quot; &amp; &lt;cache&gt;");
    assertThat(page).contains("kill &lt;/svg&gt;&lt;script&gt;");
    assertThat(page).contains("<span class=\"badge fail\">FAILED</span>");
    for (String svg : svgs(page)) {
      parseXml(svg);
    }
    assertThat(svgs(page)).hasSize(5);
  }

  @Test
  void render_jvmOptions_statedInTheHeaderEscaped() {
    RunResult run = SampleRuns.killAndRestart().withJvmOptions(
        List.of("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5", "-Dnote=<b>"));

    String header = header(HtmlReport.render(run));

    assertThat(header).contains("<dt>JVM options</dt><dd>-Xmx256m -XX:+UseG1GC"
        + " -XX:MaxGCPauseMillis=5 -Dnote=&lt;b&gt;</dd>");
  }

  @Test
  void render_noJvmFlags_headerSaysTheJvmDefaults() {
    String header = header(HtmlReport.render(SampleRuns.singleInterval().withJvmOptions(
        List.of())));

    assertThat(header).contains("<dt>JVM options</dt><dd>none (the JVM&#39;s defaults)</dd>");
  }

  @Test
  void render_unknownJvmOptions_noField() {
    assertThat(HtmlReport.render(SampleRuns.killAndRestart())).doesNotContain("JVM options");
  }

  @Test
  void render_staleReads_failedAndHighlighted() {
    RunResult base = SampleRuns.killAndRestart();
    RunResult stale = new RunResult(base.simulation(), base.target(), base.startedAtEpochMillis(),
        base.durationMillis(), base.ops(), base.timeline(), base.errors(), base.events(),
        base.assertions(), new Consistency(100, 400, 3, 0));

    String page = HtmlReport.render(stale);

    assertThat(page).contains("badge fail\">FAILED", "<td class=\"ko\">3</td>",
        "<td class=\"ok\">0</td>");
  }

  @Test
  void render_nothingCompleted_dashesInsteadOfMadeUpLatency() {
    String page = HtmlReport.render(SampleRuns.nothingCompleted());

    assertThat(page).contains("<td>\u2013</td>").contains("\u2717</td>")
        .contains("No latency recorded").contains("No errors");
  }

  @Test
  void render_eventsCloseTogether_labelsOnSeparateRows() {
    RunResult base = SampleRuns.killAndRestart();
    RunResult close = new RunResult(base.simulation(), base.target(), base.startedAtEpochMillis(),
        base.durationMillis(), base.ops(), base.timeline(), base.errors(),
        List.of(new Event(20_000, "kill", "node-2"), new Event(20_500, "kill", "node-3"),
            new Event(59_900, "drain", "node-1")),
        base.assertions(), base.consistency());

    Element latency = (Element) parseXmlQuietly(svgs(HtmlReport.render(close)).get(1))
        .getDocumentElement();
    Map<String, Element> labels = new LinkedHashMap<>();
    NodeList texts = latency.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      if (t.getAttribute("class").equals("marker-label")) {
        labels.put(t.getTextContent(), t);
      }
    }

    assertThat(labels).containsOnlyKeys("kill node-2", "kill node-3", "drain node-1");
    assertThat(labels.get("kill node-2").getAttribute("y"))
        .isNotEqualTo(labels.get("kill node-3").getAttribute("y"));
    // Near the right edge the label turns to the left of its marker rather than being clipped.
    assertThat(labels.get("drain node-1").getAttribute("text-anchor")).isEqualTo("end");
  }

  @Test
  void render_manyErrorTypes_restSummedIntoOther() {
    RunResult base = SampleRuns.killAndRestart();
    Map<String, Long> errors = new LinkedHashMap<>();
    for (int i = 0; i < BarCharts.MAX_ERROR_BARS + 5; i++) {
      errors.put("Error" + i, 100L - i);
    }
    RunResult many = new RunResult(base.simulation(), base.target(), base.startedAtEpochMillis(),
        base.durationMillis(), base.ops(), base.timeline(), errors, base.events(),
        base.assertions(), base.consistency());

    String errorChart = svgs(HtmlReport.render(many)).get(4);

    assertThat(count(errorChart, "<rect")).isEqualTo(BarCharts.MAX_ERROR_BARS);
    assertThat(errorChart).contains(">Error0</text>", ">other (6 types)</text>")
        .doesNotContain(">Error19</text>");
  }

  @Test
  void write_missingDirectory_createsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("reports/run-1/index.html");

    HtmlReport.write(SampleRuns.killAndRestart(), file);

    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(HtmlReport.render(SampleRuns.killAndRestart()));
  }

  @Test
  void write_loneSurrogateInDetail_writesReplacement(@TempDir Path dir) throws Exception {
    RunResult base = SampleRuns.singleInterval();
    RunResult odd = new RunResult(base.simulation(), base.target(), base.startedAtEpochMillis(),
        base.durationMillis(), base.ops(), base.timeline(), base.errors(),
        List.of(new Event(0, "kill", "node-\uD800")), base.assertions(), null);
    Path file = dir.resolve("odd.html");

    HtmlReport.write(odd, file);

    assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("kill node-?");
  }

  private static String header(String page) {
    return page.substring(page.indexOf("<header>"), page.indexOf("</header>"));
  }

  private static List<String> svgs(String page) {
    List<String> out = new ArrayList<>();
    Matcher m = SVG.matcher(page);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Inline SVG must also be well-formed XML: an unescaped {@code <} or {@code &} fails here. */
  static Document parseXml(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static Document parseXmlQuietly(String svg) {
    try {
      return parseXml(svg);
    } catch (Exception e) {
      throw new AssertionError("not well-formed: " + svg, e);
    }
  }
}
