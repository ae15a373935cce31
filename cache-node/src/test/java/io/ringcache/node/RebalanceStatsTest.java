package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Topology;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md, "rebalance progress": the {@code rebalance} block of each member's {@code
 * GET /v1/stats} shows its outgoing transfer of the current or last rebalance. During a join held
 * at the transfer gates: the TRANSFER phase and epoch, entries planned and none sent; after it:
 * STABLE, every range done, every planned entry sent, bytes, no error, and the entries the old
 * owners dropped once they no longer own them. At RF=1 every entry the joiner holds came by
 * transfer, so the sources' counts must add up to exactly its store.
 */
class RebalanceStatsTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  private static JsonObject rebalanceOf(CacheNode node) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + node.settings().server().httpPort() + "/v1/stats")).GET()
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("rebalance");
  }

  private static long sum(List<JsonObject> blocks, String field) {
    return blocks.stream().mapToLong(b -> b.getLong(field)).sum();
  }

  @Test
  void join_rebalanceBlock_showsPlannedThenSentAndDropped() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(1).start(2)) {
      AntiEntropyTest.write(vertx, cluster, "stats-", 2_000, 100);
      List<CacheNode> sources = List.copyOf(cluster.nodes());
      sources.forEach(n -> n.transferGate().close());
      CacheNode joiner = cluster.startNode();
      cluster.awaitPhase(Topology.Phase.TRANSFER);
      long transferEpoch = joiner.topology().epoch();

      Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .until(() -> sum(blocksOf(sources), "outgoingEntries") > 0);
      for (JsonObject b : blocksOf(sources)) {
        assertThat(b.getString("phase")).isEqualTo("TRANSFER");
        assertThat(b.getLong("epoch")).isEqualTo(transferEpoch);
        assertThat(b.getLong("outgoingEntriesSent")).isZero();
        assertThat(b.getInteger("outgoingRangesDone")).isZero();
      }

      sources.forEach(n -> n.transferGate().open());
      Topology stable = cluster.awaitStable();
      long received = joiner.store().size();
      assertThat(received).isPositive();
      Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .until(() -> sum(blocksOf(sources), "entriesDroppedAfterStable") == received);
      List<JsonObject> after = blocksOf(sources);
      for (JsonObject b : after) {
        assertThat(b.getString("phase")).isEqualTo("STABLE");
        assertThat(b.getLong("epoch")).isEqualTo(stable.epoch());
        assertThat(b.getInteger("outgoingRangesDone")).isEqualTo(b.getInteger("outgoingRanges"));
        assertThat(b.getLong("outgoingEntriesSent")).isEqualTo(b.getLong("outgoingEntries"));
        assertThat(b.getString("lastError")).isEmpty();
      }
      assertThat(sum(after, "outgoingEntriesSent")).isEqualTo(received);
      assertThat(sum(after, "outgoingBytesSent")).isGreaterThan(received);
      assertThat(rebalanceOf(joiner).getLong("outgoingEntries")).isZero();
    } finally {
      TestCluster.await(vertx.close());
    }
  }

  private static List<JsonObject> blocksOf(List<CacheNode> nodes) throws Exception {
    List<JsonObject> blocks = new ArrayList<>();
    for (CacheNode n : nodes) {
      blocks.add(rebalanceOf(n));
    }
    return blocks;
  }
}
