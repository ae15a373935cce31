package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Increments as fast as 64 in flight allow, on 8 counters, across joins and drains of a 3-node
 * RF=2 cluster: every counter ends at least at its acknowledged increments and at most at those
 * plus the failed ones. A rebalance's SWITCH reaches the nodes milliseconds apart, so for a moment
 * the old and the new coordinator of a key both take increments; before a coordinator gave up an
 * increment once the key's coordination moved, both results were acknowledged and counters came
 * out 10 to 50 short.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IncrementsAcrossRebalanceTest {

  private static final int COUNTERS = 8;
  private static final int IN_FLIGHT = 64;

  @Test
  void joinsAndDrains_underIncrements_everyAcknowledgedIncrementCounted() throws Exception {
    try (TestCluster cluster = new TestCluster(2).start(3);
        CacheClient client = CacheClient.builder()
            .seeds("127.0.0.1:" + cluster.node(0).settings().server().port()).build()) {
      ConcurrentHashMap<Integer, LongAdder> acknowledged = new ConcurrentHashMap<>();
      ConcurrentHashMap<Integer, LongAdder> failed = new ConcurrentHashMap<>();
      AtomicBoolean running = new AtomicBoolean(true);
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      Thread issuer = new Thread(() -> {
        for (long n = 0; running.get(); n++) {
          try {
            inFlight.acquire();
          } catch (InterruptedException e) {
            return;
          }
          int c = (int) (n % COUNTERS);
          client.increment("counter-" + c, 1).whenComplete((v, e) -> {
            (e == null ? acknowledged : failed).computeIfAbsent(c, x -> new LongAdder())
                .increment();
            inFlight.release();
          });
        }
      }, "increments");
      issuer.start();
      Thread.sleep(500);
      for (int round = 0; round < 2; round++) {
        cluster.startNode();
        cluster.awaitStable();
        cluster.drain(cluster.node(1));
        cluster.awaitStable();
      }
      running.set(false);
      issuer.join(10_000);
      assertThat(inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS))
          .as("every increment completed").isTrue();

      List<String> wrong = new ArrayList<>();
      long total = 0;
      for (int c = 0; c < COUNTERS; c++) {
        long value = client.blocking().increment("counter-" + c, 0);
        long ok = acknowledged.getOrDefault(c, new LongAdder()).sum();
        long maybe = failed.getOrDefault(c, new LongAdder()).sum();
        total += ok;
        if (value < ok || value > ok + maybe) {
          wrong.add(String.format("counter-%d holds %d after %d acknowledged and %d failed"
              + " increments", c, value, ok, maybe));
        }
      }
      assertThat(total).as("increments acknowledged").isGreaterThan(1_000);
      assertThat(wrong).isEmpty();
    }
  }
}
