package io.ringcache.loadtest.report;

import io.ringcache.loadtest.run.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a run's three files side by side under one base name: {@code <base>.html} for people,
 * {@code <base>.json} for CI gates and comparisons, {@code <base>.hlog} for HdrHistogram's tools.
 */
public final class ReportFiles {

  private ReportFiles() {}

  /** Where {@link #writeAll} put a run's files (absolute paths). */
  public record Written(Path html, Path json, Path hlog) {}

  /**
   * Writes the HTML report, the JSON summary and the HdrHistogram log of {@code result} into
   * {@code directory} (created if missing) as {@code baseName} with each extension.
   */
  public static Written writeAll(RunResult result, Path directory, String baseName) {
    Objects.requireNonNull(result, "result");
    Path dir = directory.toAbsolutePath();
    Written files = new Written(dir.resolve(baseName + ".html"), dir.resolve(baseName + ".json"),
        dir.resolve(baseName + ".hlog"));
    HtmlReport.write(result, files.html());
    JsonSummary.write(result, files.json());
    write(HistogramLogFile.render(result), files.hlog());
    return files;
  }

  /**
   * Writes {@code text} as UTF-8, creating missing parent directories. Encodes through
   * {@link String#getBytes} rather than {@link Files#writeString}, which throws on a lone surrogate
   * (say, from a cut error message) where a report should show a replacement character.
   */
  static void write(String text, Path file) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report to " + file, e);
    }
  }
}
