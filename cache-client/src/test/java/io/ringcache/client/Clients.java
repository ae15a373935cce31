package io.ringcache.client;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Test helpers: a client on a cluster, waiting on stages, node counters. */
final class Clients {

  private Clients() {}

  static CacheClient.Builder builderFor(TestCluster cluster) {
    return CacheClient.builder()
        .seeds("127.0.0.1:" + cluster.node(0).settings().server().port())
        .requestTimeout(Duration.ofSeconds(2))
        .maxRetries(5);
  }

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("stage did not complete within 30 s", e);
    }
  }

  /** Throwable the stage failed with (unwrapped), or an AssertionError if it succeeded. */
  static Throwable failure(CompletionStage<?> stage) {
    try {
      Object v = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("stage did not complete within 30 s", e);
    }
  }

  static long forwarded(TestCluster cluster) {
    return cluster.nodes().stream().mapToLong(n -> n.stats().forwarded.sum()).sum();
  }

  static long requests(TestCluster cluster) {
    return cluster.nodes().stream().mapToLong(n -> n.stats().requests.sum()).sum();
  }

  static long epoch(TestCluster cluster) {
    return cluster.nodes().stream().mapToLong(n -> n.topology().epoch()).max().orElse(0);
  }

  static int port(CacheNode node) {
    return node.settings().server().port();
  }
}
