package io.ringcache.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.loadtest.run.RunResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramLogFileTest {

  /**
   * HdrHistogram's own reader gets back every interval of every operation under its tag, with
   * the run's start time and intervals timed from it: the counts per tag are the requests per
   * operation of the timeline, and the first interval starts at the start.
   */
  @Test
  void render_readBackWithHdrHistogram_sameCountsPerOperationAndTimes() {
    RunResult run = SampleRuns.killAndRestart();
    String log = HistogramLogFile.render(run);

    HistogramLogReader reader = new HistogramLogReader(
        new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));
    Map<String, Long> counts = new HashMap<>();
    Map<String, Integer> intervals = new HashMap<>();
    double firstStart = Double.NaN;
    EncodableHistogram h;
    while ((h = reader.nextIntervalHistogram()) != null) {
      if (Double.isNaN(firstStart)) {
        firstStart = h.getStartTimeStamp() / 1000.0;
      }
      counts.merge(h.getTag(), ((Histogram) h).getTotalCount(), Long::sum);
      intervals.merge(h.getTag(), 1, Integer::sum);
    }
    reader.close();

    Map<String, Long> expected = new HashMap<>();
    run.timeline().forEach(i -> i.requestsByOp().forEach((op, n) -> expected.merge(op, n,
        Long::sum)));
    assertThat(counts).isEqualTo(expected);
    assertThat(intervals).containsEntry("get", 60).containsEntry("put", 60);
    assertThat(reader.getStartTimeSec()).isEqualTo(SampleRuns.START / 1000.0);
    assertThat(firstStart).isEqualTo(SampleRuns.START / 1000.0);
    assertThat(log).startsWith("#ringcache loadtest: kill-one-of-three against ringcache;");
  }

  @Test
  void writeAll_threeFilesUnderOneBaseName(@TempDir Path dir) {
    ReportFiles.Written files = ReportFiles.writeAll(SampleRuns.killAndRestart(),
        dir.resolve("reports"), "run-1");
    assertThat(files.html()).exists().hasFileName("run-1.html");
    assertThat(files.json()).exists().hasFileName("run-1.json");
    assertThat(files.hlog()).exists().hasFileName("run-1.hlog");
    assertThat(files.hlog().getParent()).isEqualTo(files.json().getParent());
  }
}
