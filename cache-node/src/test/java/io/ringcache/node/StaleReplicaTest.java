package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.HybridClock;
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
import io.ringcache.ring.Member;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write a replica discards is never acknowledged (issue 11): when a replica already holds a
 * version of the key above the one the coordinating owner stamped (here: an entry from a peer
 * whose clock runs 450 ms ahead, within max-clock-offset), the replica answers STALE with the
 * version it holds, and the coordinating owner re-stamps the same write above it and replicates
 * again, so an acknowledged write is what every owner holds.
 */
class StaleReplicaTest {

  /**
   * Ahead of every node's clock, but inside the default max-clock-offset of 500 ms; far enough
   * ahead that the coordinator's clock is still behind when the client's write arrives.
   */
  private static final long AHEAD_MILLIS = 450;

  private static TestCluster cluster;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(3).start(3);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    TestCluster.await(vertx.close());
  }

  private static List<CacheNode> owners(String key) {
    return cluster.node(0).topology().writeReplicas(Key.of(key).position()).stream()
        .map(Member::name).map(cluster::node).toList();
  }

  /** A version from a clock {@link #AHEAD_MILLIS} ahead of this process's wall clock. */
  private static long aheadVersion() {
    return HybridClock.forNode("fast-peer", () -> System.currentTimeMillis() + AHEAD_MILLIS)
        .next();
  }

  /**
   * Applies {@code value} directly on {@code replica}, as a peer whose clock runs ahead would;
   * returns the version it was applied at.
   */
  private static long plant(CacheNode replica, String key, String value) {
    try (RawClient peer = RawClient.connect(vertx, replica.settings().server().port())) {
      assertThat(peer.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
          replica.peerSecret().bytes())).status()).as("peer HELLO").isEqualTo(Status.OK);
      long version = aheadVersion();
      Response r = TestCluster.await(peer.send(new Request.Replicate(Key.of(key), version, -1,
          false, Buffer.buffer(value)), 0, replica.topology().epoch()));
      assertThat(r.status()).as("planted entry on %s", replica.name()).isEqualTo(Status.OK);
      return version;
    }
  }

  /**
   * A first write of {@code key} on this connection, so the coordinator's peer connections are
   * open and the write under test follows the planted entry closely.
   */
  private static void warmUp(RawClient c, String key) {
    assertThat(c.call(new Request.Set(Key.of(key), Buffer.buffer("warm-up"), 0, SetMode.ALWAYS))
        .status()).isEqualTo(Status.OK);
  }

  private static String valueOn(CacheNode node, String key) {
    StoreResult res = node.store().get(StoreKey.of(key));
    assertThat(res.ok()).as("%s holds %s", node.name(), key).isTrue();
    return new String(res.value(), StandardCharsets.UTF_8);
  }

  private static long versionOn(CacheNode node, String key) {
    return node.store().get(StoreKey.of(key)).version();
  }

  @Test
  void set_replicaHoldsHigherVersion_acknowledgedValueIsOnEveryOwner() {
    String key = "stale-set";
    List<CacheNode> owners = owners(key);
    CacheNode coordinator = owners.get(0);
    long restampsBefore = coordinator.stats().restamps.sum();
    long planted;

    Response r;
    try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port())) {
      warmUp(c, key);
      planted = plant(owners.get(1), key, "older-but-higher");
      r = c.call(new Request.Set(Key.of(key), Buffer.buffer("acknowledged"), 0,
          SetMode.ALWAYS));
    }

    assertThat(r).isInstanceOf(Response.Stored.class);
    long version = ((Response.Stored) r).version();
    assertThat(version).as("the answered version orders after the planted one")
        .isGreaterThan(planted);
    for (CacheNode owner : owners) {
      assertThat(valueOn(owner, key)).as(owner.name()).isEqualTo("acknowledged");
      assertThat(versionOn(owner, key)).as(owner.name()).isEqualTo(version);
    }
    try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port())) {
      assertThat(c.call(new Request.Cas(Key.of(key), version, Buffer.buffer("next"), 0)))
          .as("a CAS on the answered version").isInstanceOf(Response.Stored.class);
    }
    assertThat(owners.get(1).stats().staleReplicas.sum()).isPositive();
    assertThat(coordinator.stats().restamps.sum()).isGreaterThan(restampsBefore);
  }

  @Test
  void increment_replicaHoldsHigherVersion_counterCountsOnceAndIsOnEveryOwner() {
    String key = "stale-counter";
    List<CacheNode> owners = owners(key);
    CacheNode coordinator = owners.get(0);
    long restampsBefore = coordinator.stats().restamps.sum();
    Response first;
    Response second;
    try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port())) {
      first = c.call(new Request.Increment(Key.of(key), 5, 0));
      assertThat(first).isInstanceOf(Response.Counter.class);
      plant(owners.get(2), key, "1000");

      second = c.call(new Request.Increment(Key.of(key), 1, 0));
    }

    assertThat(second).isInstanceOf(Response.Counter.class);
    Response.Counter counter = (Response.Counter) second;
    assertThat(counter.value()).as("the coordinator's count, incremented once").isEqualTo(6);
    for (CacheNode owner : owners) {
      assertThat(valueOn(owner, key)).as(owner.name()).isEqualTo("6");
      assertThat(versionOn(owner, key)).as(owner.name()).isEqualTo(counter.version());
    }
    assertThat(coordinator.stats().restamps.sum()).isGreaterThan(restampsBefore);
  }

  @Test
  void delete_replicaHoldsHigherVersion_keyIsGoneFromEveryOwner() {
    String key = "stale-delete";
    List<CacheNode> owners = owners(key);
    CacheNode coordinator = owners.get(0);
    long restampsBefore = coordinator.stats().restamps.sum();
    Response r;
    try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port())) {
      assertThat(c.call(new Request.Set(Key.of(key), Buffer.buffer("v"), 0, SetMode.ALWAYS))
          .status()).isEqualTo(Status.OK);
      plant(owners.get(1), key, "resurrected");

      r = c.call(new Request.Delete(Key.of(key)));
    }

    assertThat(r.status()).isEqualTo(Status.OK);
    for (CacheNode owner : owners) {
      assertThat(owner.store().get(StoreKey.of(key)).status()).as(owner.name())
          .isEqualTo(io.ringcache.node.store.StoreStatus.NOT_FOUND);
    }
    assertThat(coordinator.stats().restamps.sum()).isGreaterThan(restampsBefore);
  }

  @Test
  void multiSet_replicaHoldsHigherVersion_eachAcknowledgedValueIsOnEveryOwner() {
    String key = "stale-multi";
    List<CacheNode> owners = owners(key);
    CacheNode coordinator = owners.get(0);
    long restampsBefore = coordinator.stats().restamps.sum();

    Response r;
    try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port())) {
      warmUp(c, key);
      plant(owners.get(1), key, "older-but-higher");
      r = c.call(new Request.MultiSet(List.of(
          new Request.MultiSet.Entry(Key.of(key), Buffer.buffer("acknowledged"), 0))));
    }

    assertThat(r).isInstanceOf(Response.StoredAll.class);
    Response.StoredAll.Entry e = ((Response.StoredAll) r).entries().get(0);
    assertThat(e.status()).isEqualTo(Status.OK);
    for (CacheNode owner : owners) {
      assertThat(valueOn(owner, key)).as(owner.name()).isEqualTo("acknowledged");
      assertThat(versionOn(owner, key)).as(owner.name()).isEqualTo(e.version());
    }
    assertThat(coordinator.stats().restamps.sum()).isGreaterThan(restampsBefore);
  }

  /**
   * Without any clock skew, replicas see concurrent writes of one coordinator in any order and
   * answer STALE to the older ones; a write a later local write already replaced is not
   * re-stamped over it, so no increment is lost and none fails.
   */
  @Test
  void concurrentIncrements_oneCoordinator_everyOneCountedOnEveryOwner() {
    String key = "hot-counter";
    List<CacheNode> owners = owners(key);
    CacheNode coordinator = owners.get(0);
    int connections = 4;
    int perConnection = 200;
    List<RawClient> clients = new java.util.ArrayList<>();
    List<io.vertx.core.Future<Response>> answers = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        clients.add(RawClient.connect(vertx, coordinator.settings().server().port()));
      }
      for (int n = 0; n < perConnection; n++) {
        for (RawClient c : clients) {
          answers.add(c.send(new Request.Increment(Key.of(key), 1, 0)));
        }
      }
      for (io.vertx.core.Future<Response> a : answers) {
        assertThat(TestCluster.await(a)).isInstanceOf(Response.Counter.class);
      }
    } finally {
      clients.forEach(RawClient::close);
    }

    String total = Integer.toString(connections * perConnection);
    for (CacheNode owner : owners) {
      assertThat(valueOn(owner, key)).as(owner.name()).isEqualTo(total);
    }
  }
}
