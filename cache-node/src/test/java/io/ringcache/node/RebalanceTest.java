package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.NodeStats;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data moves with ownership: joins, drains, crashes and a coordinator crash, with writes and
 * deletes racing a paused transfer. RF=2 throughout; waits are on topology conditions. The
 * paused-transfer tests also put a newer entry on the joiner alone ({@link #newerOnlyOn}), so the
 * transfer delivers an older one there: a receiver that ignored versions would fail them.
 */
class RebalanceTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  @Test
  void threeToFourToThree_everyKeyKeepsItsLatestValueOnExactlyItsOwners() {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      Map<String, Long> versions = write(cluster, "k-", 100_000, 1);

      cluster.startNode();
      cluster.awaitStable();
      assertHeldByOwnersOnly(cluster, versions, Set.of());
      readBack(cluster, versions, 2_000);
      // The joiner received its ranges many entries per frame (REPLICATE_BATCH), not one each.
      NodeStats joiner = cluster.node(3).stats();
      assertThat(joiner.replicaBatchesApplied.sum()).isPositive();
      assertThat(joiner.replicationsApplied.sum() / joiner.replicaBatchesApplied.sum())
          .as("mean entries per transfer frame").isGreaterThanOrEqualTo(64);

      cluster.drain(cluster.node(1));
      cluster.awaitStable();
      assertHeldByOwnersOnly(cluster, versions, Set.of());
      readBack(cluster, versions, 2_000);
    }
  }

  @Test
  void writesDuringTransfer_newestValuesWinOnEveryOwner() {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      write(cluster, "w-", 5_000, 1);
      Map<String, Long> older = write(cluster, "wj-", 2_000, 1);
      cluster.nodes().forEach(n -> n.transferGate().close());
      CacheNode joined = cluster.startNode();
      joined.transferGate().close();
      cluster.awaitPhase(Topology.Phase.TRANSFER);

      Map<String, Long> newer = write(cluster, "w-", 5_000, 2);
      Map<String, Long> newerOnJoiner = newerOnlyOn(joined, gainedBy(joined, older.keySet()),
          false);
      cluster.nodes().forEach(n -> n.transferGate().open());
      cluster.awaitStable();
      assertHeldByOwnersOnly(cluster, newer, Set.of());
      readBack(cluster, newer, 5_000);
      newerOnJoiner.forEach((key, version) -> {
        assertThat(version).as(key).isGreaterThan(older.get(key));
        assertThat(joined.store().replicaOf(StoreKey.of(key)).version()).as(key)
            .isEqualTo(version);
      });
    }
  }

  @Test
  void deletesDuringTransfer_stayDeleted() {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      Map<String, Long> versions = write(cluster, "d-", 4_000, 1);
      Map<String, Long> older = write(cluster, "dj-", 2_000, 1);
      cluster.nodes().forEach(n -> n.transferGate().close());
      CacheNode joined = cluster.startNode();
      joined.transferGate().close();
      cluster.awaitPhase(Topology.Phase.TRANSFER);

      Set<String> deleted = new HashSet<>();
      try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
        List<Future<Response>> pending = new ArrayList<>();
        for (int i = 0; i < 4_000; i += 2) {
          String key = "d-" + i;
          deleted.add(key);
          pending.add(c.send(new Request.Delete(Key.of(key))));
          if (pending.size() == 200) {
            pending.forEach(f -> assertThat(TestCluster.await(f).status()).isEqualTo(Status.OK));
            pending.clear();
          }
        }
        pending.forEach(f -> assertThat(TestCluster.await(f).status()).isEqualTo(Status.OK));
      }
      Map<String, Long> deletedOnJoiner = newerOnlyOn(joined, gainedBy(joined, older.keySet()),
          true);
      cluster.nodes().forEach(n -> n.transferGate().open());
      cluster.awaitStable();
      deletedOnJoiner.forEach((key, version) -> {
        ReplicaEntry held = joined.store().replicaOf(StoreKey.of(key));
        assertThat(held.tombstone()).as(key).isTrue();
        assertThat(held.version()).as(key).isEqualTo(version).isGreaterThan(older.get(key));
      });
      deleted.forEach(versions::remove);
      assertHeldByOwnersOnly(cluster, versions, deleted);
      try (RawClient c = RawClient.connect(vertx, cluster.node(2).settings().server().port())) {
        for (String key : deleted) {
          assertThat(c.call(new Request.Get(Key.of(key))).status()).as(key)
              .isEqualTo(Status.NOT_FOUND);
        }
      }
    }
  }

  @Test
  void crashWithoutDrain_losesNoKeyAndRestoresTheReplicationFactor() {
    try (TestCluster cluster = new TestCluster(2).start(4)) {
      Map<String, Long> versions = write(cluster, "c-", 20_000, 1);
      CacheNode victim = cluster.node(2);
      assertThat(victim.isCoordinator()).isFalse();
      cluster.crash(victim);
      Topology t = cluster.awaitStable();
      assertThat(t.readRing().contains(victim.name())).isFalse();
      assertHeldByOwnersOnly(cluster, versions, Set.of());
      readBack(cluster, versions, 2_000);
    }
  }

  @Test
  void coordinatorCrashMidRebalance_clusterReachesStableWithEveryKey() {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      Map<String, Long> versions = write(cluster, "cc-", 10_000, 1);
      CacheNode coordinator = cluster.nodes().stream().filter(CacheNode::isCoordinator)
          .findFirst().orElseThrow();
      cluster.nodes().forEach(n -> n.transferGate().close());
      CacheNode joined = cluster.startNode();
      joined.transferGate().close();
      cluster.awaitPhase(Topology.Phase.TRANSFER);

      cluster.crash(coordinator);
      cluster.nodes().forEach(n -> n.transferGate().open());
      Topology t = cluster.awaitStable();
      assertThat(t.readRing().contains(coordinator.name())).isFalse();
      assertThat(cluster.nodes().stream().filter(CacheNode::isCoordinator).count()).isEqualTo(1);
      assertHeldByOwnersOnly(cluster, versions, Set.of());
      readBack(cluster, versions, 2_000);
    }
  }

  @Test
  void crashThenRestartUnderTheSameName_losesNoKey() {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      Map<String, Long> versions = write(cluster, "r-", 6_000, 1);
      CacheNode victim = cluster.node(2);
      String name = victim.name();
      cluster.crash(victim);
      // Back under the same name with an empty store, possibly before the old incarnation is
      // declared dead: it must not be trusted as an owner of the old data.
      cluster.startNode(name);
      Topology t = cluster.awaitStable();
      assertThat(t.readRing().contains(name)).isTrue();
      assertHeldByOwnersOnly(cluster, versions, Set.of());
      readBack(cluster, versions, 3_000);
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Writes a newer entry (value or tombstone) of each of {@code keys} straight onto {@code node},
   * as a peer on its epoch, and returns each key's version: a write that reached a new owner but
   * not the transfer's source, which still holds and sends the older entry. The source re-reads
   * each entry as it sends it, so a newer write made through a client would travel with the
   * transfer itself and a receiver that ignored versions would pass; this fault sits below that
   * re-read, where only the receiver's merge by version keeps the newer entry.
   */
  private static Map<String, Long> newerOnlyOn(CacheNode node, List<String> keys,
      boolean tombstone) {
    assertThat(keys).as("keys %s gains", node.name()).hasSizeGreaterThan(100);
    HybridClock clock = HybridClock.forNode("newer-writer",
        () -> System.currentTimeMillis() + 100);
    Map<String, Future<Response>> answers = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    try (RawClient c = RawClient.connect(vertx, node.settings().server().port())) {
      assertThat(c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
          node.peerSecret().bytes())).status()).isEqualTo(Status.OK);
      long epoch = node.topology().epoch();
      for (String key : keys) {
        long version = clock.next();
        versions.put(key, version);
        answers.put(key, c.send(new Request.Replicate(Key.of(key), version, -1, tombstone,
            Buffer.buffer(tombstone ? "" : "newer-" + key)), 0, epoch));
      }
      answers.forEach((key, answer) ->
          assertThat(TestCluster.await(answer).status()).as(key).isEqualTo(Status.OK));
    }
    return versions;
  }

  /** Those of {@code keys} that {@code joiner} gains in the TRANSFER topology it installed. */
  private static List<String> gainedBy(CacheNode joiner, Set<String> keys) {
    Topology t = joiner.topology();
    assertThat(t.phase()).isEqualTo(Topology.Phase.TRANSFER);
    return keys.stream().filter(k -> {
      long p = Key.of(k).position();
      return t.writeReplicas(p).stream().anyMatch(m -> m.name().equals(joiner.name()))
          && t.readReplicas(p).stream().noneMatch(m -> m.name().equals(joiner.name()));
    }).toList();
  }

  /** Writes {@code count} keys through node-0 and returns each key's acknowledged version. */
  private static Map<String, Long> write(TestCluster cluster, String prefix, int count,
      int generation) {
    Map<String, Long> versions = new HashMap<>();
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      List<String> keys = new ArrayList<>();
      List<Future<Response>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String key = prefix + i;
        keys.add(key);
        pending.add(c.send(new Request.Set(Key.of(key), Buffer.buffer("g" + generation + "-" + i),
            0, SetMode.ALWAYS)));
        if (pending.size() == 500 || i == count - 1) {
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

  /**
   * Every live key sits with its acknowledged version on exactly its ring owners, deleted keys
   * read as absent everywhere, and no node keeps entries it does not own (checked by count once
   * the post-STABLE drop has run).
   */
  private static void assertHeldByOwnersOnly(TestCluster cluster, Map<String, Long> versions,
      Set<String> deleted) {
    Topology t = cluster.node(0).topology();
    Map<String, CacheNode> byName = new HashMap<>();
    cluster.nodes().forEach(n -> byName.put(n.name(), n));
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      List<String> owners = t.readReplicas(Key.of(e.getKey()).position()).stream()
          .map(Member::name).toList();
      assertThat(owners).hasSize(2);
      for (String owner : owners) {
        StoreResult held = byName.get(owner).store().get(StoreKey.of(e.getKey()));
        assertThat(held.ok()).as("%s on owner %s", e.getKey(), owner).isTrue();
        assertThat(held.version()).as("%s on owner %s", e.getKey(), owner)
            .isEqualTo(e.getValue());
      }
    }
    for (String key : deleted) {
      for (CacheNode n : cluster.nodes()) {
        assertThat(n.store().get(StoreKey.of(key)).ok()).as("%s on %s", key, n.name()).isFalse();
      }
    }
    long expectedLive = versions.size() * 2L;
    Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
      long live = 0;
      for (CacheNode n : cluster.nodes()) {
        for (String key : versions.keySet()) {
          if (n.store().get(StoreKey.of(key)).ok()) {
            live++;
          }
        }
      }
      assertThat(live).as("copies of live keys across nodes").isEqualTo(expectedLive);
    });
  }

  /** Reads {@code samples} random keys through random nodes: each has its latest version. */
  private static void readBack(TestCluster cluster, Map<String, Long> versions, int samples) {
    List<String> keys = new ArrayList<>(versions.keySet());
    SplittableRandom random = new SplittableRandom(samples);
    for (CacheNode n : cluster.nodes()) {
      try (RawClient c = RawClient.connect(vertx, n.settings().server().port())) {
        for (int i = 0; i < samples / cluster.nodes().size(); i++) {
          String key = keys.get(random.nextInt(keys.size()));
          Response r = c.call(new Request.Get(Key.of(key)));
          assertThat(r).as("read of %s through %s", key, n.name())
              .isInstanceOf(Response.Value.class);
          assertThat(((Response.Value) r).version()).isEqualTo(versions.get(key));
        }
      }
    }
  }
}
