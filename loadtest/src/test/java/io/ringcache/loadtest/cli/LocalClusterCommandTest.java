package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.loadtest.cluster.PortAllocator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code loadtest cluster} without {@code --keep}: a real one-node cluster is started, printed in
 * the format scripts read, and stopped; bad input exits 2 with one line before any node starts.
 */
class LocalClusterCommandTest {

  static final Pattern NODE = Pattern.compile("node node-1 client=127\\.0\\.0\\.1:(\\d+)"
      + " http=127\\.0\\.0\\.1:\\d+ resp=127\\.0\\.0\\.1:(\\d+) pid=(\\d+) log=(\\S+node-1\\.log)");

  @Test
  void cluster_withoutKeep_printsNodeAndSeedsThenStopsIt() {
    int resp = PortAllocator.NODES.next();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("cluster", "--nodes", "1", "--resp-port", Integer.toString(resp),
            "--log-dir", "target/cluster-command");

    assertThat(code).as("exit code; stderr: %s", err).isZero();
    List<String> lines = out.toString().lines().toList();
    List<String> nodeLines = lines.stream().filter(l -> l.startsWith("node ")).toList();
    assertThat(nodeLines).hasSize(1);
    Matcher m = NODE.matcher(nodeLines.get(0));
    assertThat(m.matches()).as("node line '%s'", nodeLines.get(0)).isTrue();
    assertThat(Integer.parseInt(m.group(2))).isEqualTo(resp);
    assertThat(lines).contains("seeds 127.0.0.1:" + m.group(1))
        .contains("== stopped node-1 (exit code 0)");
    long pid = Long.parseLong(m.group(3));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("node pid %d after the command", pid).isFalse();
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(List.of("--nodes", "0"), "nodes must be within 1..32, was 0"),
        Arguments.of(List.of("--nodes", "2", "--replication-factor", "3"),
            "--replication-factor 3 exceeds --nodes 2"),
        Arguments.of(List.of("--client-port", "7101"),
            "--client-port, --http-port and --cluster-port go together; given only [7101]"),
        Arguments.of(List.of("--client-port", "65534", "--http-port", "8101", "--cluster-port",
            "5801"), "ports of 3 nodes from 65534 reach 65536, over 65535"),
        Arguments.of(List.of("--nodes", "2", "--resp-port", "65535"),
            "--resp-port 65535: the RESP ports of 2 nodes must lie within 1..65535"),
        Arguments.of(List.of("--node-jar", "no/such.jar"), "no/such.jar does not exist"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void cluster_badInput_exitsTwoWithOneLine(List<String> args, String problem) {
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("cluster"));
    all.addAll(args);
    int code = Main.commandLine().setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("loadtest cluster: ").contains(problem)
        .endsWith(System.lineSeparator());
    assertThat(err.toString().strip()).doesNotContain("\n");
  }
}
