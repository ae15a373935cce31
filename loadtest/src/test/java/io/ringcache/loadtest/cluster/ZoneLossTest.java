package io.ringcache.loadtest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.CacheClient;
import io.ringcache.loadtest.check.ConsistencyChecker;
import io.ringcache.loadtest.run.WriteStamp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The zone promise of issue 15 with real processes: 6 nodes in zones a, a, b, b, c, c at RF 2
 * take one acknowledged write of each of 4,000 keys, then a second round of writes of every key
 * (64 in flight, 1,000 per second), during which both nodes of zone a are SIGKILLed at the same
 * moment. Once the 4 survivors are STABLE, every owner of every key must hold its last
 * acknowledged write (or a later one that may have applied).
 *
 * <p>The kill only proves something if no key had both copies in zone a, so before it the test
 * reads every key's owners (the members {@link CacheClient#ownerCopies} asks) and requires two
 * owners in two zones for every key, and a copy in zone a for a good share of them: the kill must
 * take one copy of most keys and both copies of none. The zones themselves are checked where the
 * nodes publish them ({@code /v1/topology}). Run once with the nodes' zones unset and those two
 * checks printed instead of asserted: 220 of the 4,000 keys had both owners in node-1 and node-2,
 * and the kill lost the 52 of them whose last write came before it.
 *
 * <p>Writes are paced by permits that a scheduler hands out, never by sleeping; the kill runs on
 * its own thread when a quarter of the second round is acknowledged, so writes are in flight when
 * it lands and go on through the failover.
 */
class ZoneLossTest {

  /** Node name to zone; the launcher names nodes node-1 to node-6. */
  private static final Map<String, String> ZONES = zones("a", "a", "b", "b", "c", "c");
  private static final String LOST_ZONE = "a";
  private static final int KEYS = 4_000;
  private static final int IN_FLIGHT = 64;
  private static final int PER_SECOND = 1_000;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern MEMBER_ZONE =
      Pattern.compile("\\{\"name\":\"([^\"]+)\"[^{}]*?\"zone\":\"([^\"]*)\"");

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void killEveryNodeOfOneZone_duringWrites_rf2_losesNoAcknowledgedWrite() throws Exception {
    ConsistencyChecker checker = new ConsistencyChecker();
    WriteStamp ids = new WriteStamp();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add("zone-key-" + i);
    }
    List<String> victims = ZONES.entrySet().stream()
        .filter(e -> e.getValue().equals(LOST_ZONE)).map(Map.Entry::getKey).toList();
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    ExecutorService chaos = Executors.newSingleThreadExecutor();
    LocalCluster.Builder settings = LocalCluster.builder().nodes(ZONES.size())
        .replicationFactor(2).logRoot(LocalClusterTest.LOG_ROOT);
    ZONES.forEach((name, zone) -> settings.nodeOptionsFor(name, "--zone", zone));
    long begun = System.nanoTime();
    try (LocalCluster cluster = settings.start()) {
      cluster.awaitReady();
      long ready = System.nanoTime();
      assertThat(published(cluster.node("node-3").orElseThrow()).zones())
          .as("zones the nodes publish in /v1/topology").isEqualTo(ZONES);

      try (CacheClient client = CacheClient.builder().seeds(cluster.seeds())
          .requestTimeout(Duration.ofSeconds(2)).maxRetries(10).build()) {
        // Round 1, no fault yet: every key written once and acknowledged.
        Semaphore unpaced = new Semaphore(Integer.MAX_VALUE);
        AtomicInteger firstAcks = new AtomicInteger();
        writeAll(client, keys, "first", ids, checker, unpaced, failures,
            end -> firstAcks.incrementAndGet());
        assertThat(firstAcks.get()).as("first-round writes acknowledged").isEqualTo(KEYS);

        // The layout the kill meets: two owners per key, in two zones.
        Queue<String> ownerFailures = new ConcurrentLinkedQueue<>();
        Map<String, Map<String, Long>> before = copies(client, keys, ownerFailures);
        List<String> badLayout = new ArrayList<>();
        int withCopyInLostZone = 0;
        for (String key : keys) {
          List<String> zonesOfOwners = zonesOf(before.getOrDefault(key, Map.of()).keySet());
          if (zonesOfOwners.size() != 2 || new TreeSet<>(zonesOfOwners).size() != 2) {
            badLayout.add(key + " owners " + before.get(key) + " zones " + zonesOfOwners);
          }
          if (zonesOfOwners.contains(LOST_ZONE)) {
            withCopyInLostZone++;
          }
        }
        assertThat(ownerFailures).as("owner reads before the kill").isEmpty();
        assertThat(badLayout).as("keys without two owners in two zones, before the kill")
            .isEmpty();
        assertThat(withCopyInLostZone).as("keys with a copy in zone %s", LOST_ZONE)
            .isGreaterThan(KEYS / 2);

        // Round 2, paced: every key written again while zone a dies under it.
        Semaphore tokens = new Semaphore(0);
        pacer.scheduleAtFixedRate(() -> tokens.release(PER_SECOND / 100), 0, 10,
            TimeUnit.MILLISECONDS);
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        LongAdder ackedAfterKill = new LongAdder();
        CompletableFuture<Void> killPoint = new CompletableFuture<>();
        CompletableFuture<Map<String, Integer>> killed = killPoint.thenApplyAsync(x -> {
          killedAt.set(System.nanoTime());
          return cluster.killTogether(victims.toArray(String[]::new));
        }, chaos);
        AtomicInteger secondAcks = new AtomicInteger();
        writeAll(client, keys, "second", ids, checker, tokens, failures, end -> {
          if (secondAcks.incrementAndGet() == KEYS / 4) {
            killPoint.complete(null);
          }
          if (end > killedAt.get()) {
            ackedAfterKill.increment();
          }
        });
        Map<String, Integer> exits = killed.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        cluster.awaitReady();
        long settled = System.nanoTime();
        long epoch = published(cluster.node("node-3").orElseThrow()).epoch();
        awaitClientEpoch(client, epoch);
        Map<String, Map<String, Long>> after = copies(client, keys, ownerFailures);
        List<String> badAfter = new ArrayList<>();
        for (String key : keys) {
          List<String> zonesOfOwners = zonesOf(after.getOrDefault(key, Map.of()).keySet());
          if (zonesOfOwners.size() != 2 || new TreeSet<>(zonesOfOwners).size() != 2
              || zonesOfOwners.contains(LOST_ZONE)) {
            badAfter.add(key + " owners " + after.get(key) + " zones " + zonesOfOwners);
          }
        }
        List<ConsistencyChecker.Violation> lost =
            checker.lost(key -> after.getOrDefault(key, Map.of()));

        System.out.printf("ZoneLossTest: %d keys; %d with a copy in zone %s; second round: "
                + "%d acked, %d of them after the kill; killed %s; failures %s; owner-read "
                + "failures %d; layout faults after %d; lost %d; final epoch %d; 6 nodes ready "
                + "in %d ms, STABLE on 4 nodes %d ms after the kill%n",
            KEYS, withCopyInLostZone, LOST_ZONE, secondAcks.get(), ackedAfterKill.sum(), exits,
            failures, ownerFailures.size(), badAfter.size(), lost.size(), epoch,
            TimeUnit.NANOSECONDS.toMillis(ready - begun),
            TimeUnit.NANOSECONDS.toMillis(settled - killedAt.get()));
        lost.stream().limit(10).forEach(l -> System.out.println("  lost " + l));
        ownerFailures.stream().limit(10).forEach(f -> System.out.println("  owner read " + f));

        assertThat(exits).as("exit codes after SIGKILL")
            .containsOnlyKeys(victims).allSatisfy((name, code) -> assertThat(code).isEqualTo(137));
        assertThat(ackedAfterKill.sum()).as("second-round writes acknowledged after the kill")
            .isPositive();
        assertThat(ownerFailures).as("owner reads after the cluster settled").isEmpty();
        assertThat(badAfter).as("keys without two owners in the two surviving zones").isEmpty();
        assertThat(lost).as("acknowledged writes missing after losing zone %s", LOST_ZONE)
            .isEmpty();
      }
    } finally {
      pacer.shutdownNow();
      chaos.shutdownNow();
    }
  }

  /**
   * Writes every key once (value stamped with a fresh write id), {@value #IN_FLIGHT} in flight,
   * one permit of {@code tokens} per write; {@code onAck} gets each acknowledged write's end
   * ({@link System#nanoTime()}). Waits for the last answer.
   */
  private static void writeAll(CacheClient client, List<String> keys, String round,
      WriteStamp ids, ConsistencyChecker checker, Semaphore tokens,
      Map<String, LongAdder> failures, LongConsumer onAck) {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    for (String key : keys) {
      acquire(tokens, 1, "a write token");
      acquire(inFlight, 1, "a write in-flight permit");
      long id = ids.next();
      byte[] value = WriteStamp.stamp(("........" + round + "-" + key)
          .getBytes(StandardCharsets.UTF_8), id);
      long start = System.nanoTime();
      client.put(key, value).whenComplete((version, error) -> {
        long end = System.nanoTime();
        checker.recordWrite(key, id, start, end, error == null
            ? ConsistencyChecker.Outcome.ACKNOWLEDGED
            : ConsistencyChecker.Outcome.MAYBE_APPLIED);
        if (error == null) {
          onAck.accept(end);
        } else {
          failures.computeIfAbsent(round + " put " + error.getClass().getSimpleName(),
              k -> new LongAdder()).increment();
        }
        inFlight.release();
      });
    }
    acquire(inFlight, IN_FLIGHT, "the last " + round + "-round writes");
  }

  /**
   * Every owner's copy of every key, as owner name to the write id it holds ({@link
   * ConsistencyChecker#ABSENT} when it holds none), {@value #IN_FLIGHT} reads in flight. A key
   * whose owners could not all be read is missing from the answer and named in {@code failed}.
   */
  private static Map<String, Map<String, Long>> copies(
      CacheClient client, List<String> keys, Queue<String> failed) {
    Map<String, Map<String, Long>> copies = new ConcurrentHashMap<>();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    for (String key : keys) {
      acquire(inFlight, 1, "an owner-read permit");
      client.ownerCopies(key).whenComplete((owners, error) -> {
        if (error == null) {
          Map<String, Long> held = new TreeMap<>();
          owners.forEach((node, copy) -> held.put(node, copy.map(v -> WriteStamp.of(v.value()))
              .orElse(ConsistencyChecker.ABSENT)));
          copies.put(key, held);
        } else {
          failed.add(key + ": " + error);
        }
        inFlight.release();
      });
    }
    acquire(inFlight, IN_FLIGHT, "the last owner reads");
    return copies;
  }

  /** The zones of these owners, one entry per owner. */
  private static List<String> zonesOf(Iterable<String> owners) {
    List<String> zones = new ArrayList<>();
    owners.forEach(o -> zones.add(ZONES.getOrDefault(o, "?" + o)));
    return zones;
  }

  /**
   * Sends reads until the client has installed {@code epoch}: each answer carries the node's
   * epoch, and a newer one makes the client fetch the layout.
   */
  private static void awaitClientEpoch(CacheClient client, long epoch) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (client.topology().epoch() < epoch) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(String.format("client still at epoch %d, %d ms after the "
            + "cluster settled at %d", client.topology().epoch(), WAIT.toMillis(), epoch));
      }
      client.get("zone-key-0").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** A node's view from {@code GET /v1/topology}: its epoch and each member's zone. */
  private record Published(long epoch, Map<String, String> zones) {}

  private static Published published(LocalNode node) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(node.httpBase() + "/v1/topology"))
            .timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET /v1/topology on %s", node.name()).isEqualTo(200);
    TopologyProbe.Seen seen = TopologyProbe.parse(node.name(), response.body());
    assertThat(seen.error()).as("topology of %s", node.name()).isNull();
    Map<String, String> zones = new TreeMap<>();
    Matcher m = MEMBER_ZONE.matcher(response.body());
    while (m.find()) {
      zones.put(m.group(1), m.group(2));
    }
    return new Published(seen.epoch(), zones);
  }

  private static Map<String, String> zones(String... zoneOfNode) {
    Map<String, String> zones = new LinkedHashMap<>();
    for (int i = 0; i < zoneOfNode.length; i++) {
      zones.put("node-" + (i + 1), zoneOfNode[i]);
    }
    return zones;
  }

  private static void acquire(Semaphore semaphore, int permits, String what) {
    try {
      if (!semaphore.tryAcquire(permits, WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("waited " + WAIT.toMillis() + " ms for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    }
  }
}
