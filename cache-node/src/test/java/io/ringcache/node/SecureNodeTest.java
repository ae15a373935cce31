package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCertificates;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node with both auth tokens and TLS on: who gets in, over which transport, and that a
 * refused connection leaves the node serving everyone else.
 */
class SecureNodeTest {

  private static final String PRIMARY = "primary-token";
  private static final String SECONDARY = "secondary-token";

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static TestCluster cluster;
  private static CacheNode node;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    certs = TestCertificates.selfSigned(dir, "node");
    cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        s.server().withSecurity(new AuthTokens(PRIMARY, SECONDARY), certs.nodeTls()),
        s.store(), s.replicationFactor(), s.tokens(), s.eventLoops())).start(1);
    node = cluster.node(0);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    TestCluster.await(vertx.close());
  }

  private static RawClient connectTls() {
    return RawClient.connectTls(vertx, node.settings().server().port(), certs.cert());
  }

  private static Request.Hello hello(String token) {
    return new Request.Hello(FrameCodec.PROTOCOL_VERSION, token, "test");
  }

  private static Response roundTrip(RawClient c, String key) {
    Response set = c.call(new Request.Set(Key.of(key), Buffer.buffer("v"), 0, SetMode.ALWAYS));
    assertThat(set.status()).isEqualTo(Status.OK);
    return c.call(new Request.Get(Key.of(key)));
  }

  @Test
  void hello_wrongToken_rejectedAndClosed_othersServed() {
    try (RawClient good = connectTls(); RawClient bad = connectTls()) {
      assertThat(good.call(hello(PRIMARY)).status()).isEqualTo(Status.OK);

      assertThat(bad.call(hello("primary-tokeN")).status()).isEqualTo(Status.AUTH_FAILED);
      assertThat(bad.awaitClosed(10)).isTrue();

      assertThat(roundTrip(good, "after-bad-hello")).isInstanceOf(Response.Value.class);
    }
  }

  @Test
  void request_withoutHello_rejected() {
    try (RawClient c = connectTls()) {
      assertThat(c.call(new Request.Get(Key.of("k"))).status()).isEqualTo(Status.AUTH_FAILED);
      assertThat(c.awaitClosed(10)).isTrue();
    }
  }

  @Test
  void hello_primaryToken_accepted() {
    try (RawClient c = connectTls()) {
      assertThat(c.call(hello(PRIMARY)).status()).isEqualTo(Status.OK);
      assertThat(roundTrip(c, "primary")).isInstanceOf(Response.Value.class);
    }
  }

  @Test
  void hello_secondaryToken_accepted() {
    try (RawClient c = connectTls()) {
      assertThat(c.call(hello(SECONDARY)).status()).isEqualTo(Status.OK);
      assertThat(roundTrip(c, "secondary")).isInstanceOf(Response.Value.class);
    }
  }

  @Test
  void plainTextClient_onTlsPort_refused_tlsClientsServed() {
    try (RawClient plain = RawClient.connect(vertx, node.settings().server().port())) {
      Future<Response> answer = plain.send(hello(PRIMARY));
      assertThat(plain.awaitClosed(10)).isTrue();
      assertThatThrownBy(() -> answer.toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS)).as("a plain-text HELLO gets no answer")
          .isInstanceOf(ExecutionException.class);
    }
    try (RawClient c = connectTls()) {
      assertThat(c.call(hello(PRIMARY)).status()).isEqualTo(Status.OK);
      assertThat(roundTrip(c, "after-plain")).isInstanceOf(Response.Value.class);
    }
  }

  @Test
  void https_healthReady_ok() throws Exception {
    HttpResponse<String> res = https(get("/health/ready", null));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void https_secondaryBearer_accepted() throws Exception {
    assertThat(https(get("/v1/stats", "Bearer " + SECONDARY)).statusCode()).isEqualTo(200);
    assertThat(https(get("/v1/stats", "Bearer " + PRIMARY)).statusCode()).isEqualTo(200);
  }

  @Test
  void https_wrongOrMissingBearer_unauthorized() throws Exception {
    HttpResponse<String> wrong = https(get("/v1/stats", "Bearer " + PRIMARY + "x"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("AUTH_FAILED").doesNotContain(PRIMARY);
    assertThat(https(get("/v1/stats", null)).statusCode()).isEqualTo(401);
    assertThat(https(get("/v1/stats", PRIMARY)).statusCode()).isEqualTo(401);
  }

  @Test
  void plainHttp_onTlsPort_refused() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + node.settings().server().httpPort() + "/health/live"))
        .timeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(() -> plain.send(req, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  private static HttpRequest get(String path, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(
            "https://127.0.0.1:" + node.settings().server().httpPort() + path))
        .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  private static HttpResponse<String> https(HttpRequest req) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(certs.sslContext())
        .connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
