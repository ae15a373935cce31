package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Topology;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a Kubernetes probe sees: a joining node is live but not ready until it holds its ranges,
 * and a draining node turns not ready at once while it keeps answering.
 */
class ReadinessTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readiness_followsJoinAndDrain() throws Exception {
    try (TestCluster cluster = new TestCluster(2).start(2)) {
      // Data to move, else a transfer has nothing to hold back.
      for (int i = 0; i < 300; i++) {
        URI uri = URI.create("http://127.0.0.1:" + cluster.node(0).settings().server().httpPort()
            + "/v1/keys/r-" + i);
        assertThat(http.send(HttpRequest.newBuilder(uri)
            .PUT(HttpRequest.BodyPublishers.ofString("v" + i)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      }
      cluster.nodes().forEach(n -> n.transferGate().close());
      CacheNode joining = cluster.startNode();
      joining.transferGate().close();
      cluster.awaitPhase(Topology.Phase.TRANSFER);

      assertThat(get(joining, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> notYet = get(joining, "/health/ready");
      assertThat(notYet.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(notYet.body()).getBoolean("draining")).isFalse();
      assertThat(get(cluster.node(0), "/health/ready").statusCode()).isEqualTo(200);

      cluster.nodes().forEach(n -> n.transferGate().open());
      cluster.awaitStable();
      assertThat(get(joining, "/health/ready").statusCode()).isEqualTo(200);

      cluster.nodes().forEach(n -> n.transferGate().close());
      Future<Boolean> drained = joining.drain(Duration.ofSeconds(30));
      cluster.awaitPhase(Topology.Phase.TRANSFER);
      HttpResponse<String> draining = get(joining, "/health/ready");
      assertThat(draining.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(draining.body()).getBoolean("draining")).isTrue();
      assertThat(get(joining, "/health/live").statusCode()).isEqualTo(200);

      cluster.nodes().forEach(n -> n.transferGate().open());
      assertThat(TestCluster.await(drained)).isTrue();
      cluster.stop(joining);
    }
  }

  private HttpResponse<String> get(CacheNode node, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + node.settings().server().httpPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
