package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst larger than the client's queue bound: every call completes, with a value or with a
 * typed overload failure, and the client keeps serving afterwards. A client built with {@code
 * overloadWait} instead makes the caller's thread wait for room, and every call is served.
 */
class ClientBoundsTest {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1).start(1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void burstOverMaxPendingRequests_failsTheExcessFast_withOverloaded_andServesTheRest()
      throws Exception {
    try (CacheClient client = CacheClient.builder()
        .seeds("127.0.0.1:" + cluster.node(0).settings().server().port())
        .maxPendingRequests(50).build()) {
      client.blocking().put("bounded", new byte[10]);
      LongAdder values = new LongAdder();
      LongAdder overloaded = new LongAdder();
      List<Throwable> others = java.util.Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        calls.add(client.get("bounded").toCompletableFuture().handle((v, e) -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null
              ? e.getCause() : e;
          if (e == null) {
            values.increment();
          } else if (cause instanceof CacheOverloadedException) {
            overloaded.increment();
          } else {
            others.add(cause);
          }
          return null;
        }));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(others).as("calls failed with something else").isEmpty();
      assertThat(values.sum() + overloaded.sum()).isEqualTo(20_000);
      assertThat(overloaded.sum()).as("calls refused by the bound").isPositive();
      assertThat(values.sum()).as("calls served").isPositive();
      assertThat(client.blocking().get("bounded")).as("served after the burst").isPresent();
    }
  }

  @Test
  void burstOverMaxPendingRequests_withOverloadWait_theCallerWaits_andEveryCallIsServed()
      throws Exception {
    try (CacheClient client = CacheClient.builder()
        .seeds("127.0.0.1:" + cluster.node(0).settings().server().port())
        .maxPendingRequests(50).overloadWait(java.time.Duration.ofSeconds(30)).build()) {
      client.blocking().put("waited", new byte[10]);
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        calls.add(client.get("waited").toCompletableFuture());
      }
      // Fails with the first overloaded call, if any was refused instead of waiting.
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(calls).allMatch(c -> c.isDone() && !c.isCompletedExceptionally());
    }
  }

  @Test
  void overloadWait_mustNotBeNegative() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CacheClient.builder().overloadWait(java.time.Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overloadWait must not be negative, was PT-0.001S");
  }
}
