package io.ringcache.loadtest.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Writes a rendered report. */
final class ReportFiles {

  private ReportFiles() {}

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
