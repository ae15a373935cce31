package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Which JVM flags each system's nodes get from the command line. Only parses: no cluster starts
 * (a parse that wrongly succeeded would not run the command either).
 */
class JvmOptionsTest {

  private static final List<String> G1_LOW_PAUSE =
      List.of("-Xmx256m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5");

  @Test
  void jvmOptions_defaults_eachSystemG1WithLowPauseGoalAndTheSameHeap() {
    Main.Common common = compare();

    assertThat(common.ringcacheJvm()).isEqualTo(G1_LOW_PAUSE);
    assertThat(common.peerJvm()).isEqualTo(G1_LOW_PAUSE);
    assertThat(heap(common.ringcacheJvm())).isEqualTo(heap(common.peerJvm()));
  }

  @Test
  void jvmOptions_shared_appliesToBoth() {
    Main.Common common = compare("--jvm-options", "-Xmx128m -XX:+UseSerialGC");

    assertThat(common.ringcacheJvm()).containsExactly("-Xmx128m", "-XX:+UseSerialGC");
    assertThat(common.peerJvm()).containsExactly("-Xmx128m", "-XX:+UseSerialGC");
  }

  @Test
  void jvmOptions_peerOverride_appliesOnlyToPeer() {
    Main.Common common = compare("--peer-jvm-options", "-Xmx256m -XX:+UseZGC");

    assertThat(common.peerJvm()).containsExactly("-Xmx256m", "-XX:+UseZGC");
    assertThat(common.ringcacheJvm()).isEqualTo(G1_LOW_PAUSE);
  }

  @Test
  void jvmOptions_ringcacheOverride_appliesOnlyToRingcache() {
    Main.Common common = compare("--ringcache-jvm-options", "-Xmx256m -XX:+UseParallelGC");

    assertThat(common.ringcacheJvm()).containsExactly("-Xmx256m", "-XX:+UseParallelGC");
    assertThat(common.peerJvm()).isEqualTo(G1_LOW_PAUSE);
  }

  @Test
  void jvmOptions_perSystemOverride_winsOverSharedForThatSystemOnly() {
    Main.Common common = compare("--peer-jvm-options", "-Xmx256m -XX:+UseZGC",
        "--jvm-options", "-Xmx128m -XX:+UseSerialGC");

    assertThat(common.peerJvm()).containsExactly("-Xmx256m", "-XX:+UseZGC");
    assertThat(common.ringcacheJvm()).containsExactly("-Xmx128m", "-XX:+UseSerialGC");
  }

  @Test
  void jvmOptions_bothOverrides_eachSystemGetsItsOwn() {
    Main.Common common = compare("--ringcache-jvm-options", "-Xmx200m",
        "--peer-jvm-options", "-Xmx300m");

    assertThat(common.ringcacheJvm()).containsExactly("-Xmx200m");
    assertThat(common.peerJvm()).containsExactly("-Xmx300m");
  }

  @Test
  void jvmOptions_blank_meansNoFlags() {
    Main.Common common = compare("--peer-jvm-options", "  ");

    assertThat(common.peerJvm()).isEmpty();
    assertThat(common.ringcacheJvm()).isEqualTo(G1_LOW_PAUSE);
  }

  @Test
  void jvmOptions_run_choosesByTarget() {
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs("run", "read-heavy",
        "--target", "hazelcast", "--peer-jvm-options", "-Xmx64m -XX:+UseZGC");
    Main.Run run = (Main.Run) parsed.subcommand().commandSpec().userObject();

    assertThat(run.common.peerJvm()).containsExactly("-Xmx64m", "-XX:+UseZGC");
    assertThat(run.common.ringcacheJvm()).isEqualTo(G1_LOW_PAUSE);
  }

  static Stream<Arguments> invalid() {
    return Stream.of("--jvm-options", "--ringcache-jvm-options", "--peer-jvm-options")
        .flatMap(option -> Stream.of(
            Arguments.of(option, "Xmx256m", "JVM flags start with '-'; 'Xmx256m'"),
            Arguments.of(option, "-Xmx256m -jar other.jar", "must not set the class path or jar"),
            Arguments.of(option, "-cp /tmp -Xmx256m", "must not set the class path or jar")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("invalid")
  void jvmOptions_notAFlagOrLauncherFlag_rejectedNamingOptionAndValue(String option, String value,
      String reason) {
    assertThatThrownBy(() -> new CommandLine(new Main()).parseArgs("compare", "read-heavy",
        option, value))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining(option).hasMessageContaining(reason).hasMessageContaining(value);
  }

  private static Main.Common compare(String... options) {
    String[] args = Stream.concat(Stream.of("compare", "read-heavy"), Stream.of(options))
        .toArray(String[]::new);
    CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
    return ((Main.Compare) parsed.subcommand().commandSpec().userObject()).common;
  }

  private static List<String> heap(List<String> flags) {
    return flags.stream().filter(f -> f.startsWith("-Xmx") || f.startsWith("-Xms")).toList();
  }
}
