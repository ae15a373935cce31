package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client resends a write whose answer it lost, with the same write id, to whichever owner
 * coordinates the key by then. When a rebalance made that owner a holder of the key by range
 * transfer, it holds the write's effect but had no record of the write: it applied the resend
 * again, and an increment counted twice. The write log's outcomes for a range now travel with the
 * range, so the resend is answered with its first outcome wherever the key went.
 */
class WriteIdsMoveWithRangesTest {

  private static final int KEYS = 300;
  private static final long CLIENT = 0x5EED_0001L;

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
  void resendAfterAJoin_toTheJoinerAsCoordinator_isAnsweredNotCountedAgain() {
    try (TestCluster cluster = new TestCluster(2).start(2)) {
      incrementAll(cluster, 0, 1);
      CacheNode joiner = cluster.startNode();
      Topology t = cluster.awaitStable();

      assertThat(coordinatedBy(t, joiner.name()))
          .as("keys the joiner now coordinates, having received them by transfer")
          .isGreaterThan(KEYS / 10);
      assertResendsAnsweredOnce(cluster, 0);
    }
  }

  @Test
  void resendAfterACrash_toAnOwnerThatReceivedTheRange_isAnsweredNotCountedAgain() {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      incrementAll(cluster, 0, 1);
      cluster.crash(cluster.node(2));
      cluster.awaitStable();

      assertResendsAnsweredOnce(cluster, 0);
    }
  }

  private static int coordinatedBy(Topology t, String node) {
    int n = 0;
    for (int i = 0; i < KEYS; i++) {
      if (t.writeReplicas(key(i).position()).get(0).name().equals(node)) {
        n++;
      }
    }
    return n;
  }

  /** Every resend answers the counter its first attempt reached, and every counter stays 1. */
  private static void assertResendsAnsweredOnce(TestCluster cluster, int via) {
    List<Response> again = incrementAll(cluster, via, 1);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      Response r = again.get(i);
      if (!(r instanceof Response.Counter c) || c.value() != 1) {
        wrong.add(key(i).asString() + " answered " + r);
      }
    }
    List<Response> now = incrementAll(cluster, via, 0, WriteId.NONE);
    for (int i = 0; i < KEYS; i++) {
      if (now.get(i) instanceof Response.Counter c && c.value() != 1) {
        wrong.add(key(i).asString() + " holds " + c.value());
      }
    }
    assertThat(wrong).as("resent increments counted again").isEmpty();
  }

  private static List<Response> incrementAll(TestCluster cluster, int via, long delta) {
    return incrementAll(cluster, via, delta, null);
  }

  /** One increment per key through node {@code via}; write id i+1 of this test's client. */
  private static List<Response> incrementAll(TestCluster cluster, int via, long delta,
      WriteId fixed) {
    List<Response> answers = new ArrayList<>();
    try (RawClient c = RawClient.connect(vertx,
        cluster.node(via).settings().server().port())) {
      List<Future<Response>> pending = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        WriteId id = fixed != null ? fixed : new WriteId(CLIENT, i + 1);
        pending.add(c.send(new Request.Increment(key(i), delta, 0, id)));
      }
      for (int i = 0; i < KEYS; i++) {
        Response r = TestCluster.await(pending.get(i));
        assertThat(r.status()).as("increment of %s: %s", key(i).asString(), r).isEqualTo(Status.OK);
        answers.add(r);
      }
    }
    return answers;
  }

  private static Key key(int i) {
    return Key.of("moved-counter-" + i);
  }
}
