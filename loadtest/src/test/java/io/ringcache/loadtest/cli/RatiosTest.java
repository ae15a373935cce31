package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.RunResult.OpStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RatiosTest {

  @Test
  void table_eachSideRanWithItsOwnJvmOptions_statesBothUnderTheirTargets() {
    RunResult ringcache = run("ringcache", 800)
        .withJvmOptions(List.of("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5"));
    RunResult hazelcast = run("hazelcast", 1_000)
        .withJvmOptions(List.of("-Xmx256m", "-XX:+UseZGC"));

    String table = Ratios.table(ringcache, hazelcast);

    assertThat(table).contains(
        "ringcache JVM options: -Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=5\n",
        "hazelcast JVM options: -Xmx256m -XX:+UseZGC\n");
    assertThat(table.indexOf("JVM options")).isLessThan(table.indexOf("p50"));
    assertThat(table).contains(" 0.80 |");
  }

  @Test
  void table_fourTargets_oneRowEach_ratiosAgainstTheFirst() {
    String table = Ratios.table(List.of(run("ringcache", 800), run("ringcache-resp", 400),
        run("hazelcast", 1_600), run("redis", 200)));

    List<String> rows = table.lines().filter(l -> l.startsWith("get ")).toList();
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).startsWith("get      ringcache ").doesNotContain("0.");
    assertThat(rows.get(1)).startsWith("get      ringcache-resp").contains("   400   2.00 |");
    assertThat(rows.get(2)).contains("  1600   0.50 |");
    assertThat(rows.get(3)).startsWith("get      redis").contains("   200   4.00 |");
    assertThat(table).contains("ringcache against ringcache-resp, hazelcast, redis");
  }

  @Test
  void table_noFlags_saysTheJvmDefaults() {
    String table = Ratios.table(run("ringcache", 800).withJvmOptions(List.of()),
        run("hazelcast", 1_000).withJvmOptions(List.of("-Xmx256m")));

    assertThat(table).contains("ringcache JVM options: none (the JVM's defaults)\n",
        "hazelcast JVM options: -Xmx256m\n");
  }

  private static RunResult run(String target, long p50Micros) {
    OpStats get = new OpStats("get", 100, 0, 100, p50Micros, p50Micros, p50Micros, p50Micros,
        p50Micros, p50Micros, p50Micros, List.of());
    return new RunResult("read-heavy", target, 0, 1_000, List.of(get), List.of(), Map.of(),
        List.of(), List.of(), null);
  }
}
