package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The routes behind the admin console, with auth on (2 nodes): the static files are open and
 * carry a Content-Security-Policy without inline script; the data it polls needs the token like
 * the rest of the API; token positions come as exact decimal strings; {@code /v1/cluster/stats}
 * holds every member's stats, the peer's asked over the peer connection.
 */
class ConsoleRoutesTest {

  private static final String TOKEN = "console-token";
  private static TestCluster cluster;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, s -> new CacheNode.Settings(s.cluster(),
        s.server().withSecurity(new AuthTokens(TOKEN, ""), NodeTls.off()),
        s.store(), s.replicationFactor(), s.tokens(), s.eventLoops())).start(2);
    base = "http://127.0.0.1:" + cluster.node(0).settings().server().httpPort();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void staticFiles_openWithoutToken_underAStrictPolicy() throws Exception {
    HttpResponse<String> page = get("/ui/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"console.js\" defer></script>")
        .doesNotContain("<script>").doesNotContain("style=");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'").contains("connect-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(get("/ui/console.js", null).statusCode()).isEqualTo(200);
    assertThat(get("/ui/console.css", null).statusCode()).isEqualTo(200);
    HttpResponse<String> bare = get("/ui", null);
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");
    assertThat(get("/ui/other.js", null).statusCode()).isEqualTo(401);
  }

  @Test
  void consoleData_needsTheToken() throws Exception {
    assertThat(get("/v1/topology?tokens=true", null).statusCode()).isEqualTo(401);
    assertThat(get("/v1/cluster/stats", null).statusCode()).isEqualTo(401);
  }

  @Test
  void topologyWithTokens_givesEveryPositionExactly() throws Exception {
    JsonObject topo = new JsonObject(get("/v1/topology?tokens=true", TOKEN).body());
    JsonObject read = topo.getJsonObject("rings").getJsonObject("read");
    assertThat(read.fieldNames()).containsExactlyInAnyOrder("node-0", "node-1");
    long[] want = cluster.node(0).topology().readRing().tokensOf("node-1");
    JsonArray got = read.getJsonArray("node-1");
    assertThat(got).hasSize(want.length);
    for (int i = 0; i < want.length; i++) {
      assertThat(got.getString(i)).isEqualTo(Long.toString(want[i]));
    }
    assertThat(topo.getJsonObject("rings").getJsonObject("write")).isEqualTo(read);
    assertThat(new JsonObject(get("/v1/topology", TOKEN).body()).containsKey("rings")).isFalse();
  }

  @Test
  void clusterStats_holdsEveryMember() throws Exception {
    JsonObject all = new JsonObject(get("/v1/cluster/stats", TOKEN).body());
    JsonObject nodes = all.getJsonObject("nodes");
    assertThat(nodes.fieldNames()).containsExactlyInAnyOrder("node-0", "node-1");
    for (String name : nodes.fieldNames()) {
      JsonObject st = nodes.getJsonObject(name);
      assertThat(st.getString("node")).as("stats of %s: %s", name, st).isEqualTo(name);
      JsonObject latency = st.getJsonObject("requests").getJsonObject("latency");
      assertThat(latency.getJsonArray("counts")).hasSize(
          latency.getJsonArray("boundsMicros").size() + 1);
    }
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }
}
