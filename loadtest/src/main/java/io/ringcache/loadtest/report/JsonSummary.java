package io.ringcache.loadtest.report;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.AssertionResult;
import io.ringcache.loadtest.run.RunResult.Bucket;
import io.ringcache.loadtest.run.RunResult.Consistency;
import io.ringcache.loadtest.run.RunResult.Event;
import io.ringcache.loadtest.run.RunResult.Interval;
import io.ringcache.loadtest.run.RunResult.OpStats;
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
 */
public final class JsonSummary {

  /** Bumped on any incompatible change to the field names or their meaning. */
  public static final int SCHEMA_VERSION = 1;

  private JsonSummary() {}

  /** Writes {@link #render} to {@code file} as UTF-8, creating missing parent directories. */
  public static void write(RunResult result, Path file) {
    ReportFiles.write(render(result), file);
  }

  /** The whole result as one JSON object. */
  public static String render(RunResult result) {
    Objects.requireNonNull(result, "result");
    JsonWriter w = new JsonWriter().beginObject();
    w.name("schemaVersion").value(SCHEMA_VERSION);
    w.name("simulation").value(result.simulation());
    w.name("target").value(result.target());
    w.name("passed").value(result.passed());
    w.name("startedAtEpochMillis").value(result.startedAtEpochMillis());
    w.name("startedAt").value(Instant.ofEpochMilli(result.startedAtEpochMillis()).toString());
    w.name("durationMillis").value(result.durationMillis());
    w.name("jvmOptions");
    if (result.jvmOptions() == null) {
      w.nullValue();
    } else {
      w.beginArray();
      result.jvmOptions().forEach(w::value);
      w.endArray();
    }

    w.name("ops").beginArray();
    for (OpStats s : result.ops()) {
      op(w, s);
    }
    w.endArray();

    w.name("timeline").beginArray();
    for (Interval i : result.timeline()) {
      w.beginInlineObject();
      w.name("offsetMillis").value(i.offsetMillis());
      w.name("requests").value(i.requests());
      w.name("errors").value(i.errors());
      w.name("requestsByOp");
      counts(w, i.requestsByOp());
      w.name("p50Micros").value(i.p50Micros());
      w.name("p99Micros").value(i.p99Micros());
      w.name("p999Micros").value(i.p999Micros());
      w.endObject();
    }
    w.endArray();

    w.name("errors");
    counts(w, result.errors());

    w.name("events").beginArray();
    for (Event e : result.events()) {
      w.beginInlineObject();
      w.name("offsetMillis").value(e.offsetMillis());
      w.name("kind").value(e.kind());
      w.name("detail").value(e.detail());
      w.endObject();
    }
    w.endArray();

    w.name("assertions").beginArray();
    for (AssertionResult a : result.assertions()) {
      w.beginInlineObject();
      w.name("description").value(a.description());
      w.name("passed").value(a.passed());
      w.name("actual").value(a.actual());
      w.endObject();
    }
    w.endArray();

    w.name("consistency");
    Consistency c = result.consistency();
    if (c == null) {
      w.nullValue();
    } else {
      w.beginInlineObject();
      w.name("writes").value(c.writes());
      w.name("reads").value(c.reads());
      w.name("violations").value(c.violations());
      w.name("lost").value(c.lost());
      w.endObject();
    }
    return w.endObject().finish();
  }

  private static void op(JsonWriter w, OpStats s) {
    w.beginObject();
    w.name("op").value(s.op());
    w.name("count").value(s.count());
    w.name("errors").value(s.errors());
    w.name("opsPerSecond").value(s.opsPerSecond());
    w.name("meanMicros").value(s.meanMicros());
    w.name("p50Micros").value(s.p50Micros());
    w.name("p75Micros").value(s.p75Micros());
    w.name("p95Micros").value(s.p95Micros());
    w.name("p99Micros").value(s.p99Micros());
    w.name("p999Micros").value(s.p999Micros());
    w.name("maxMicros").value(s.maxMicros());
    w.name("distribution").beginArray();
    for (Bucket b : s.distribution()) {
      w.beginInlineObject();
      w.name("upToMicros").value(b.upToMicros());
      w.name("count").value(b.count());
      w.endObject();
    }
    w.endArray();
    w.endObject();
  }

  /** A name-to-count map with keys sorted; a {@code null} count is written as {@code null}. */
  private static void counts(JsonWriter w, Map<String, Long> map) {
    w.beginInlineObject();
    Map<String, Long> sorted = new TreeMap<>();
    if (map != null) {
      // TreeMap takes no null key; JSON has no null name either.
      map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    }
    for (Map.Entry<String, Long> e : sorted.entrySet()) {
      w.name(e.getKey());
      if (e.getValue() == null) {
        w.nullValue();
      } else {
        w.value(e.getValue().longValue());
      }
    }
    w.endObject();
  }
}
