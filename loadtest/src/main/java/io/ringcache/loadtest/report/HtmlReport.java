package io.ringcache.loadtest.report;

import static io.ringcache.loadtest.report.Fmt.html;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.AssertionResult;
import io.ringcache.loadtest.run.RunResult.Consistency;
import io.ringcache.loadtest.run.RunResult.Event;
import io.ringcache.loadtest.run.RunResult.OpStats;
import io.ringcache.loadtest.run.Summary;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A run as one self-contained HTML page, laid out like a Gatling report: header with the verdict
 * (and the target's JVM flags when known), assertions, per-operation summary, consistency totals,
 * then charts of throughput, latency over time, latency distribution, latency by percentile
 * ({@link SpectrumChart}) and errors by type, and the chaos events.
 *
 * <p>Design: the page must open from a CI artifact or an e-mail with no network, so there is no
 * script, font or stylesheet to fetch; the charts are SVG drawn here in Java ({@link TimeCharts},
 * {@link BarCharts}, {@link SpectrumChart}) and styled by the inline CSS. Every string from the
 * run (simulation name, error types, event details, assertion text) goes through {@link
 * Fmt#html}: a simulation may be named by whoever wrote it, and the report is opened in a browser.
 */
public final class HtmlReport {

  private HtmlReport() {}

  /** Writes {@link #render} to {@code file} as UTF-8, creating missing parent directories. */
  public static void write(RunResult result, Path file) {
    ReportFiles.write(render(result), file);
  }

  /** The whole page. */
  public static String render(RunResult result) {
    Objects.requireNonNull(result, "result");
    List<String> ops = Palette.opNames(result);
    StringBuilder out = new StringBuilder(64 * 1024);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(html(result.simulation())).append(" \u2013 ringcache load test")
        .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    header(out, result);
    assertions(out, result.assertions());
    summary(out, result.ops());
    consistency(out, result.consistency());

    out.append("<section id=\"throughput\">\n<h2>Throughput</h2>\n");
    legend(out, opLegend(ops, ops.size() > 1), Palette.ERRORS, "errors/s");
    out.append(TimeCharts.throughput(result, ops)).append("\n</section>\n");

    out.append("<section id=\"latency\">\n<h2>Latency over time</h2>\n");
    legend(out, "", Palette.P50, "p50", Palette.P99, "p99", Palette.P999, "p99.9");
    out.append(TimeCharts.latency(result)).append("\n</section>\n");

    out.append("<section id=\"distribution\">\n<h2>Latency distribution</h2>\n");
    legend(out, opLegend(ops, false));
    out.append(BarCharts.distribution(result, ops)).append("\n</section>\n");

    out.append("<section id=\"spectrum\">\n<h2>Latency by percentile</h2>\n");
    legend(out, opLegend(ops, false));
    out.append(SpectrumChart.render(result, ops)).append("\n</section>\n");

    out.append("<section id=\"errors\">\n<h2>Errors by type</h2>\n");
    out.append(BarCharts.errors(result)).append("\n</section>\n");

    events(out, result.events());
    out.append("</main>\n</body>\n</html>\n");
    return out.toString();
  }

  private static void header(StringBuilder out, RunResult r) {
    boolean passed = r.passed();
    long requests = r.ops().stream().mapToLong(OpStats::count).sum();
    long errors = r.ops().stream().mapToLong(OpStats::errors).sum();
    out.append("<header>\n<h1>").append(html(r.simulation())).append(" <span class=\"badge ")
        .append(passed ? "pass\">PASSED" : "fail\">FAILED").append("</span></h1>\n<dl>\n");
    field(out, "target", html(r.target()));
    if (r.jvmOptions() != null) {
      field(out, "JVM options", html(Summary.jvmOptions(r.jvmOptions())));
    }
    field(out, "started", html(Fmt.startTime(r.startedAtEpochMillis())));
    field(out, "duration", html(Fmt.duration(r.durationMillis())));
    field(out, "requests", Fmt.count(requests));
    field(out, "errors", Fmt.count(errors) + " (" + html(Fmt.percent(errors, requests)) + ")");
    out.append("</dl>\n</header>\n");
  }

  private static void field(StringBuilder out, String name, String escapedValue) {
    out.append("<div><dt>").append(name).append("</dt><dd>").append(escapedValue)
        .append("</dd></div>\n");
  }

  private static void assertions(StringBuilder out, List<AssertionResult> assertions) {
    out.append("<section id=\"assertions\">\n<h2>Assertions</h2>\n");
    if (assertions.isEmpty()) {
      out.append("<p class=\"muted\">No assertions.</p>\n</section>\n");
      return;
    }
    out.append("<table>\n<thead><tr><th></th><th class=\"l\">assertion</th>")
        .append("<th class=\"l\">actual</th></tr></thead>\n<tbody>\n");
    for (AssertionResult a : assertions) {
      out.append("<tr class=\"").append(a.passed() ? "ok" : "ko").append("\"><td class=\"mark\">")
          .append(a.passed() ? "\u2713" : "\u2717").append("</td><td class=\"l\">")
          .append(html(a.description())).append("</td><td class=\"l\">").append(html(a.actual()))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</section>\n");
  }

  private static void summary(StringBuilder out, List<OpStats> ops) {
    out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<table>\n<thead><tr>")
        .append("<th class=\"l\">operation</th><th>count</th><th>errors</th><th>ops/s</th>")
        .append("<th>mean</th><th>p50</th><th>p75</th><th>p95</th><th>p99</th><th>p99.9</th>")
        .append("<th>max</th></tr></thead>\n<tbody>\n");
    long count = 0;
    long errors = 0;
    double rate = 0;
    for (OpStats s : ops) {
      count += s.count();
      errors += s.errors();
      rate += Double.isFinite(s.opsPerSecond()) ? s.opsPerSecond() : 0;
      out.append("<tr><td class=\"l\">").append(html(s.op())).append("</td><td>")
          .append(Fmt.count(s.count())).append("</td><td").append(s.errors() > 0 ? " class=\"ko\">"
              : ">").append(Fmt.count(s.errors())).append(" <small>")
          .append(html(Fmt.percent(s.errors(), s.count()))).append("</small></td><td>")
          .append(Fmt.rate(s.opsPerSecond())).append("</td>");
      // A mean over no requests is 0/0; show a dash rather than a made-up zero.
      latencyCell(out, s.count() > 0 ? s.meanMicros() : Double.NaN);
      for (long v : new long[] {s.p50Micros(), s.p75Micros(), s.p95Micros(), s.p99Micros(),
          s.p999Micros(), s.maxMicros()}) {
        latencyCell(out, s.count() > 0 ? v : Double.NaN);
      }
      out.append("</tr>\n");
    }
    if (ops.size() > 1) {
      out.append("<tr class=\"total\"><td class=\"l\">all</td><td>").append(Fmt.count(count))
          .append("</td><td>").append(Fmt.count(errors)).append(" <small>")
          .append(html(Fmt.percent(errors, count))).append("</small></td><td>")
          .append(Fmt.rate(rate)).append("</td>")
          .append("<td colspan=\"7\" class=\"note\">percentiles are per operation</td></tr>\n");
    }
    if (ops.isEmpty()) {
      out.append("<tr><td colspan=\"11\" class=\"l muted\">No operations recorded.</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n<p class=\"muted\">Latencies in ms, measured from each ")
        .append("request's intended start, so queueing delay counts.</p>\n</section>\n");
  }

  private static void latencyCell(StringBuilder out, double micros) {
    out.append("<td>").append(Fmt.millis(micros)).append("</td>");
  }

  private static void consistency(StringBuilder out, Consistency c) {
    out.append("<section id=\"consistency\">\n<h2>Consistency</h2>\n");
    if (c == null) {
      out.append("<p class=\"muted\">The consistency checker did not run.</p>\n</section>\n");
      return;
    }
    out.append("<table>\n<thead><tr><th>acknowledged writes</th><th>checked reads</th>")
        .append("<th>stale reads</th><th>lost writes</th></tr></thead>\n<tbody><tr><td>")
        .append(Fmt.count(c.writes())).append("</td><td>").append(Fmt.count(c.reads()))
        .append("</td><td").append(c.violations() > 0 ? " class=\"ko\">" : " class=\"ok\">")
        .append(Fmt.count(c.violations())).append("</td><td")
        .append(c.lost() > 0 ? " class=\"ko\">" : " class=\"ok\">").append(Fmt.count(c.lost()))
        .append("</td></tr></tbody>\n</table>\n</section>\n");
  }

  private static void events(StringBuilder out, List<Event> events) {
    out.append("<section id=\"events\">\n<h2>Events</h2>\n");
    if (events.isEmpty()) {
      out.append("<p class=\"muted\">No chaos events.</p>\n</section>\n");
      return;
    }
    out.append("<table class=\"compact\">\n<thead><tr><th>at</th><th class=\"l\">kind</th>")
        .append("<th class=\"l\">detail</th></tr></thead>\n<tbody>\n");
    for (Event e : events) {
      out.append("<tr><td>").append(html(Fmt.plain(e.offsetMillis() / 1000.0))).append(" s</td>")
          .append("<td class=\"l\"><span class=\"sw\" style=\"background:")
          .append(Palette.event(e.kind())).append("\"></span>").append(html(e.kind()))
          .append("</td><td class=\"l\">").append(html(e.detail())).append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</section>\n");
  }

  /** Colour and name pairs for operations, with the total line when it is drawn. */
  private static String opLegend(List<String> ops, boolean withTotal) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < ops.size(); k++) {
      item(out, Palette.op(k), ops.get(k));
    }
    if (withTotal) {
      item(out, Palette.TOTAL, "all");
    }
    return out.toString();
  }

  private static void legend(StringBuilder out, String items, String... colorAndName) {
    StringBuilder all = new StringBuilder(items);
    for (int i = 0; i + 1 < colorAndName.length; i += 2) {
      item(all, colorAndName[i], colorAndName[i + 1]);
    }
    out.append("<div class=\"legend\">").append(all).append("</div>\n");
  }

  private static void item(StringBuilder out, String color, String name) {
    out.append("<span><span class=\"sw\" style=\"background:").append(color).append("\"></span>")
        .append(html(name)).append("</span>");
  }

  private static final String CSS = """
      :root { color-scheme: light; }
      body { margin: 0; background: #f3f4f6; color: #111827;
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
          sans-serif; }
      main { max-width: 1200px; margin: 0 auto; padding: 16px 20px 40px; }
      header, section { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px;
        padding: 14px 18px; margin: 0 0 16px; }
      h1 { font-size: 22px; margin: 0 0 10px; word-break: break-word; }
      h2 { font-size: 16px; margin: 0 0 10px; }
      dl { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 0; }
      dt { color: #6b7280; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
      dd { margin: 0; font-weight: 600; word-break: break-word; }
      .badge { display: inline-block; vertical-align: middle; font-size: 13px; padding: 3px 10px;
        border-radius: 4px; color: #fff; letter-spacing: .05em; }
      .badge.pass { background: #2e7d32; }
      .badge.fail { background: #c62828; }
      table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
      th, td { padding: 5px 10px; border-bottom: 1px solid #e5e7eb; text-align: right;
        white-space: nowrap; }
      table.compact { width: auto; min-width: 40%; }
      th { color: #6b7280; font-weight: 600; font-size: 12px; }
      th.l, td.l { text-align: left; white-space: normal; word-break: break-word; }
      tr.total td { font-weight: 600; border-top: 2px solid #d1d5db; }
      tr.total td.note { font-weight: 400; color: #6b7280; text-align: center; font-size: 12px; }
      td.mark { width: 1.5em; text-align: center; font-weight: 700; }
      tr.ok td.mark, td.ok { color: #2e7d32; }
      tr.ko td.mark, td.ko { color: #c62828; }
      tr.ko td { background: #fef2f2; }
      small { color: #6b7280; }
      .muted { color: #6b7280; }
      p.muted { margin: 8px 0 0; font-size: 12px; }
      .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0 0 6px 78px;
        font-size: 13px; }
      .sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
        margin-right: 6px; vertical-align: -1px; }
      svg { display: block; width: 100%; height: auto; }
      svg text { font-family: inherit; }
      svg .tick { font-size: 12px; fill: #374151; }
      svg .axis-title { font-size: 12px; fill: #6b7280; }
      svg .note { font-size: 14px; fill: #9ca3af; }
      svg .grid { stroke: #eef0f3; stroke-width: 1; }
      svg .grid.minor { stroke: #f5f6f8; }
      svg .axis { stroke: #9ca3af; stroke-width: 1; }
      svg .series { fill: none; stroke-linejoin: round; stroke-linecap: round; }
      svg .marker { stroke-width: 1.5; stroke-dasharray: 5 4; }
      svg .marker-label { font-size: 12px; font-weight: 600; }
      """;
}
