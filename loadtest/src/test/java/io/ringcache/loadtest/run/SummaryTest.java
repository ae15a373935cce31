package io.ringcache.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.loadtest.run.RunResult.OpStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void table_knownJvmOptions_lineUnderTheHeader() {
    String table = Summary.table(
        run().withJvmOptions(List.of("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5")));

    String[] lines = table.split("\n");
    assertThat(lines[0]).startsWith("read-heavy against hazelcast, started ");
    assertThat(lines[1]).isEqualTo("JVM options: -Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=5");
  }

  @Test
  void table_noFlags_saysTheJvmDefaults() {
    assertThat(Summary.table(run().withJvmOptions(List.of())))
        .contains("\nJVM options: none (the JVM's defaults)\n");
  }

  @Test
  void table_unknownJvmOptions_noLine() {
    assertThat(Summary.table(run())).doesNotContain("JVM options");
  }

  @Test
  void withJvmOptions_keepsEverythingElse() {
    RunResult before = run();

    RunResult after = before.withJvmOptions(List.of("-Xmx256m"));

    assertThat(after.jvmOptions()).containsExactly("-Xmx256m");
    assertThat(after).usingRecursiveComparison().ignoringFields("jvmOptions").isEqualTo(before);
  }

  private static RunResult run() {
    OpStats get = new OpStats("get", 10, 0, 10, 500, 450, 480, 700, 900, 900, 900, List.of());
    return new RunResult("read-heavy", "hazelcast", 0, 1_000, List.of(get), List.of(), Map.of(),
        List.of(), List.of(), null);
  }
}
