package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.CacheNode;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Increments that meet a busy replica or a crashed owner are resent by the client, and counted
 * once: the node recognises a resend by its write id and answers it with the first outcome. Each
 * counter must end equal to the increments its callers saw succeed, with every call succeeding.
 */
class ExactlyOnceRetryTest {

  private static final int KEYS = 4;

  /** {@code s} with at most {@code maxInFlight} requests per connection and a short timeout. */
  private static CacheNode.Settings busy(CacheNode.Settings s, int maxInFlight,
      long requestTimeoutMillis) {
    ServerSettings v = s.server();
    ServerSettings tight = new ServerSettings(v.nodeName(), v.host(), v.port(), v.httpPort(),
        v.writeAcksAll(), v.readFromAny(), v.maxConnections(), maxInFlight,
        requestTimeoutMillis, v.auth(), v.limits(), v.tls(), v.connections());
    return new CacheNode.Settings(s.cluster(), tight, s.store(), s.replicationFactor(),
        s.tokens(), s.eventLoops(), s.transferWindow(), s.transferBytesPerSecond());
  }

  @Test
  void increments_replicasAnswerBusy_everyCallSucceeds_countersEqualSuccesses() {
    // Both nodes refuse replica writes with BUSY for 300 ms while increments run: a coordinator
    // applies each increment, cannot replicate it within its (45 ms) budget, and answers "maybe
    // applied"; the client resends with the same write id until the refusals stop. Without the
    // write log each resend would count again.
    try (TestCluster cluster = new TestCluster(2, s -> busy(s, 64, 60)).start(2);
        CacheClient client = Clients.builderFor(cluster).maxRetries(60).connectionsPerNode(4)
            .retryBackoff(Duration.ofMillis(5)).build()) {
      Clients.join(client.increment("warm-up", 1));
      cluster.nodes().forEach(n -> n.replicaFaults().refuseFor(Duration.ofMillis(300)));
      Outcome outcome = run(client, "busy-", 32, 10, () -> {});

      assertThat(outcome.failures).as("failed calls").isEmpty();
      assertCountersEqualSuccesses(client, outcome);
      long resends = cluster.nodes().stream()
          .mapToLong(n -> n.stats().writeRetriesAnswered.sum()).sum();
      assertThat(resends).as("resends recognised by their write id").isPositive();
    }
  }

  @Test
  void increments_acrossACrash_everyCallSucceeds_countersEqualSuccesses() {
    try (TestCluster cluster = new TestCluster(2).start(3);
        CacheClient client = Clients.builderFor(cluster).maxRetries(40).build()) {
      CacheNode victim = cluster.node(2);
      Outcome outcome = run(client, "crash-", 32, 40, () -> cluster.crash(victim));

      assertThat(outcome.failures).as("failed calls").isEmpty();
      assertCountersEqualSuccesses(client, outcome);
    }
  }

  private record Outcome(String prefix, AtomicIntegerArray succeeded, List<Throwable> failures) {}

  /**
   * {@code callers} chains of {@code callsEach} increments over {@value #KEYS} keys named {@code
   * prefix + i}; {@code midway} runs on this thread once a third of the calls completed.
   */
  private static Outcome run(CacheClient client, String prefix, int callers, int callsEach,
      Runnable midway) {
    AtomicIntegerArray succeeded = new AtomicIntegerArray(KEYS);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger completed = new AtomicInteger();
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int slot = c % KEYS;
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = 0; i < callsEach; i++) {
        chain = chain.thenCompose(v -> client.increment(prefix + slot, 1)
            .handle((value, error) -> {
              if (error == null) {
                succeeded.incrementAndGet(slot);
              } else {
                failures.add(error);
              }
              completed.incrementAndGet();
              return null;
            }));
      }
      chains.add(chain);
    }
    int total = callers * callsEach;
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> completed.get() >= total / 3);
    midway.run();
    CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).orTimeout(120,
        TimeUnit.SECONDS).join();
    return new Outcome(prefix, succeeded, List.copyOf(failures));
  }

  private static void assertCountersEqualSuccesses(CacheClient client, Outcome outcome) {
    for (int k = 0; k < KEYS; k++) {
      // A counter reads back as its decimal ASCII value.
      byte[] value = Clients.join(client.get(outcome.prefix() + k)).orElseThrow().value();
      assertThat(Long.parseLong(new String(value, StandardCharsets.US_ASCII)))
          .as(outcome.prefix() + k).isEqualTo(outcome.succeeded().get(k));
    }
  }
}
