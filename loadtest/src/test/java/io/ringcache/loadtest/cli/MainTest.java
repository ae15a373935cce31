package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
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
    assertThat(Files.readString(html)).contains("read-heavy").contains("<svg")
        .contains("Latency by percentile");
    assertThat(files).as("the HdrHistogram log beside the JSON")
        .anyMatch(p -> p.toString().endsWith(".hlog"));
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

  static Stream<Arguments> badSimulations() {
    String bad = BadSimulations.class.getName() + "$";
    return Stream.of(
        Arguments.of(List.of("nope"), "no built-in simulation or class named 'nope' (built-in:"
            + " read-heavy, write-heavy, rebalance-under-load;"),
        Arguments.of(List.of("com.example.Missing", "--classpath", "."),
            "class named 'com.example.Missing'"),
        Arguments.of(List.of(bad + "NotAFactory"),
            "NotAFactory does not implement io.ringcache.loadtest.dsl.SimulationFactory"),
        Arguments.of(List.of(bad + "Abstract"), "Abstract is abstract"),
        Arguments.of(List.of(bad + "NotPublic"), "NotPublic is not public"),
        Arguments.of(List.of(bad + "NeedsArgument"),
            "NeedsArgument has no public no-argument constructor"),
        Arguments.of(List.of(bad + "ConstructorThrows"), "ConstructorThrows threw"
            + " java.lang.IllegalStateException: no config file at /etc/sim.conf"),
        Arguments.of(List.of(bad + "CreateThrows"),
            "create(PT1S, 10.0) threw java.lang.IllegalArgumentException: rate too low"),
        Arguments.of(List.of(bad + "ReturnsNull"), "create returned null"),
        Arguments.of(List.of(bad + "Incomplete"), "simulation 'no-scenario' has no scenario"),
        Arguments.of(List.of(bad + "Fine", "--classpath", "no/such/dir"),
            "--classpath entry 'no/such/dir' does not exist"),
        Arguments.of(List.of(bad + "Fine", "--classpath", "pom.xml"),
            "--classpath entry 'pom.xml' is neither a directory nor a jar"),
        Arguments.of(List.of(bad + "Fine", "--nodes", "1"),
            "--nodes was 1, a local ringcache cluster needs at least 2"));
  }

  /**
   * Every way of naming an unusable simulation ends before any cluster starts, with exit code 2
   * and one line on standard error that names the problem: no stack trace, no usage page.
   */
  @ParameterizedTest
  @MethodSource("badSimulations")
  void run_unusableSimulation_exitsTwoWithOneLineNamingTheProblem(List<String> args,
      String problem) {
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("run"));
    all.addAll(args);
    all.addAll(List.of("--duration", "1s", "--rate", "10", "--warmup", "0s"));
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("loadtest run: ").contains(problem)
        .endsWith(System.lineSeparator());
    assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("\tat ");
  }

  /** A duration that does not parse is bad input too, named by its option. */
  @ParameterizedTest
  @CsvSource({"--duration, abc", "--warmup, 5x"})
  void run_unparsableDuration_exitsTwoWithOneLineNamingTheOption(String option, String value) {
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("run", "read-heavy", "--rate", "10", option,
        value));
    if (!option.equals("--duration")) {
      args.addAll(List.of("--duration", "1s"));
    }
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err, true))
        .execute(args.toArray(String[]::new));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("loadtest run: " + option
        + ": expected a duration like 500ms, 30s or 2m, was '" + value + "'"
        + System.lineSeparator());
  }

  @Test
  void compare_unusableSimulation_exitsTwo() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err, true))
        .execute("compare", "java.lang.String");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("loadtest compare: class java.lang.String does not"
        + " implement io.ringcache.loadtest.dsl.SimulationFactory" + System.lineSeparator());
  }

  @Test
  void compare_unknownPeer_exitsTwoNamingTheKnownOnes() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err, true))
        .execute("compare", "read-heavy", "--peers", "resp,memcached");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("loadtest compare: unknown peer 'memcached' in"
        + " --peers; known: resp, hazelcast, redis" + System.lineSeparator());
  }

  /** A class on loadtest's own class path needs no --classpath; a built-in name wins. */
  @Test
  void simulationChoice_classOnOwnClassPathAndBuiltIn_bothCreate() {
    try (SimulationChoice choice = SimulationChoice.of(
        BadSimulations.class.getName() + "$Fine", List.of())) {
      assertThat(choice.create(Duration.ofSeconds(2), 50).name()).isEqualTo("fine");
    }
    try (SimulationChoice choice = SimulationChoice.of("Read-Heavy", List.of())) {
      assertThat(choice.create(Duration.ofSeconds(2), 50).name()).isEqualTo("read-heavy");
    }
  }

  @Test
  void fileName_ofAnyName_staysInTheReportDirectory() {
    assertThat(Main.fileName("read-heavy")).isEqualTo("read-heavy");
    assertThat(Main.fileName("../../etc/pass wd:1")).isEqualTo(".._.._etc_pass_wd_1");
    assertThat(Main.fileName("x".repeat(200))).hasSize(80);
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
