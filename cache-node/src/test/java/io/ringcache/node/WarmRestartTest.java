package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.snapshot.SnapshotFile;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.ring.Ring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole cluster stopped gracefully comes back with its data: three nodes at RF 2 hold 100,000
 * keys (values without TTL, values with a long TTL, values with a TTL that runs out while the
 * cluster is down, deleted keys), all three stop as on SIGTERM ({@link NodeMain#drainAndLeave},
 * at once, so nobody is left to hand data to and each writes its share), and start again in
 * another order, so the ring is rebuilt differently and many keys have new owners. Every key
 * then reads back at its version, a long TTL counts down from its original deadline, expired
 * keys stay gone and deleted ones are tombstones. Then the cluster stops again, one snapshot is
 * damaged, and after the next start that node reports it and loads nothing of it, while every
 * key still reads back from the other replica's snapshot.
 *
 * <p>Periodic anti-entropy is off and every store starts empty, so the snapshots' replay is the
 * only way any key can come back.
 */
class WarmRestartTest {

  private static final int KEYS = 100_000;
  private static final long LONG_TTL = 600_000;
  private static final long SHORT_TTL = 8_000;
  private static final int WINDOW = 500;
  /**
   * Slack on a remaining TTL, for millisecond rounding at each hop and for the wall clock
   * (snapshot deadlines) running at another rate than the monotonic one (store deadlines) while
   * NTP slews it. Small against what it must catch: a deadline restarted at load or replay would
   * be off by at least the {@link #SHORT_TTL} the cluster stays down.
   */
  private static final long TTL_SLACK = 1_000;

  private static Vertx vertx;

  @TempDir Path data;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  @Test
  void wholeClusterRestart_everyKeyReadsBackWithItsTtl_evenWithOneSnapshotCorrupted()
      throws Exception {
    try (TestCluster cluster = new TestCluster(2, s -> s
        .withAntiEntropy(Duration.ZERO, 0)
        .withDataDir(data.resolve(s.server().nodeName())))) {
      cluster.start(3);
      long writesBegan = System.currentTimeMillis();
      Map<String, Long> versions = writeAll(cluster);
      long longDeadlineAtMost = System.currentTimeMillis() + LONG_TTL;
      long longDeadlineAtLeast = writesBegan + LONG_TTL;
      Map<String, Long> shortLived = writeShortLived(cluster);
      long shortDeadline = System.currentTimeMillis() + SHORT_TTL;
      Ring before = cluster.node(0).topology().readRing();

      List<JsonObject> written = stopAll(cluster);
      assertThat(written).allSatisfy(w -> assertThat(w.getLong("entries")).isPositive());
      long snapshotted = written.stream().mapToLong(w -> w.getLong("entries")).sum();
      assertThat(snapshotted).as("entries in the three snapshots (RF 2)")
          .isGreaterThanOrEqualTo(2L * KEYS);
      // The short TTL runs out while the cluster is down: a deadline reset at load would show.
      Awaitility.await().atMost(SHORT_TTL + 30_000, TimeUnit.MILLISECONDS)
          .until(() -> System.currentTimeMillis() > shortDeadline);

      restart(cluster, "node-2", "node-0", "node-1");
      assertThat(cluster.node(0).topology().readRing())
          .as("the restarted ring differs, so keys moved to other owners").isNotEqualTo(before);
      for (CacheNode n : cluster.nodes()) {
        assertThat(n.warmRestart().json().getJsonObject("replay").getString("state"))
            .isEqualTo("done");
      }
      readBack(cluster, versions, longDeadlineAtLeast, longDeadlineAtMost, true);
      assertGone(cluster, shortLived.keySet());

      stopAll(cluster);
      Path damaged = data.resolve("node-1").resolve(SnapshotFile.FILE_NAME);
      byte[] bytes = Files.readAllBytes(damaged);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(damaged, bytes);

      restart(cluster, "node-1", "node-2", "node-0");
      JsonObject report = cluster.node("node-1").warmRestart().json();
      assertThat(report.getString("corrupt")).contains("checksum does not match");
      assertThat(report.containsKey("loaded")).as("nothing of the damaged file loaded").isFalse();
      assertThat(report.getJsonObject("replay").getString("state")).isEqualTo("none");
      assertThat(data.resolve("node-1").resolve(SnapshotFile.CORRUPT_NAME)).exists();
      // The deletes' tombstones (60 s) may have run out by now; the keys must stay absent.
      readBack(cluster, versions, longDeadlineAtLeast, longDeadlineAtMost, false);
    }
  }

  /** Writes {@link #KEYS} keys through node 0; a tenth with a long TTL, a tenth deleted after. */
  private static Map<String, Long> writeAll(TestCluster cluster) {
    Map<String, Long> versions = new HashMap<>();
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      List<Request> requests = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        String key = "k-" + i;
        keys.add(key);
        requests.add(new Request.Set(Key.of(key), Buffer.buffer("v-" + i),
            i % 10 == 1 ? LONG_TTL : 0, SetMode.ALWAYS));
      }
      List<Response> answers = sendAll(c, requests);
      List<Request> deletes = new ArrayList<>();
      List<String> deleted = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        assertThat(answers.get(i).status()).as("write of %s", keys.get(i)).isEqualTo(Status.OK);
        versions.put(keys.get(i), ((Response.Stored) answers.get(i)).version());
        if (i % 10 == 2) {
          deletes.add(new Request.Delete(Key.of(keys.get(i))));
          deleted.add(keys.get(i));
        }
      }
      List<Response> deleteAnswers = sendAll(c, deletes);
      for (int i = 0; i < deleted.size(); i++) {
        assertThat(deleteAnswers.get(i).status()).isEqualTo(Status.OK);
        versions.put(deleted.get(i), -1L);
      }
    }
    return versions;
  }

  private static Map<String, Long> writeShortLived(TestCluster cluster) {
    Map<String, Long> versions = new HashMap<>();
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      List<Request> requests = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        requests.add(new Request.Set(Key.of("short-" + i), Buffer.buffer("s"), SHORT_TTL,
            SetMode.ALWAYS));
      }
      List<Response> answers = sendAll(c, requests);
      for (int i = 0; i < answers.size(); i++) {
        versions.put("short-" + i, ((Response.Stored) answers.get(i)).version());
      }
    }
    return versions;
  }

  /**
   * Stops every node as SIGTERM does (drain, snapshot, leave), all at once; returns their
   * snapshots' reports.
   */
  private static List<JsonObject> stopAll(TestCluster cluster) throws Exception {
    List<CompletableFuture<Integer>> exits = new ArrayList<>();
    // A thread per node, each blocking as each process's shutdown hook does. Not the common pool:
    // it has cores - 1 threads, and on a 3-core machine the third node would stop after the
    // others instead of at once.
    ExecutorService threads = Executors.newFixedThreadPool(cluster.nodes().size());
    for (CacheNode n : cluster.nodes()) {
      exits.add(CompletableFuture.supplyAsync(
          () -> NodeMain.drainAndLeave(n, Duration.ofSeconds(TestCluster.TIMEOUT_SECONDS)),
          threads));
    }
    threads.shutdown();
    List<JsonObject> written = new ArrayList<>();
    for (int i = 0; i < exits.size(); i++) {
      CacheNode n = cluster.nodes().get(i);
      assertThat(exits.get(i).get(TestCluster.TIMEOUT_SECONDS * 2, TimeUnit.SECONDS))
          .as("exit code of %s", n.name()).isZero();
      written.add(n.warmRestart().json().getJsonObject("written"));
    }
    // Closed by drainAndLeave: the cluster must not close them again.
    cluster.nodes().clear();
    return written;
  }

  /** Starts the named nodes in this order and waits until every replay is done. */
  private static void restart(TestCluster cluster, String... names) {
    for (String name : names) {
      cluster.startNode(name);
    }
    cluster.awaitStable();
    Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.nodes().stream().noneMatch(n -> n.warmRestart().replayPending()));
  }

  /**
   * Every key reads back through node 0 at the version it was written with; a long TTL counts
   * down from the original deadline; a deleted key is absent and, with {@code tombstones}, held
   * as a tombstone by an owner.
   */
  private static void readBack(TestCluster cluster, Map<String, Long> versions,
      long deadlineAtLeast, long deadlineAtMost, boolean tombstones) {
    List<String> keys = new ArrayList<>(versions.keySet());
    List<Request> gets = new ArrayList<>();
    for (String key : keys) {
      gets.add(new Request.Get(Key.of(key)));
    }
    long readsBegan = System.currentTimeMillis();
    List<Response> answers;
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      answers = sendAll(c, gets);
    }
    long readsEnded = System.currentTimeMillis();
    int withTtl = 0;
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      long version = versions.get(key);
      Response r = answers.get(i);
      if (version < 0) {
        assertThat(r.status()).as("deleted %s", key).isEqualTo(Status.NOT_FOUND);
        continue;
      }
      assertThat(r.status()).as("read of %s", key).isEqualTo(Status.OK);
      Response.Value v = (Response.Value) r;
      assertThat(v.version()).as("version of %s", key).isEqualTo(version);
      assertThat(v.value().toString()).isEqualTo("v-" + key.substring(2));
      int index = Integer.parseInt(key.substring(2));
      if (index % 10 == 1) {
        withTtl++;
        assertThat(v.ttlMillis()).as("remaining TTL of %s", key).isBetween(
            deadlineAtLeast - readsEnded - TTL_SLACK, deadlineAtMost - readsBegan + TTL_SLACK);
      } else {
        assertThat(v.ttlMillis()).as("%s has no TTL", key).isEqualTo(-1);
      }
    }
    assertThat(withTtl).isEqualTo(KEYS / 10);
    if (!tombstones) {
      return;
    }
    for (String key : keys) {
      if (versions.get(key) < 0) {
        assertThat(cluster.nodes().stream().map(n -> n.store().replicaOf(StoreKey.of(key)))
            .filter(e -> e != null).toList())
            .as("copies of deleted %s", key)
            .isNotEmpty().allMatch(ReplicaEntry::tombstone);
      }
    }
  }

  private static void assertGone(TestCluster cluster, java.util.Set<String> keys) {
    List<Request> gets = new ArrayList<>();
    for (String key : keys) {
      gets.add(new Request.Get(Key.of(key)));
    }
    try (RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      assertThat(sendAll(c, gets)).extracting(Response::status).containsOnly(Status.NOT_FOUND);
    }
  }

  /** Sends {@code requests} with at most {@link #WINDOW} in flight; answers in request order. */
  private static List<Response> sendAll(RawClient c, List<Request> requests) {
    List<Response> answers = new ArrayList<>(requests.size());
    List<Future<Response>> pending = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      pending.add(c.send(requests.get(i)));
      if (pending.size() == WINDOW || i == requests.size() - 1) {
        for (Future<Response> f : pending) {
          answers.add(TestCluster.await(f));
        }
        pending.clear();
      }
    }
    return answers;
  }
}
