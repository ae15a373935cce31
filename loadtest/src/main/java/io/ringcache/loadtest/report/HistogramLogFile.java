package io.ringcache.loadtest.report;

import io.ringcache.loadtest.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A run's latencies as an HdrHistogram interval log ({@code .hlog}), the format HdrHistogram's
 * own tools read ({@code HistogramLogProcessor}, HdrHistogram's log analyzer and plotter): every
 * per-second histogram of every operation, tagged with the operation ({@code Tag=get}), values in
 * microseconds. Unlike the JSON summary's fixed percentiles, it keeps the full distribution of
 * each second, so any percentile over any window can be computed afterwards and runs can be
 * merged.
 *
 * <p>Timestamps are seconds from the run's start, with the start as both {@code StartTime} and
 * {@code BaseTime}, so readers that want absolute times get them. The {@code Interval_Max}
 * column is in milliseconds (a max-value unit ratio of 1000), as in HdrHistogram's examples.
 */
public final class HistogramLogFile {

  private static final double MICROS_PER_MILLI = 1000.0;

  private HistogramLogFile() {}

  /** The whole log as text. */
  public static String render(RunResult result) {
    Objects.requireNonNull(result, "result");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
    HistogramLogWriter writer = new HistogramLogWriter(out);
    writer.outputComment("ringcache loadtest: " + oneLine(result.simulation()) + " against "
        + oneLine(result.target()) + "; latencies in microseconds, one histogram per operation"
        + " and second, tagged with the operation");
    writer.outputLogFormatVersion();
    writer.outputStartTime(result.startedAtEpochMillis());
    writer.setBaseTime(result.startedAtEpochMillis());
    writer.outputBaseTime(result.startedAtEpochMillis());
    writer.outputLegend();
    result.latencies().forEachInterval((op, start, end, histogram) -> {
      histogram.setTag(op);
      writer.outputIntervalHistogram(start / 1000.0, end / 1000.0, histogram, MICROS_PER_MILLI);
    });
    out.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** A comment is one line of the log: a name with a line break would end it early. */
  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\R", " ");
  }
}
