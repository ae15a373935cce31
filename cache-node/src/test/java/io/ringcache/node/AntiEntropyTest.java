package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.metrics.Scrape;
import io.ringcache.node.replication.AntiEntropyStats;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy between the owners of a range: divergence injected below replication (an entry on
 * one owner only, an entry dropped on one owner, a stale version, a tombstone on one side) is
 * repaired by one round, both ways, without losing a write or bringing a deleted key back. RF=2,
 * 3 nodes; rounds are run on demand ({@code AntiEntropy#runNow}) except where the periodic
 * schedule is the point.
 */
class AntiEntropyTest {

  private static Vertx vertx;
  private static final HybridClock INJECTOR = HybridClock.forNode("anti-entropy-test");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  private static TestCluster cluster(Duration interval) {
    return new TestCluster(2, s -> s.withAntiEntropy(interval, 0)).start(3);
  }

  @Test
  void oneRound_repairsEveryKindOfDivergenceBothWays_withoutLosingOrResurrecting()
      throws Exception {
    try (TestCluster cluster = cluster(Duration.ZERO)) {
      Map<String, Long> versions = write(vertx, cluster, "k-", 3_000);
      for (CacheNode n : cluster.nodes()) {
        JsonObject report = TestCluster.await(n.antiEntropy().runNow());
        assertThat(report.getLong("mismatches")).as("consistent replicas: %s", report)
            .isZero();
        assertThat(report.getLong("entriesRepaired")).isZero();
        assertThat(report.getLong("rangesCompared")).isPositive();
      }

      // The same round, asked for over HTTP.
      java.net.http.HttpResponse<String> viaHttp = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
              + cluster.node(1).settings().server().httpPort() + "/v1/admin/anti-entropy"))
              .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(viaHttp.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(viaHttp.body()).getLong("rangesCompared")).isPositive();

      Map<String, Expected> expected = new HashMap<>();
      // An entry written on one owner only, on the primary and on the replica.
      expected.put("only-primary", inject(cluster, "only-primary", 0, value("p")));
      expected.put("only-replica", inject(cluster, "only-replica", 1, value("r")));
      // An entry dropped on one owner (lost below replication), on either side.
      expected.put("k-10", drop(cluster, "k-10", 1, versions));
      expected.put("k-11", drop(cluster, "k-11", 0, versions));
      // A stale version on one owner: the other holds a newer value.
      expected.put("k-12", inject(cluster, "k-12", 0, value("newer")));
      expected.put("k-13", inject(cluster, "k-13", 1, value("newer")));
      // A delete that reached one owner only: its tombstone must win, never the older value.
      expected.put("k-14", inject(cluster, "k-14", 1, null));
      expected.put("k-15", inject(cluster, "k-15", 0, null));
      for (Map.Entry<String, Expected> e : expected.entrySet()) {
        assertThat(agree(cluster, e.getKey())).as("%s diverges before the round", e.getKey())
            .isFalse();
      }

      long repaired = 0;
      for (CacheNode n : cluster.nodes()) {
        JsonObject report = TestCluster.await(n.antiEntropy().runNow());
        repaired += report.getLong("entriesRepaired");
      }

      for (Map.Entry<String, Expected> e : expected.entrySet()) {
        for (CacheNode owner : owners(cluster, e.getKey())) {
          ReplicaEntry held = owner.store().replicaOf(StoreKey.of(e.getKey()));
          assertThat(held).as("%s on %s", e.getKey(), owner.name()).isNotNull();
          assertThat(held.version()).as("%s on %s", e.getKey(), owner.name())
              .isEqualTo(e.getValue().version());
          assertThat(held.tombstone()).as("%s on %s", e.getKey(), owner.name())
              .isEqualTo(e.getValue().tombstone());
        }
      }
      assertThat(repaired).as("one entry repaired per divergence").isEqualTo(expected.size());
      try (RawClient c = RawClient.connect(vertx, cluster.node(2).settings().server().port())) {
        assertThat(c.call(new Request.Get(Key.of("k-14"))).status()).isEqualTo(Status.NOT_FOUND);
        assertThat(c.call(new Request.Get(Key.of("k-15"))).status()).isEqualTo(Status.NOT_FOUND);
      }
      // No other write lost or changed, and the next round finds nothing left to repair.
      versions.keySet().removeAll(expected.keySet());
      assertHeldByOwners(cluster, versions);
      AntiEntropyStats total = new AntiEntropyStats();
      for (CacheNode n : cluster.nodes()) {
        JsonObject report = TestCluster.await(n.antiEntropy().runNow());
        assertThat(report.getLong("mismatches")).as("after repair: %s", report).isZero();
        total.entriesRepaired.add(n.antiEntropy().stats().entriesRepaired.sum());
        total.mismatches.add(n.antiEntropy().stats().mismatches.sum());
      }
      assertThat(total.entriesRepaired.sum()).isEqualTo(expected.size());
      assertThat(total.mismatches.sum()).isPositive();
      double scraped = 0;
      for (CacheNode n : cluster.nodes()) {
        Scrape metrics = new Scrape(n.metrics().scrape());
        scraped += metrics.get("ringcache_anti_entropy_entries_repaired_total");
        assertThat(metrics.get("ringcache_anti_entropy_ranges_compared_total")).isPositive();
        assertThat(metrics.value("ringcache_anti_entropy_mismatches_total")).isPresent();
      }
      assertThat(scraped).isEqualTo(expected.size());
    }
  }

  @Test
  void periodicRounds_repairADivergenceWithinOneInterval() {
    try (TestCluster cluster = cluster(Duration.ofSeconds(1))) {
      // Few writes, few in flight: rounds run every second from the start, on a cold JVM.
      Map<String, Long> versions = write(vertx, cluster, "p-", 300, 50);
      Expected dropped = drop(cluster, "p-7", 1, versions);
      Expected added = inject(cluster, "p-new", 0, value("x"));
      // A round that starts after the injection has ended once the counter moved by two (rounds
      // never overlap), on the primaries of both keys.
      List<CacheNode> primaries = List.of(owners(cluster, "p-7").get(0),
          owners(cluster, "p-new").get(0));
      List<Long> before = primaries.stream()
          .map(n -> n.antiEntropy().stats().rounds.sum()).toList();
      Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (int i = 0; i < primaries.size(); i++) {
              AntiEntropyStats stats = primaries.get(i).antiEntropy().stats();
              assertThat(stats.rounds.sum()).as("rounds of %s: %s", primaries.get(i).name(),
                  stats.json()).isGreaterThanOrEqualTo(before.get(i) + 2);
            }
          });
      for (CacheNode owner : owners(cluster, "p-7")) {
        assertThat(owner.store().replicaOf(StoreKey.of("p-7")).version())
            .isEqualTo(dropped.version());
      }
      for (CacheNode owner : owners(cluster, "p-new")) {
        assertThat(owner.store().replicaOf(StoreKey.of("p-new")).version())
            .isEqualTo(added.version());
      }
    }
  }

  @Test
  void roundsDuringWrites_loseNoWrite_andConvergeOnceWritesStop() throws Exception {
    try (TestCluster cluster = cluster(Duration.ZERO)) {
      write(vertx, cluster, "w-", 2_000);
      Map<String, Long> acked = new ConcurrentHashMap<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicReference<Throwable> writerFailed = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(42);
        try (RawClient c = RawClient.connect(vertx, cluster.node(1).settings().server().port())) {
          for (int round = 0; round < 40; round++) {
            Map<Integer, Future<Response>> pending = new HashMap<>();
            for (int i = 0; i < 200; i++) {
              int k = random.nextInt(2_000);
              if (!pending.containsKey(k)) {
                pending.put(k, c.send(new Request.Set(Key.of("w-" + k),
                    Buffer.buffer("r" + round), 0, SetMode.ALWAYS)));
              }
            }
            pending.forEach((k, f) -> {
              Response r = TestCluster.await(f);
              assertThat(r.status()).isEqualTo(Status.OK);
              acked.put("w-" + k, ((Response.Stored) r).version());
            });
          }
        } catch (AssertionError | RuntimeException e) {
          // An assertion or a failed call on this thread would otherwise be lost with it.
          writerFailed.set(e);
        } finally {
          writing.set(false);
        }
      });
      writer.start();
      while (writing.get()) {
        for (CacheNode n : cluster.nodes()) {
          TestCluster.await(n.antiEntropy().runNow());
        }
      }
      writer.join(TimeUnit.SECONDS.toMillis(TestCluster.TIMEOUT_SECONDS));
      assertThat(writer.isAlive()).as("writer finished").isFalse();
      assertThat(writerFailed.get()).as("writer failure").isNull();
      assertThat(acked).hasSizeGreaterThan(1_000);
      assertHeldByOwners(cluster, acked);
      for (CacheNode n : cluster.nodes()) {
        JsonObject report = TestCluster.await(n.antiEntropy().runNow());
        assertThat(report.getLong("mismatches")).as("%s", report).isZero();
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The newest entry the owners must agree on: its version, and whether it is a tombstone. */
  private record Expected(long version, boolean tombstone) {}

  private static byte[] value(String v) {
    return v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Applies a new entry (a value, or a tombstone when {@code value} is null) to the {@code
   * which}-th owner only (0: primary), as if replication had reached it alone.
   */
  private static Expected inject(TestCluster cluster, String key, int which, byte[] value) {
    CacheNode owner = owners(cluster, key).get(which);
    for (CacheNode n : owners(cluster, key)) {
      ReplicaEntry held = n.store().replicaOf(StoreKey.of(key));
      if (held != null) {
        INJECTOR.observe(held.version());
      }
    }
    long version = INJECTOR.next();
    ReplicaEntry entry = value == null ? ReplicaEntry.tombstone(version, 0)
        : ReplicaEntry.value(value, version, 0);
    assertThat(owner.store().apply(StoreKey.of(key), entry).ok()).isTrue();
    return new Expected(version, value == null);
  }

  /** Removes {@code key} from its {@code which}-th owner's store, as a lost entry. */
  private static Expected drop(TestCluster cluster, String key, int which,
      Map<String, Long> versions) {
    CacheNode owner = owners(cluster, key).get(which);
    long position = Key.of(key).position();
    assertThat(owner.store().removeIf(p -> p == position)).isEqualTo(1);
    return new Expected(versions.get(key), false);
  }

  private static boolean agree(TestCluster cluster, String key) {
    List<CacheNode> owners = owners(cluster, key);
    ReplicaEntry a = owners.get(0).store().replicaOf(StoreKey.of(key));
    ReplicaEntry b = owners.get(1).store().replicaOf(StoreKey.of(key));
    return a != null && b != null && a.version() == b.version()
        && a.tombstone() == b.tombstone();
  }

  /** The key's owners in the installed topology, primary first. */
  static List<CacheNode> owners(TestCluster cluster, String key) {
    Topology t = cluster.node(0).topology();
    return t.readReplicas(Key.of(key).position()).stream()
        .map(m -> cluster.node(m.name())).toList();
  }

  /** Every key is held by each of its owners at exactly its version. */
  static void assertHeldByOwners(TestCluster cluster, Map<String, Long> versions) {
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      List<CacheNode> owners = owners(cluster, e.getKey());
      assertThat(owners).hasSize(2);
      for (CacheNode owner : owners) {
        ReplicaEntry held = owner.store().replicaOf(StoreKey.of(e.getKey()));
        assertThat(held).as("%s on %s", e.getKey(), owner.name()).isNotNull();
        assertThat(held.version()).as("%s on %s", e.getKey(), owner.name())
            .isEqualTo(e.getValue());
      }
    }
  }

  /** Writes {@code count} keys through node-0 and returns each key's acknowledged version. */
  static Map<String, Long> write(Vertx vertx, TestCluster cluster, String prefix, int count) {
    return write(vertx, cluster, prefix, count, 500);
  }

  /** As above, at most {@code window} writes in flight. */
  static Map<String, Long> write(Vertx vertx, TestCluster cluster, String prefix, int count,
      int window) {
    Map<String, Long> versions = new HashMap<>();
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      List<String> keys = new ArrayList<>();
      List<Future<Response>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = prefix + i;
        keys.add(key);
        pending.add(c.send(new Request.Set(Key.of(key), Buffer.buffer("v-" + i), 0,
            SetMode.ALWAYS)));
        if (pending.size() == window || i == count - 1) {
          for (int j = 0; j < pending.size(); j++) {
            Response r = TestCluster.await(pending.get(j));
            assertThat(r.status()).as("write of %s", keys.get(j)).isEqualTo(Status.OK);
            versions.put(keys.get(j), ((Response.Stored) r).version());
          }
          pending.clear();
          keys.clear();
        }
      }
    }
    return versions;
  }
}
