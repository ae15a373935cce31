package io.ringcache.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.AssertionResult;
import io.ringcache.loadtest.run.RunResult.Event;
import io.ringcache.loadtest.run.RunResult.Interval;
import io.ringcache.loadtest.run.RunResult.OpStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonSummaryTest {

  static Stream<Arguments> runs() {
    return HtmlReportTest.runs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void render_anyRun_parsesWithEveryField(String name, RunResult run) {
    JsonObject json = new JsonObject(JsonSummary.render(run));

    assertThat(json.fieldNames()).containsExactly("schemaVersion", "simulation", "target",
        "passed", "startedAtEpochMillis", "startedAt", "durationMillis", "jvmOptions", "ops",
        "timeline", "errors", "events", "assertions", "consistency");
    assertThat(json.getInteger("schemaVersion")).isEqualTo(JsonSummary.SCHEMA_VERSION);
    assertThat(json.getBoolean("passed")).isEqualTo(run.passed());
    assertThat(json.getJsonArray("ops")).hasSize(run.ops().size());
    assertThat(json.getJsonArray("timeline")).hasSize(run.timeline().size());
  }

  @Test
  void render_killAndRestart_roundTripsNumbers() {
    RunResult run = SampleRuns.killAndRestart();

    JsonObject json = new JsonObject(JsonSummary.render(run));

    assertThat(json.getString("simulation")).isEqualTo("kill-one-of-three");
    assertThat(json.getLong("startedAtEpochMillis")).isEqualTo(SampleRuns.START);
    assertThat(json.getString("startedAt")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.getLong("durationMillis")).isEqualTo(60_000L);

    OpStats get = run.ops().get(0);
    JsonObject op = json.getJsonArray("ops").getJsonObject(0);
    assertThat(op.getString("op")).isEqualTo("get");
    assertThat(op.getLong("count")).isEqualTo(get.count());
    assertThat(op.getLong("errors")).isEqualTo(get.errors());
    assertThat(op.getDouble("opsPerSecond")).isCloseTo(get.opsPerSecond(), within(1e-9));
    assertThat(op.getDouble("meanMicros")).isEqualTo(612.4);
    assertThat(op.getLong("p999Micros")).isEqualTo(38_000L);
    assertThat(op.getLong("maxMicros")).isEqualTo(262_000L);
    JsonArray buckets = op.getJsonArray("distribution");
    assertThat(buckets).hasSize(get.distribution().size());
    assertThat(buckets.getJsonObject(4).getLong("upToMicros")).isEqualTo(512L);
    assertThat(buckets.getJsonObject(4).getLong("count"))
        .isEqualTo(get.distribution().get(4).count());

    Interval atKill = run.timeline().get(20);
    JsonObject interval = json.getJsonArray("timeline").getJsonObject(20);
    assertThat(interval.getLong("offsetMillis")).isEqualTo(20_000L);
    assertThat(interval.getLong("errors")).isEqualTo(atKill.errors());
    assertThat(interval.getLong("p999Micros")).isEqualTo(atKill.p999Micros());
    assertThat(interval.getJsonObject("requestsByOp").getLong("put"))
        .isEqualTo(atKill.requestsByOp().get("put"));

    assertThat(json.getJsonObject("errors").getLong("NOT_OWNER"))
        .isEqualTo(run.errors().get("NOT_OWNER"));
    assertThat(json.getJsonArray("events").getJsonObject(0).getMap())
        .containsEntry("kind", "kill").containsEntry("detail", "node-2");
    assertThat(json.getJsonArray("assertions").getJsonObject(0).getBoolean("passed")).isTrue();
    assertThat(json.getJsonObject("consistency").getLong("writes")).isEqualTo(119_871L);
  }

  @Test
  void render_awkwardStrings_roundTripExactly() {
    String name = "quote\" back\\slash\nnew\ttab \u0001 \u2028 </script> caf\u00e9 \uD83D\uDE80";
    String lone = "half \uD800 pair";
    RunResult base = SampleRuns.singleInterval();
    RunResult odd = new RunResult(name, base.target(), base.startedAtEpochMillis(),
        base.durationMillis(), base.ops(), base.timeline(), Map.of(name, 3L),
        List.of(new Event(0, "kill", lone)), List.of(new AssertionResult(name, true, "")),
        null);

    String text = JsonSummary.render(odd);
    JsonObject json = new JsonObject(text);

    assertThat(text).contains("\\u0001", "\\u2028", "\\ud800").doesNotContain("\u2028");
    assertThat(json.getString("simulation")).isEqualTo(name);
    assertThat(json.getJsonObject("errors").getLong(name)).isEqualTo(3L);
    assertThat(json.getJsonArray("events").getJsonObject(0).getString("detail")).isEqualTo(lone);
    assertThat(json.getJsonArray("assertions").getJsonObject(0).getString("description"))
        .isEqualTo(name);
  }

  @Test
  void render_nothingCompleted_nanIsNullAndWholeDoublesAreIntegers() {
    String text = JsonSummary.render(SampleRuns.nothingCompleted());
    JsonObject op = new JsonObject(text).getJsonArray("ops").getJsonObject(0);

    assertThat(op.containsKey("meanMicros")).isTrue();
    assertThat(op.getValue("meanMicros")).isNull();
    assertThat(text).contains("\"opsPerSecond\": 0,");
  }

  @Test
  void render_noConsistencyCheck_explicitNull() {
    JsonObject json = new JsonObject(JsonSummary.render(SampleRuns.singleInterval()));

    assertThat(json.containsKey("consistency")).isTrue();
    assertThat(json.getValue("consistency")).isNull();
  }

  @Test
  void render_jvmOptions_arrayInOrder() {
    RunResult run = SampleRuns.singleInterval()
        .withJvmOptions(List.of("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5"));

    JsonObject json = new JsonObject(JsonSummary.render(run));

    assertThat(json.getJsonArray("jvmOptions").getList())
        .containsExactly("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5");
  }

  @Test
  void render_noJvmFlags_emptyArray() {
    JsonObject json = new JsonObject(
        JsonSummary.render(SampleRuns.singleInterval().withJvmOptions(List.of())));

    assertThat(json.getJsonArray("jvmOptions")).isEmpty();
  }

  @Test
  void render_unknownJvmOptions_explicitNull() {
    JsonObject json = new JsonObject(JsonSummary.render(SampleRuns.singleInterval()));

    assertThat(json.containsKey("jvmOptions")).isTrue();
    assertThat(json.getValue("jvmOptions")).isNull();
  }

  @Test
  void render_singleInterval_pinnedLayout() {
    String text = JsonSummary.render(SampleRuns.singleInterval());

    // Field names and their order are the machine contract: a change here is a schema change.
    assertThat(text).contains("""
          "timeline": [
            {"offsetMillis": 0, "requests": 10, "errors": 0, "requestsByOp": {"get": 10}, \
        "p50Micros": 450, "p99Micros": 900, "p999Micros": 900}
          ],
          "errors": {},
          "events": [
            {"offsetMillis": 0, "kind": "drain", "detail": "node-1"}
          ],
        """);
  }

  @Test
  void write_missingDirectory_createsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("out/summary.json");

    JsonSummary.write(SampleRuns.killAndRestart(), file);

    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(json.getString("target")).isEqualTo("ringcache");
  }
}
