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
    int code = Main.commandLine().execute("run", "read-heavy", "--duration", "3s",
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
    int code = Main.commandLine().execute("stampede", "--callers", "90",
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
            "create(1s, 10.0) threw java.lang.IllegalArgumentException: rate too low"),
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
    int code = Main.commandLine().setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("loadtest run: ").contains(problem)
        .endsWith(System.lineSeparator());
    assertThat(err.toString().strip()).doesNotContain("\n").doesNotContain("\tat ");
  }

  /**
   * Every option value that cannot be used, whichever command reads it and whether picocli or the
   * command finds it, ends before any cluster starts with exit code 2 and exactly one line on
   * standard error naming the option and the value: no stack trace, no usage page.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      run read-heavy --duration 30 | loadtest run: --duration: '30' has no unit; write 30s or 30ms (units: ms, s, m, h)
      run read-heavy --duration abc | loadtest run: --duration: expected a duration, a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h), was 'abc'
      run read-heavy --warmup 5x | loadtest run: --warmup: expected a duration, a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h), was '5x'
      run read-heavy --warmup 0 | loadtest run: --warmup: '0' has no unit; write 0s or 0ms (units: ms, s, m, h)
      compare read-heavy --duration 1.5s | loadtest compare: --duration: expected a duration, a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h), was '1.5s'
      demo --duration 60 | loadtest demo: --duration: '60' has no unit; write 60s or 60ms (units: ms, s, m, h)
      hot-key --duration soon | loadtest hot-key: --duration: expected a duration, a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h), was 'soon'
      near-cache --lease 1 | loadtest near-cache: --lease: '1' has no unit; write 1s or 1ms (units: ms, s, m, h)
      staleness --lease xyz | loadtest staleness: --lease: expected a duration, a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h), was 'xyz'
      stampede --load-time 100 | loadtest stampede: --load-time: '100' has no unit; write 100s or 100ms (units: ms, s, m, h)
      run read-heavy --rate abc | loadtest run: --rate: 'abc' is not a double
      run read-heavy --nodes x | loadtest run: --nodes: 'x' is not an int
      hot-key --runs x | loadtest hot-key: --runs: 'x' is not an int
      run read-heavy --frobnicate | loadtest run: Unknown option: '--frobnicate' (see --help)
      run read-heavy --seeds 10.0.0.5:7000 | loadtest run: --seeds: load is only sent to loopback addresses; '10.0.0.5:7000' is not one
      run read-heavy --seeds 127.0.0.1:abc | loadtest run: --seeds: seed '127.0.0.1:abc' is not host:port: the port is not a number
      run read-heavy --target memcached | loadtest run: --target must be ringcache or hazelcast, was 'memcached'
      near-cache --cells ringcache,nope | loadtest near-cache: --cells: unknown cell 'nope'; cells: ringcache, ringcache-near, hazelcast, hazelcast-near
      staleness --systems redis | loadtest staleness: --systems: unknown system 'redis'; systems: ringcache, hazelcast
      stampede --callers 2 --processes 3 | loadtest stampede: --callers (2) must be at least --processes (3)
      stampede --processes 0 | loadtest stampede: --processes: must be at least 1, was 0
      stampede --nodes 33 | loadtest stampede: --nodes: must be within 1..32, was 33
      hot-key --runs 0 | loadtest hot-key: --runs: must be at least 1, was 0
      run read-heavy --target hazelcast --nodes 0 | loadtest run: --nodes: must be within 1..32, was 0
      run read-heavy --rate -5 | loadtest run: built-in simulation 'read-heavy': create(1s, -5.0) threw java.lang.IllegalArgumentException: rate from was -5.0 per second, must be between 0 and 1.0E7
      """)
  void badOptionValue_exitsTwoWithOneLineNamingOptionAndValue(String args, String line) {
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args.split(" ")));
    if (!args.startsWith("demo") && !args.startsWith("stampede")) {
      // Short enough that a missed check would end quickly instead of hanging the build.
      for (String[] option : new String[][] {{"--rate", "10"}, {"--nodes", "2"},
          {"--duration", "1s"}, {"--warmup", "0s"}}) {
        if (!all.contains(option[0])) {
          all.addAll(List.of(option));
        }
      }
    }
    int code = Main.commandLine().setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
    assertThat(err.toString()).isEqualTo(line + System.lineSeparator());
    assertThat(code).isEqualTo(2);
  }

  /** The loadtest reads durations with the node's parser: what one accepts, the other does. */
  @Test
  void durationConverter_isTheNodesGrammar() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThatThrownBy(() -> converter.convert("30"))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("'30' has no unit; write 30s or 30ms (units: ms, s, m, h)");
  }

  @Test
  void compare_unusableSimulation_exitsTwo() {
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setErr(new PrintWriter(err, true))
        .execute("compare", "java.lang.String");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("loadtest compare: class java.lang.String does not"
        + " implement io.ringcache.loadtest.dsl.SimulationFactory" + System.lineSeparator());
  }

  @Test
  void compare_unknownPeer_exitsTwoNamingTheKnownOnes() {
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setErr(new PrintWriter(err, true))
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
        .isInstanceOf(BadInputException.class).hasMessageContaining("only sent to loopback");
    Main.requireLoopback(List.of("127.0.0.1:7000", "localhost:7001"));
  }
}
