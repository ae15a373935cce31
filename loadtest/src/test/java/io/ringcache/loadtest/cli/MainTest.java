package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end: a short run on a local cluster leaves a report and a JSON summary. */
class MainTest {

  @Test
  void run_readHeavyOnALocalCluster_writesReportAndSummaryAndPasses(@TempDir Path dir)
      throws Exception {
    int code = new CommandLine(new Main()).execute("run", "read-heavy", "--duration", "3s",
        "--rate", "300", "--warmup", "2s", "--nodes", "2", "--report-dir", dir.toString());
    assertThat(code).isZero();
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.toList();
    }
    Path html = files.stream().filter(p -> p.toString().endsWith(".html")).findFirst()
        .orElseThrow();
    Path json = files.stream().filter(p -> p.toString().endsWith(".json")).findFirst()
        .orElseThrow();
    assertThat(Files.readString(html)).contains("read-heavy").contains("<svg");
    JsonObject summary = new JsonObject(Files.readString(json));
    assertThat(summary.getString("target")).isEqualTo("ringcache");
    assertThat(summary.getBoolean("passed")).isTrue();
    assertThat(summary.getJsonArray("jvmOptions").getList())
        .as("the flags the nodes were started with: ringcache's default")
        .containsExactly("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5");
    assertThat(summary.getJsonArray("ops").size()).isEqualTo(2);
    long measured = summary.getJsonArray("ops").stream()
        .mapToLong(op -> ((JsonObject) op).getLong("count") + ((JsonObject) op).getLong("errors"))
        .sum();
    assertThat(measured).as("requests of the measured 3 s at 300/s, the 2 s warm-up left out")
        .isEqualTo(900);
  }

  /**
   * The stampede measurement end to end: callers in three client JVMs read one cold key at once;
   * with single-flight the loader runs once (the command exits 1 otherwise).
   */
  @Test
  void stampede_acrossThreeClientProcesses_singleFlightLoadsOnce(@TempDir Path dir) {
    int code = new CommandLine(new Main()).execute("stampede", "--callers", "90",
        "--processes", "3", "--rounds", "1", "--nodes", "2", "--report-dir", dir.toString());
    assertThat(code).isZero();
  }

  @Test
  void unknownSimulation_isRejectedNamingTheBuiltIns() {
    assertThatThrownBy(() -> BuiltInSimulations.named("nope", Duration.ofSeconds(1), 10))
        .hasMessageContaining("unknown simulation 'nope'").hasMessageContaining("read-heavy");
  }

  @Test
  void seeds_offLoopback_areRefused() {
    assertThatThrownBy(() -> Main.requireLoopback(List.of("10.0.0.5:7000")))
        .hasMessageContaining("only sent to loopback");
    Main.requireLoopback(List.of("127.0.0.1:7000", "localhost:7001"));
  }

  @Test
  void durations_parseWithUnits() {
    assertThat(Main.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Main.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Main.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> Main.parseDuration("soon")).hasMessageContaining("500ms, 30s or 2m");
  }
}
