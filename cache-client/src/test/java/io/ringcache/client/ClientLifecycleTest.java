package io.ringcache.client;

import static io.ringcache.client.Clients.failure;
import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.CacheNode;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.testing.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Auth, unreachable clusters and close: every call completes, none hangs. */
class ClientLifecycleTest {

  @Test
  void close_withCallsInFlight_failsThemAllWithClosed() {
    try (TestCluster cluster = new TestCluster(1).start(1)) {
      CacheClient client = Clients.builderFor(cluster).build();
      join(client.put("warm", new byte[] {1}));
      List<CompletableFuture<Long>> calls = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        calls.add(client.put("inflight-" + i, new byte[100]).toCompletableFuture());
      }
      client.close();
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null).get(10, TimeUnit.SECONDS);
      long failed = calls.stream().filter(CompletableFuture::isCompletedExceptionally).count();
      for (CompletableFuture<Long> c : calls) {
        if (c.isCompletedExceptionally()) {
          assertThatThrownBy(c::join).isInstanceOf(CompletionException.class)
              .hasCauseInstanceOf(CacheClosedException.class);
        }
      }
      assertThat(calls).allMatch(CompletableFuture::isDone);
      assertThat(failed).as("calls cut short by close").isPositive();
      assertThat(failure(client.get("after-close"))).isInstanceOf(CacheClosedException.class);
      client.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void silentSeed_callsFailWithinTheirBudget_andCloseFailsWaiters() {
    Vertx vertx = Vertx.vertx();
    try {
      // Accepts connections and never answers: every attempt must end by its timeout.
      NetServer silent = vertx.createNetServer().connectHandler(socket -> { });
      int port = TestCluster.await(silent.listen(0, "127.0.0.1")).actualPort();
      CacheClient client = CacheClient.builder().seeds("127.0.0.1:" + port)
          .requestTimeout(Duration.ofMillis(200)).maxRetries(1)
          .retryBackoff(Duration.ofMillis(5)).build();
      Throwable e = failure(client.get("k"));
      assertThat(e).isInstanceOf(CacheUnavailableException.class)
          .hasMessageContaining("no node answered");

      List<CompletableFuture<?>> waiting = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        waiting.add(client.get("k" + i).toCompletableFuture());
      }
      client.close();
      for (CompletableFuture<?> w : waiting) {
        assertThat(failure(w)).isInstanceOf(CacheClosedException.class);
      }
    } finally {
      TestCluster.await(vertx.close());
    }
  }

  @Test
  void unreachableSeed_failsUnavailable() {
    int port = TestCluster.freePort();
    try (CacheClient client = CacheClient.builder().seeds("127.0.0.1:" + port)
        .maxRetries(2).retryBackoff(Duration.ofMillis(1)).build()) {
      Throwable e = failure(client.put("k", new byte[] {1}));
      assertThat(e).isInstanceOf(CacheUnavailableException.class);
      assertThat(((CacheException) e).status()).isEqualTo(FailureStatus.UNAVAILABLE);
      assertThat(client.topology().epoch()).isZero();
      assertThat(client.topology().members()).isEmpty();
    }
  }

  @Test
  void authToken_wrongTokenRejected_rightTokenServed() {
    try (TestCluster cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        withToken(s.server(), "s3cret"), s.store(), s.replicationFactor(), s.tokens(),
        s.eventLoops())).start(1)) {
      try (CacheClient wrong = Clients.builderFor(cluster).authToken("guess").build()) {
        Throwable e = failure(wrong.get("k"));
        assertThat(e).isInstanceOf(CacheRejectedException.class);
        assertThat(((CacheException) e).status()).isEqualTo(FailureStatus.AUTH_FAILED);
      }
      try (CacheClient none = Clients.builderFor(cluster).build()) {
        assertThat(((CacheException) failure(none.put("k", new byte[] {1}))).status())
            .isEqualTo(FailureStatus.AUTH_FAILED);
      }
      try (CacheClient right = Clients.builderFor(cluster).authToken("s3cret").build()) {
        join(right.put("k", "v".getBytes(StandardCharsets.UTF_8)));
        assertThat(join(right.get("k"))).isPresent();
      }
    }
  }

  private static ServerSettings withToken(ServerSettings s, String token) {
    return new ServerSettings(s.nodeName(), s.host(), s.port(), s.httpPort(), s.writeAcksAll(),
        s.readFromAny(), s.maxConnections(), s.maxInFlight(), s.requestTimeoutMillis(), token,
        s.limits());
  }
}
