package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a topology change costs a client with the default settings (only the seeds set): writes,
 * increments and reads keep flowing through a join and a graceful drain of a 3-node RF=2 cluster,
 * and none of them may fail. A crash may fail only the calls in flight to the dead node before
 * its death is noticed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopologyChangeCostTest {

  private static final int PER_SECOND = 1_000;
  private static final int IN_FLIGHT = 32;
  private static final int COUNTERS = 16;

  @Test
  void joinAndDrain_underLoad_noCallFails() throws Exception {
    try (TestCluster cluster = new TestCluster(2).start(3);
        CacheClient client = CacheClient.builder()
            .seeds("127.0.0.1:" + cluster.node(0).settings().server().port()).build();
        Load load = new Load(client)) {
      load.awaitCalls(1_000);
      cluster.startNode();
      cluster.awaitStable();
      load.awaitCalls(load.calls() + 1_000);
      CacheNode leaving = cluster.node(1);
      cluster.drain(leaving);
      load.awaitCalls(load.calls() + 1_000);
      load.stop();

      assertThat(load.failures.size()).as("calls of %d that failed across a join and a drain,"
          + " the first of them: %s", load.calls(), load.first(10)).isZero();
      load.assertCountersMatch();
    }
  }

  @Test
  void crash_underLoad_failsOnlyCallsCaughtByTheDeath() throws Exception {
    try (TestCluster cluster = new TestCluster(2).start(3);
        CacheClient client = CacheClient.builder()
            .seeds("127.0.0.1:" + cluster.node(0).settings().server().port()).build();
        Load load = new Load(client)) {
      load.awaitCalls(1_000);
      cluster.crash(cluster.node(2));
      cluster.awaitStable();
      load.awaitCalls(load.calls() + 3_000);
      load.stop();

      assertThat((double) load.failures.size()).as("failed calls of %d across a crash: %s",
          load.calls(), load.first(10)).isLessThanOrEqualTo(0.001 * load.calls());
    }
  }

  /**
   * Puts, reads and increments at {@link #PER_SECOND}, at most {@link #IN_FLIGHT} at once, paced
   * by permits a scheduler hands out every 10 ms.
   */
  private static final class Load implements AutoCloseable {
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final CacheClient client;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final Thread issuer;
    private final Semaphore permits = new Semaphore(0);
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong completed = new AtomicLong();
    private final Map<Integer, LongAdder> increments = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> ambiguousIncrements = new ConcurrentHashMap<>();

    Load(CacheClient client) {
      this.client = client;
      pacer.scheduleAtFixedRate(() -> permits.release(PER_SECOND / 100), 0, 10,
          TimeUnit.MILLISECONDS);
      issuer = new Thread(this::issue, "topology-cost-load");
      issuer.setDaemon(true);
      issuer.start();
    }

    private void issue() {
      long i = 0;
      try {
        while (running.get()) {
          permits.acquire();
          inFlight.acquire();
          long n = i++;
          String key = "k-" + (n % 5_000);
          switch ((int) (n % 4)) {
            case 0, 1 -> client.put(key, ("v" + n).getBytes(StandardCharsets.UTF_8))
                .whenComplete((v, e) -> done("put " + key, e));
            case 2 -> client.get(key).whenComplete((v, e) -> done("get " + key, e));
            default -> {
              int counter = (int) (n / 4 % COUNTERS);
              client.increment("counter-" + counter, 1).whenComplete((v, e) -> {
                (e == null ? increments : ambiguousIncrements)
                    .computeIfAbsent(counter, c -> new LongAdder()).increment();
                done("increment counter-" + counter, e);
              });
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void done(String call, Throwable error) {
      if (error != null) {
        failures.add(call + ": " + error);
      }
      completed.incrementAndGet();
      inFlight.release();
    }

    List<String> first(int n) {
      return failures.subList(0, Math.min(n, failures.size()));
    }

    long calls() {
      return completed.get();
    }

    void awaitCalls(long count) {
      Awaitility.await().atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(20)).until(() -> completed.get() >= count);
    }

    void stop() throws InterruptedException {
      running.set(false);
      issuer.interrupt();
      issuer.join(10_000);
      assertThat(inFlight.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS))
          .as("every call completed").isTrue();
      inFlight.release(IN_FLIGHT);
    }

    /** Each counter holds exactly its successful increments (no failure left it ambiguous). */
    void assertCountersMatch() {
      for (int c = 0; c < COUNTERS; c++) {
        long value = client.blocking().increment("counter-" + c, 0);
        long ok = increments.getOrDefault(c, new LongAdder()).sum();
        long maybe = ambiguousIncrements.getOrDefault(c, new LongAdder()).sum();
        assertThat(value).as("counter-%d after %d acknowledged increments", c, ok)
            .isBetween(ok, ok + maybe);
      }
    }

    @Override
    public void close() {
      running.set(false);
      issuer.interrupt();
      pacer.shutdownNow();
    }
  }
}
