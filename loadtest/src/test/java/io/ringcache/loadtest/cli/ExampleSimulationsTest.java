package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example project in {@code loadtest/examples/} runs as its README says: its sources compile
 * against this build's loadtest classes (the test class path, where the example's {@code
 * provided} dependency comes from; the reactor builds the example's own POM only after this
 * module's tests, so the test compiles the same sources itself), and {@code loadtest run <class>
 * --classpath <dir>} runs one on a local cluster and writes the report, the JSON summary and an
 * HdrHistogram log that agrees with the summary. {@code .ci/run} runs the README's command on the
 * jar that POM builds.
 *
 * <p>The compiled classes are only in a temporary directory, never on the test class path, so
 * the run can only have found them through {@code --classpath}.
 */
class ExampleSimulationsTest {

  private static final Path EXAMPLE_SOURCES = Path.of("examples", "src", "main", "java");

  @Test
  void sessionReads_builtFromTheExampleProject_runsByClassNameWithClasspath(@TempDir Path dir)
      throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    compileExamples(classes);
    assertThat(classes.resolve("com/example/loadtest/SessionReads.class")).exists();
    assertThat(classes.resolve("com/example/loadtest/TenantRampWithNodeLoss.class")).exists();

    Path reports = dir.resolve("reports");
    int code = Main.commandLine().execute("run", "com.example.loadtest.SessionReads",
        "--classpath", classes.toString(), "--duration", "3s", "--rate", "200", "--warmup", "1s",
        "--nodes", "2", "--report-dir", reports.toString());

    // The verdict rests on the example's p99 bound, a timing figure on a shared machine: the test
    // holds the command to its verdict (0 passed, 1 failed; 2 would be a class it could not use).
    JsonObject summary = new JsonObject(Files.readString(only(reports, ".json")));
    assertThat(code).as("exit code of the verdict").isEqualTo(summary.getBoolean("passed") ? 0 : 1);
    assertThat(summary.getJsonArray("assertions").stream()
        .map(a -> ((JsonObject) a).getString("description")))
        .as("the example's own assertions were evaluated")
        .containsExactly("error rate < 0.1%", "p99 < 250 ms");
    assertThat(summary.getString("simulation")).isEqualTo("session-reads");
    assertThat(summary.getJsonArray("ops").stream().map(op -> ((JsonObject) op).getString("op")))
        .containsExactlyInAnyOrder("get", "put", "delete");
    assertThat(Files.readString(only(reports, ".html"))).contains("session-reads")
        .contains("<section id=\"spectrum\">");

    Map<String, Long> fromLog = countsByTag(only(reports, ".hlog"));
    Map<String, Long> fromJson = new HashMap<>();
    for (Object o : summary.getJsonArray("ops")) {
      JsonObject op = (JsonObject) o;
      fromJson.put(op.getString("op"), op.getLong("count") - op.getLong("errors"));
    }
    assertThat(fromLog).as("successful requests per operation, .hlog against JSON")
        .isEqualTo(fromJson);
    assertThat(fromJson.get("get")).as("a real run: 80% of 600 requests are gets")
        .isGreaterThan(300);
  }

  private static void compileExamples(Path classes) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK's compiler").isNotNull();
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(EXAMPLE_SOURCES)) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).hasSizeGreaterThanOrEqualTo(2);
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      boolean ok = compiler.getTask(diagnostics, files, null,
          List.of("--release", "17", "-Xlint:all", "-Werror",
              "-classpath", System.getProperty("java.class.path"),
              "-d", classes.toString()),
          null, files.getJavaFileObjectsFromPaths(sources)).call();
      assertThat(ok).as("the examples compile without warnings: %s", diagnostics).isTrue();
    }
  }

  /** Successful requests per tag over every interval of an HdrHistogram log. */
  private static Map<String, Long> countsByTag(Path hlog) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
    try {
      EncodableHistogram h;
      while ((h = reader.nextIntervalHistogram()) != null) {
        counts.merge(h.getTag(), ((Histogram) h).getTotalCount(), Long::sum);
      }
    } finally {
      reader.close();
    }
    return counts;
  }

  private static Path only(Path dir, String suffix) throws IOException {
    try (Stream<Path> listing = Files.list(dir)) {
      List<Path> found = listing.filter(p -> p.toString().endsWith(suffix)).toList();
      assertThat(found).as(suffix + " files").hasSize(1);
      return found.get(0);
    }
  }
}
