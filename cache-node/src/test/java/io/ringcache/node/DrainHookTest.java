package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.testing.TestCertificates;
import io.ringcache.node.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preStop hook against a node with a token and TLS on its HTTP port, as in Kubernetes. */
class DrainHookTest {

  private static final String TOKEN = "hook-token";

  @TempDir
  Path dir;

  @Test
  void hook_drainsTheNodeOverTlsWithItsToken_andWaitsForItToGo() throws Exception {
    TestCertificates certs = TestCertificates.selfSigned(dir, "node");
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (TestCluster cluster = secureCluster(certs)) {
      CacheNode node = cluster.node(0);
      Map<String, String> env = env(node, certs, "wrong-token");
      assertThat(DrainHook.run(env)).isEqualTo(1);
      assertThat(node.drainRequested().isComplete()).isFalse();

      CompletableFuture<Integer> hook =
          CompletableFuture.supplyAsync(() -> DrainHook.run(env(node, certs, TOKEN)), executor);
      TestCluster.await(node.drainRequested());
      assertThat(TestCluster.await(node.drain(Duration.ofSeconds(10)))).isTrue();
      cluster.stop(node);

      assertThat(hook.get(30, TimeUnit.SECONDS)).isEqualTo(0);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void hook_printsTheHandOffProof_beforeTheNodeExits() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try (TestCluster cluster = new TestCluster(2,
        s -> s.withAntiEntropy(Duration.ZERO, 0)).start(3)) {
      AntiEntropyTest.write(vertx, cluster, "h-", 500);
      CacheNode node = cluster.node(2);
      CompletableFuture<Integer> hook = CompletableFuture.supplyAsync(() -> DrainHook.run(Map.of(
          "RINGCACHE_HTTP_PORT", Integer.toString(node.settings().server().httpPort()),
          "RINGCACHE_DRAIN_TIMEOUT", "30s")), executor);
      TestCluster.await(node.drainRequested());
      assertThat(TestCluster.await(node.drain(Duration.ofSeconds(30)))).isTrue();
      // The node stays up until the hook has read its proof, as a node exits after a drain.
      org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS)
          .until(() -> captured.toString(java.nio.charset.StandardCharsets.UTF_8)
              .contains("hand-off proof: PROVEN"));
      cluster.stop(node);

      assertThat(hook.get(30, TimeUnit.SECONDS)).isEqualTo(0);
      assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
          .containsPattern("hand-off proof: PROVEN at epoch \\d+: \\d+ ranges, \\d+ entries")
          .contains("drain-hook: the node drained and exited");
    } finally {
      System.setErr(err);
      executor.shutdownNow();
      TestCluster.await(vertx.close());
    }
  }

  @Test
  void hook_withoutANode_hasNothingToDo() throws Exception {
    assertThat(DrainHook.run(Map.of("RINGCACHE_HTTP_PORT",
        Integer.toString(TestCluster.freePort())))).isEqualTo(0);
  }

  @Test
  void hook_badDrainTimeout_namesTheVariable() throws Exception {
    assertThat(DrainHook.run(Map.of("RINGCACHE_DRAIN_TIMEOUT", "soon"))).isEqualTo(2);
  }

  private static TestCluster secureCluster(TestCertificates certs) {
    return new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        s.server().withSecurity(new AuthTokens(TOKEN, ""), certs.nodeTls()),
        s.store(), s.replicationFactor(), s.tokens(), s.eventLoops())).start(1);
  }

  private static Map<String, String> env(CacheNode node, TestCertificates certs, String token) {
    return Map.of(
        "RINGCACHE_HTTP_PORT", Integer.toString(node.settings().server().httpPort()),
        "RINGCACHE_AUTH_TOKEN", token,
        "RINGCACHE_DRAIN_TIMEOUT", "10s",
        "RINGCACHE_TLS_CERT", certs.cert().toString(),
        "RINGCACHE_TLS_TRUST", certs.cert().toString());
  }
}
