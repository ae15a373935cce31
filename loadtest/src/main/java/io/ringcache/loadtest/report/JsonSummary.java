package io.ringcache.loadtest.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.AssertionResult;
import io.ringcache.loadtest.run.RunResult.Bucket;
import io.ringcache.loadtest.run.RunResult.Consistency;
import io.ringcache.loadtest.run.RunResult.Event;
import io.ringcache.loadtest.run.RunResult.Interval;
import io.ringcache.loadtest.run.RunResult.OpStats;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A run as JSON, for CI gates and comparisons across runs. Field names are the {@link RunResult}
 * component names, so they are the contract and stay stable; {@code schemaVersion} changes when
 * one is renamed or its meaning changes. Derived fields: {@code passed} ({@link
 * RunResult#passed()}) and {@code startedAt} (ISO-8601 UTC). Numbers are JSON numbers (times in
 * µs or ms as named), a missing consistency check or unknown {@code jvmOptions} is {@code null},
 * and map keys (error types, operations per interval) are sorted so two runs diff cleanly.
 * Written by Jackson's streaming generator, laid out by {@link SummaryLayout}.
 */
public final class JsonSummary {

  /** Bumped on any incompatible change to the field names or their meaning. */
  public static final int SCHEMA_VERSION = 1;

  private static final JsonFactory JSON = new JsonFactory();

  private JsonSummary() {}

  /** Writes {@link #render} to {@code file} as UTF-8, creating missing parent directories. */
  public static void write(RunResult result, Path file) {
    ReportFiles.write(render(result), file);
  }

  /** The whole result as one JSON object. */
  public static String render(RunResult result) {
    Objects.requireNonNull(result, "result");
    StringWriter text = new StringWriter(16 * 1024);
    SummaryLayout layout = new SummaryLayout();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.setPrettyPrinter(layout);
      g.setCharacterEscapes(new SummaryLayout.Escapes());
      summary(g, layout, result);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return text.append('\n').toString();
  }

  private static void summary(JsonGenerator g, SummaryLayout layout, RunResult result)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("schemaVersion", SCHEMA_VERSION);
    g.writeStringField("simulation", result.simulation());
    g.writeStringField("target", result.target());
    g.writeBooleanField("passed", result.passed());
    g.writeNumberField("startedAtEpochMillis", result.startedAtEpochMillis());
    g.writeStringField("startedAt",
        Instant.ofEpochMilli(result.startedAtEpochMillis()).toString());
    g.writeNumberField("durationMillis", result.durationMillis());
    g.writeFieldName("jvmOptions");
    if (result.jvmOptions() == null) {
      g.writeNull();
    } else {
      g.writeStartArray();
      for (String option : result.jvmOptions()) {
        g.writeString(option);
      }
      g.writeEndArray();
    }

    g.writeArrayFieldStart("ops");
    for (OpStats s : result.ops()) {
      op(g, layout, s);
    }
    g.writeEndArray();

    g.writeArrayFieldStart("timeline");
    for (Interval i : result.timeline()) {
      layout.inlineNext();
      g.writeStartObject();
      g.writeNumberField("offsetMillis", i.offsetMillis());
      g.writeNumberField("requests", i.requests());
      g.writeNumberField("errors", i.errors());
      g.writeFieldName("requestsByOp");
      counts(g, layout, i.requestsByOp());
      g.writeNumberField("p50Micros", i.p50Micros());
      g.writeNumberField("p99Micros", i.p99Micros());
      g.writeNumberField("p999Micros", i.p999Micros());
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeFieldName("errors");
    counts(g, layout, result.errors());

    g.writeArrayFieldStart("events");
    for (Event e : result.events()) {
      layout.inlineNext();
      g.writeStartObject();
      g.writeNumberField("offsetMillis", e.offsetMillis());
      g.writeStringField("kind", e.kind());
      g.writeStringField("detail", e.detail());
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeArrayFieldStart("assertions");
    for (AssertionResult a : result.assertions()) {
      layout.inlineNext();
      g.writeStartObject();
      g.writeStringField("description", a.description());
      g.writeBooleanField("passed", a.passed());
      g.writeStringField("actual", a.actual());
      g.writeEndObject();
    }
    g.writeEndArray();

    g.writeFieldName("consistency");
    Consistency c = result.consistency();
    if (c == null) {
      g.writeNull();
    } else {
      layout.inlineNext();
      g.writeStartObject();
      g.writeNumberField("writes", c.writes());
      g.writeNumberField("reads", c.reads());
      g.writeNumberField("violations", c.violations());
      g.writeNumberField("lost", c.lost());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void op(JsonGenerator g, SummaryLayout layout, OpStats s) throws IOException {
    g.writeStartObject();
    g.writeStringField("op", s.op());
    g.writeNumberField("count", s.count());
    g.writeNumberField("errors", s.errors());
    number(g, "opsPerSecond", s.opsPerSecond());
    number(g, "meanMicros", s.meanMicros());
    g.writeNumberField("p50Micros", s.p50Micros());
    g.writeNumberField("p75Micros", s.p75Micros());
    g.writeNumberField("p95Micros", s.p95Micros());
    g.writeNumberField("p99Micros", s.p99Micros());
    g.writeNumberField("p999Micros", s.p999Micros());
    g.writeNumberField("maxMicros", s.maxMicros());
    g.writeArrayFieldStart("distribution");
    for (Bucket b : s.distribution()) {
      layout.inlineNext();
      g.writeStartObject();
      g.writeNumberField("upToMicros", b.upToMicros());
      g.writeNumberField("count", b.count());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * A double as a JSON number: {@code null} when not finite (JSON has no NaN), an integer when
   * whole ({@code 42}, not {@code 42.0}), so the same field reads the same in any tool.
   */
  private static void number(JsonGenerator g, String name, double d) throws IOException {
    g.writeFieldName(name);
    if (!Double.isFinite(d)) {
      g.writeNull();
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      g.writeNumber((long) d);
    } else {
      g.writeNumber(d);
    }
  }

  /** A name-to-count map with keys sorted, on one line; a {@code null} count is {@code null}. */
  private static void counts(JsonGenerator g, SummaryLayout layout, Map<String, Long> map)
      throws IOException {
    Map<String, Long> sorted = new TreeMap<>();
    if (map != null) {
      // TreeMap takes no null key; JSON has no null name either.
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    }
    layout.inlineNext();
    g.writeStartObject();
    for (Map.Entry<String, Long> e : sorted.entrySet()) {
      g.writeFieldName(e.getKey());
      if (e.getValue() == null) {
        g.writeNull();
      } else {
        g.writeNumber(e.getValue());
      }
    }
    g.writeEndObject();
  }
}
