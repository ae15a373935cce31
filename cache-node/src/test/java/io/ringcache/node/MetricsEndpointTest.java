package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.metrics.Scrape;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} on two nodes (RF=1, auth on) after real traffic: cache meters, request
 * timers, forwarding, topology and connections, read the way Prometheus reads them. Counts are
 * compared before and after each test's own traffic, so the tests do not depend on each other.
 */
class MetricsEndpointTest {

  private static final String TOKEN = "metrics-test-token";
  private static TestCluster cluster;
  private static Vertx vertx;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        new ServerSettings(s.server().nodeName(), s.server().host(), s.server().port(),
            s.server().httpPort(), true, false, 1000, 64, 2000, TOKEN, ProtocolLimits.defaults()),
        s.store(), 1, s.tokens(), s.eventLoops())).start(2);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    TestCluster.await(vertx.close());
  }

  private static RawClient connect(CacheNode node) {
    RawClient c = RawClient.connect(vertx, node.settings().server().port());
    assertThat(c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, TOKEN, "metrics-test"))
        .status()).isEqualTo(Status.OK);
    return c;
  }

  private static HttpResponse<String> get(CacheNode node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + node.settings().server().httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Scrape scrape(CacheNode node) throws Exception {
    HttpResponse<String> res = get(node, "/metrics");
    assertThat(res.statusCode()).isEqualTo(200);
    return new Scrape(res.body());
  }

  /** A fresh key whose owner (RF=1: its only replica) is {@code owner}. */
  private static String keyOwnedBy(CacheNode owner, String prefix) {
    while (true) {
      String k = prefix + "-" + UUID.randomUUID();
      if (owner.topology().readReplicas(Key.of(k).position()).get(0).name()
          .equals(owner.name())) {
        return k;
      }
    }
  }

  private static Buffer bytes(String s) {
    return Buffer.buffer(s);
  }

  @Test
  void metrics_afterSetHitMissDelete_countedByResultOpAndStatus() throws Exception {
    CacheNode node = cluster.node(0);
    String k = keyOwnedBy(node, "metric-key");
    String absent = keyOwnedBy(node, "metric-absent");
    Scrape before = scrape(node);
    try (RawClient c = connect(node)) {
      assertThat(c.call(new Request.Set(Key.of(k), bytes("metric-value-5e2b"), 0,
          SetMode.ALWAYS))).isInstanceOf(Response.Stored.class);
      assertThat(c.call(new Request.Get(Key.of(k)))).isInstanceOf(Response.Value.class);
      assertThat(c.call(new Request.Get(Key.of(absent))).status()).isEqualTo(Status.NOT_FOUND);
      assertThat(c.call(new Request.Delete(Key.of(k)))).isInstanceOf(Response.Ok.class);

      Scrape after = scrape(node);
      assertThat(delta(before, after, "cache_gets_total", "cache", "ringcache", "result", "hit"))
          .isEqualTo(1.0);
      assertThat(delta(before, after, "cache_gets_total", "cache", "ringcache", "result", "miss"))
          .isEqualTo(1.0);
      assertThat(delta(before, after, "cache_puts_total", "cache", "ringcache")).isEqualTo(1.0);
      assertThat(delta(before, after, "ringcache_store_deletes_total")).isEqualTo(1.0);
      assertThat(delta(before, after, "ringcache_requests_seconds_count",
          "op", "get", "status", "ok")).isEqualTo(1.0);
      assertThat(delta(before, after, "ringcache_requests_seconds_count",
          "op", "get", "status", "not_found")).isEqualTo(1.0);
      assertThat(delta(before, after, "ringcache_requests_seconds_count",
          "op", "set", "status", "ok")).isEqualTo(1.0);
      assertThat(delta(before, after, "ringcache_requests_seconds_count",
          "op", "delete", "status", "ok")).isEqualTo(1.0);
      assertThat(after.get("ringcache_connections_open")).as("this client's connection")
          .isGreaterThanOrEqualTo(1.0);
      assertThat(after.get("ringcache_topology_epoch"))
          .isEqualTo((double) node.topology().epoch()).isPositive();
      assertThat(after.get("ringcache_members", "state", "up")).isEqualTo(2.0);
      assertThat(after.get("ringcache_rebalance_phase", "phase", "stable")).isEqualTo(1.0);
      assertThat(after.text()).doesNotContain(k).doesNotContain(absent)
          .doesNotContain("metric-value-5e2b");
    }
  }

  @Test
  void forward_toOtherOwner_countedSentHereAndReceivedThere() throws Exception {
    CacheNode entry = cluster.node(0);
    CacheNode owner = cluster.node(1);
    String k = keyOwnedBy(owner, "forwarded-key");
    Scrape entryBefore = scrape(entry);
    Scrape ownerBefore = scrape(owner);
    try (RawClient c = connect(entry)) {
      assertThat(c.call(new Request.Set(Key.of(k), bytes("v"), 0, SetMode.ALWAYS)).status())
          .isEqualTo(Status.OK);
    }
    Scrape entryAfter = scrape(entry);
    Scrape ownerAfter = scrape(owner);
    assertThat(delta(entryBefore, entryAfter, "ringcache_forwards_total", "direction", "sent"))
        .isEqualTo(1.0);
    assertThat(delta(ownerBefore, ownerAfter, "ringcache_forwards_total",
        "direction", "received")).isEqualTo(1.0);
    assertThat(delta(ownerBefore, ownerAfter, "cache_puts_total")).isEqualTo(1.0);
    assertThat(delta(entryBefore, entryAfter, "cache_puts_total")).isZero();
    assertThat(entryAfter.text()).doesNotContain(k);
    assertThat(ownerAfter.text()).doesNotContain(k);
  }

  @Test
  void metrics_withAuthOn_openLikeHealth_whileStatsNeedToken() throws Exception {
    CacheNode node = cluster.node(0);
    HttpResponse<String> metrics = get(node, "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).contains("# TYPE cache_gets_total counter",
        "# TYPE ringcache_requests_seconds histogram", "jvm_memory_used_bytes");
    assertThat(get(node, "/v1/stats").statusCode()).isEqualTo(401);
  }

  private static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.get(name, labels) - before.value(name, labels).orElse(0);
  }
}
