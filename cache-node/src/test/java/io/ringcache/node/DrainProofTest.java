package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Topology;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A drain ends only once the new owners' digests of every range it handed off equal the
 * leaver's: the proof is exposed in the leaver's {@code rebalance.drainProof}, readiness stays
 * false throughout, and entries a target lost below its acknowledgement are repaired, with the
 * mismatching ranges retried, before the leaver may go. Periodic anti-entropy is off, so only
 * the proof can repair. RF=2.
 */
class DrainProofTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  private static TestCluster cluster(int nodes) {
    return new TestCluster(2, s -> s.withAntiEntropy(Duration.ZERO, 0)).start(nodes);
  }

  @Test
  void drain_provesEveryRangeItHandedOff_andIsNeverReadyMeanwhile() {
    try (TestCluster cluster = cluster(4)) {
      Map<String, Long> versions = AntiEntropyTest.write(vertx, cluster, "d-", 4_000);
      CacheNode leaver = cluster.node(2);
      long held = leaver.store().size();
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + leaver.settings().server().httpPort()
          + "/health/ready");
      assertThat(status(http, ready)).as("ready before the drain").isEqualTo(200);
      // Held mid-transfer, so readiness is sampled while the hand-off is surely under way.
      leaver.transferGate().close();
      Future<Boolean> drained =
          leaver.drain(Duration.ofSeconds(TestCluster.TIMEOUT_SECONDS));
      cluster.awaitPhase(Topology.Phase.TRANSFER);
      List<Integer> readiness = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 5; i++) {
        readiness.add(status(http, ready));
      }
      AtomicBoolean draining = new AtomicBoolean(true);
      CompletableFuture<Void> probe = CompletableFuture.runAsync(() -> {
        while (draining.get()) {
          readiness.add(status(http, ready));
        }
      });
      leaver.transferGate().open();
      assertThat(TestCluster.await(drained)).isTrue();
      draining.set(false);
      probe.join();
      JsonObject proof = leaver.report().json().getJsonObject("rebalance")
          .getJsonObject("drainProof");
      cluster.stop(leaver);

      assertThat(readiness).as("readiness while draining").hasSizeGreaterThan(5)
          .containsOnly(503);
      assertThat(proof).as("drain proof").isNotNull();
      assertThat(proof.getString("status")).isEqualTo("PROVEN");
      assertThat(proof.getInteger("ranges")).isPositive();
      assertThat(proof.getLong("rangeTargetsMatched")).isEqualTo(proof.getLong("rangeTargets"));
      assertThat(proof.getLong("entries")).isPositive().isLessThanOrEqualTo(held);
      assertThat(proof.getLong("entriesRepaired")).isZero();
      JsonArray targets = proof.getJsonArray("targets");
      assertThat(targets).isNotEmpty();
      for (Object o : targets) {
        JsonObject t = (JsonObject) o;
        assertThat(t.getString("targetDigest")).as("%s", t).isEqualTo(t.getString("digest"));
      }
      AntiEntropyTest.assertHeldByOwners(cluster, versions);
    }
  }

  /**
   * Short-TTL writes during the drain leave entries that expired but were not swept yet: digests
   * count them, version listings skip them, so no repair can make the digests equal. The proof
   * settles such ranges by an exchange in which both sides list the same live entries; without
   * that the drain stayed unproven until its timeout and returned false.
   */
  @Test
  void shortTtlWritesDuringTheDrain_proofStillHolds() throws Exception {
    try (TestCluster cluster = cluster(3)) {
      AntiEntropyTest.write(vertx, cluster, "t-", 2_000);
      CacheNode leaver = cluster.node(2);
      AtomicBoolean writing = new AtomicBoolean(true);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
          for (int i = 0; writing.get(); ) {
            List<Future<Response>> batch = new ArrayList<>();
            for (int j = 0; j < 20; j++, i++) {
              batch.add(c.send(new Request.Set(Key.of("ttl-" + i), Buffer.buffer("x"), 300,
                  SetMode.ALWAYS)));
            }
            for (Future<Response> f : batch) {
              try {
                TestCluster.await(f);
              } catch (RuntimeException e) {
                // Writes may fail while the ring changes; the proof is what is checked.
              }
            }
          }
        }
      }, pool);
      boolean drained;
      try {
        drained = TestCluster.await(leaver.drain(Duration.ofSeconds(20)));
      } finally {
        writing.set(false);
        writer.join();
        pool.shutdown();
      }
      JsonObject proof = leaver.report().json().getJsonObject("rebalance")
          .getJsonObject("drainProof");
      cluster.stop(leaver);

      assertThat(drained).as("drain ended in time, proof %s", proof).isTrue();
      assertThat(proof.getString("status")).isEqualTo("PROVEN");
    }
  }

  @Test
  void targetLosesHandedOffEntries_proofRepairsAndRetriesBeforeTheDrainEnds() {
    try (TestCluster cluster = cluster(3)) {
      Map<String, Long> versions = AntiEntropyTest.write(vertx, cluster, "l-", 3_000);
      CacheNode leaver = cluster.node(2);
      Topology before = leaver.topology();
      // Keys the leaver is primary of: it is their transfer source, and their new owner receives
      // them from it. Each new owner acknowledges them and keeps nothing, for the transfer and
      // for longer than one proof attempt's repairs.
      List<Key> lost = new ArrayList<>();
      for (String key : versions.keySet()) {
        if (lost.size() < 20 && before.readReplicas(Key.of(key).position()).get(0).name()
            .equals(leaver.name())) {
          lost.add(Key.of(key));
        }
      }
      assertThat(lost).hasSize(20);
      for (CacheNode n : cluster.nodes()) {
        if (n != leaver) {
          n.replicaFaults().dropSilently(lost, 8);
        }
      }

      assertThat(TestCluster.await(leaver.drain(Duration.ofSeconds(TestCluster.TIMEOUT_SECONDS))))
          .isTrue();
      JsonObject proof = leaver.report().json().getJsonObject("rebalance")
          .getJsonObject("drainProof");
      cluster.stop(leaver);

      assertThat(proof.getString("status")).isEqualTo("PROVEN");
      assertThat(proof.getLong("entriesRepaired")).isGreaterThanOrEqualTo(lost.size());
      assertThat(proof.getInteger("attempts")).as("mismatching ranges compared again")
          .isGreaterThanOrEqualTo(2);
      for (Key key : lost) {
        for (CacheNode owner : AntiEntropyTest.owners(cluster, key.asString())) {
          ReplicaEntry held = owner.store().replicaOf(StoreKey.of(key.asString()));
          assertThat(held).as("%s on %s", key.asString(), owner.name()).isNotNull();
          assertThat(held.version()).isEqualTo(versions.get(key.asString()));
        }
      }
      AntiEntropyTest.assertHeldByOwners(cluster, versions);
    }
  }

  private static int status(HttpClient http, URI uri) {
    try {
      return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
