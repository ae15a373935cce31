package io.ringcache.loadtest.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.client.CacheClient;
import io.ringcache.client.Versioned;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher against real node processes: form a cluster, write through the client, SIGKILL a
 * node, add another, and check that only the launcher's own processes were touched.
 */
class LocalClusterTest {

  static final Path LOG_ROOT = Path.of("target", "local-cluster");

  @Test
  void startKillStartStop_realProcesses() throws Exception {
    List<Long> pids;
    LocalCluster closed;
    List<Long> versions = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.builder().nodes(3).logRoot(LOG_ROOT).start()) {
      cluster.awaitReady();
      assertThat(cluster.names()).containsExactly("node-1", "node-2", "node-3");
      assertThat(cluster.seeds()).hasSize(3).allMatch(s -> s.startsWith("127.0.0.1:"));

      try (CacheClient client = CacheClient.builder().seeds(cluster.seeds())
          .requestTimeout(Duration.ofSeconds(2)).maxRetries(5).build()) {
        List<CompletableFuture<Long>> puts = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          puts.add(client.put("key-" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8))
              .toCompletableFuture());
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        Optional<Versioned<byte[]>> read = client.get("key-7").toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        assertThat(read).isPresent();
        assertThat(new String(read.get().value(), StandardCharsets.UTF_8)).isEqualTo("value-7");
        assertThat(read.get().version()).isEqualTo(puts.get(7).join());
        puts.forEach(p -> versions.add(p.join()));
      }

      LocalNode victim = cluster.node("node-2").orElseThrow();
      int code = cluster.kill("node-2");
      assertThat(code).as("exit code after SIGKILL").isEqualTo(137);
      assertThat(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("OS process %d after kill", victim.pid()).isFalse();
      assertThat(cluster.names()).containsExactly("node-1", "node-3");
      assertThatThrownBy(() -> cluster.kill("node-2"))
          .hasMessageContaining("no running node named 'node-2'");

      LocalNode added = cluster.start("node-4");
      assertThat(added.clientPort()).isNotIn(victim.clientPort());
      cluster.awaitReady();
      assertThat(cluster.names()).containsExactly("node-1", "node-3", "node-4");
      assertThat(Files.readString(added.log())).contains("--cluster-name " + cluster.clusterName());

      LocalNode leaving = cluster.node("node-3").orElseThrow();
      int stopCode = cluster.stop("node-3");
      // SIGTERM drains: the node hands its ranges over, then exits 0.
      assertThat(stopCode).as("exit code after SIGTERM (drain)").isZero();
      assertThat(Files.readString(leaving.log())).contains("drained");
      assertThat(ProcessHandle.of(leaving.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("OS process %d after stop", leaving.pid()).isFalse();
      cluster.awaitReady();
      assertThat(cluster.names()).containsExactly("node-1", "node-4");
      // One node killed, one drained: with RF=2 every key written at the start is still there.
      try (CacheClient client = CacheClient.builder().seeds(cluster.seeds())
          .requestTimeout(Duration.ofSeconds(2)).maxRetries(5).build()) {
        for (int i = 0; i < versions.size(); i++) {
          Optional<Versioned<byte[]>> back = client.get("key-" + i).toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
          assertThat(back).as("key-%d after kill and drain", i).isPresent();
          assertThat(back.get().version()).isEqualTo(versions.get(i));
        }
      }

      pids = cluster.names().stream().map(n -> cluster.node(n).orElseThrow().pid()).toList();
      closed = cluster;
    }
    assertThat(pids).hasSize(2);
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d after close", pid).isFalse();
    }
    assertThatThrownBy(() -> closed.start("node-5")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_badSettings_rejectedWithValueAndLimit() {
    assertThatThrownBy(() -> LocalCluster.builder().nodes(0))
        .hasMessage("nodes must be within 1..32, was 0");
    assertThatThrownBy(() -> LocalCluster.builder().replicationFactor(17))
        .hasMessage("replicationFactor must be within 1..16, was 17");
    assertThatThrownBy(() -> LocalCluster.builder().nodes(1).replicationFactor(2).start())
        .hasMessage("replicationFactor 2 exceeds nodes 1");
    assertThatThrownBy(() -> LocalCluster.builder().nodeJar(Path.of("no/such.jar")).start())
        .hasMessageContaining("no/such.jar does not exist");
  }

  @Test
  void locateJar_findsRepositoryRoot() {
    Path jar = LocalCluster.locateJar();
    assertThat(jar.getParent().getParent().getParent().resolve("pom.xml")).exists();
    assertThat(jar).endsWith(LocalCluster.DEFAULT_JAR);
  }
}
