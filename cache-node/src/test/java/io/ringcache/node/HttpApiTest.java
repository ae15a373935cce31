package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API of one node (RF=1, auth on, small limits): how a path becomes a key, which method
 * and credential answers what, body limits, HEAD, and conditional writes with the entry version as
 * the ETag. Keys written over HTTP are read back over the binary protocol, so a test sees the
 * bytes that were stored, not what HTTP prints.
 */
class HttpApiTest {

  private static final String TOKEN = "http-api-token";
  private static final ProtocolLimits LIMITS = ProtocolLimits.of(64, 1000);
  private static TestCluster cluster;
  private static CacheNode node;
  private static Vertx vertx;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        new ServerSettings(s.server().nodeName(), s.server().host(), s.server().port(),
            s.server().httpPort(), true, false, 1000, 64, 2000, TOKEN, LIMITS),
        s.store(), 1, s.tokens(), s.eventLoops())).start(1);
    node = cluster.node(0);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    TestCluster.await(vertx.close());
  }

  // ------------------------------------------------------------------ keys from paths

  @Test
  void plusInAPath_isALiteralPlus() throws Exception {
    assertThat(put("/v1/keys/a+b", "plus").statusCode()).isEqualTo(200);
    assertThat(storedValue("a+b")).isEqualTo("plus");
    assertThat(storedValue("a b")).isNull();
  }

  @Test
  void percentEncodedUtf8AndRawUtf8_storeTheSameKey() throws Exception {
    assertThat(raw("PUT", "/v1/keys/caf\u00c3\u00a9", "Content-Length: 3", "raw"))
        .startsWith("HTTP/1.1 200");
    assertThat(storedValue("caf\u00e9")).isEqualTo("raw");
    assertThat(put("/v1/keys/caf%C3%A9", "encoded").statusCode()).isEqualTo(200);
    assertThat(storedValue("caf\u00e9")).isEqualTo("encoded");
    assertThat(put("/v1/keys/a%2Fb%20c", "slash").statusCode()).isEqualTo(200);
    assertThat(storedValue("a/b c")).isEqualTo("slash");
  }

  @Test
  void invalidPercentEncodingOrUtf8_isBadRequestAndStoresNothing() throws Exception {
    for (String odd : List.of("%FF", "%zz", "a%F", "%C3%28", "%ED%A0%80", "%C0%AF", "caf%E9")) {
      assertThat(raw("PUT", "/v1/keys/" + odd, "Content-Length: 1", "v"))
          .as("PUT /v1/keys/%s", odd).startsWith("HTTP/1.1 400").contains("BAD_REQUEST");
    }
    assertThat(storedValue("\ufffd")).isNull();
  }

  @Test
  void keyOverTheLimit_is414() throws Exception {
    HttpResponse<String> res = put("/v1/keys/" + "k".repeat(65), "v");
    assertThat(res.statusCode()).isEqualTo(414);
    assertThat(res.body()).contains("65").contains("64");
    assertThat(put("/v1/keys/" + "%C3%A9".repeat(33), "v").statusCode()).isEqualTo(414);
  }

  // ------------------------------------------------------------------ methods, routes, auth

  @Test
  void wrongMethodOnAKnownRoute_is405WithAllow() throws Exception {
    HttpResponse<String> keys = send(request("/v1/keys/k").method("PATCH",
        HttpRequest.BodyPublishers.ofString("x")));
    assertThat(keys.statusCode()).isEqualTo(405);
    assertThat(keys.headers().firstValue("Allow").orElse("")).contains("GET", "HEAD", "PUT",
        "DELETE");
    HttpResponse<String> stats = send(request("/v1/stats").DELETE());
    assertThat(stats.statusCode()).isEqualTo(405);
    assertThat(stats.headers().firstValue("Allow")).hasValue("GET");
    HttpResponse<String> drain = send(request("/v1/admin/drain"));
    assertThat(drain.statusCode()).isEqualTo(405);
    assertThat(drain.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void unknownRoute_is404Json() throws Exception {
    HttpResponse<String> res = send(request("/v2/nothing"));
    assertThat(res.statusCode()).isEqualTo(404);
    assertThat(res.body()).contains("/v1/keys/{key}");
    assertThat(send(request("/v1/keys/")).statusCode()).isEqualTo(404);
  }

  @Test
  void missingOrWrongToken_is401WithBearerChallenge() throws Exception {
    HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(uri("/v1/keys/k")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(uri("/v1/stats"))
        .header("Authorization", "Bearer " + TOKEN + "x").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer").contains("invalid_token");
    assertThat(wrong.body()).contains("AUTH_FAILED").doesNotContain(TOKEN);
    assertThat(HTTP.send(HttpRequest.newBuilder(uri("/health/live")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ bodies, HEAD, ETag

  @Test
  void bodyOverTheValueLimit_is413_andTheLimitItselfIsStored() throws Exception {
    HttpResponse<String> big = put("/v1/keys/big", "v".repeat(LIMITS.maxValueBytes() + 1));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("VALUE_TOO_LARGE");
    String chunked = raw("PUT", "/v1/keys/big-chunked", "Transfer-Encoding: chunked",
        Integer.toHexString(1001) + "\r\n" + "v".repeat(1001) + "\r\n0\r\n\r\n");
    assertThat(chunked).startsWith("HTTP/1.1 413");
    assertThat(put("/v1/keys/big", "v".repeat(LIMITS.maxValueBytes())).statusCode())
        .isEqualTo(200);
    assertThat(storedValue("big")).hasSize(LIMITS.maxValueBytes());
  }

  @Test
  void formEncodedBody_isStoredAsRawBytes() throws Exception {
    HttpResponse<String> res = send(request("/v1/keys/form?ttl=60000")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString("ttl=1&a=%zz")));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(storedValue("form")).isEqualTo("ttl=1&a=%zz");
  }

  @Test
  void getHeadAndPut_carryTheVersionAsETag() throws Exception {
    HttpResponse<String> put = put("/v1/keys/tagged", "hello");
    long version = new JsonObject(put.body()).getLong("version");
    assertThat(put.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
    HttpResponse<String> get = send(request("/v1/keys/tagged"));
    assertThat(get.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
    assertThat(get.body()).isEqualTo("hello");
    HttpResponse<String> head = send(request("/v1/keys/tagged")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
    assertThat(head.headers().firstValue("Content-Length")).hasValue("5");
    assertThat(head.body()).isEmpty();
    assertThat(send(request("/v1/keys/tagged-absent")
        .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
    HttpResponse<String> notModified = send(request("/v1/keys/tagged")
        .header("If-None-Match", "\"" + version + "\""));
    assertThat(notModified.statusCode()).isEqualTo(304);
  }

  // ------------------------------------------------------------------ conditional writes

  @Test
  void ifNoneMatchStar_isPutIfAbsent() throws Exception {
    HttpResponse<String> first = send(request("/v1/keys/once").header("If-None-Match", "*")
        .PUT(HttpRequest.BodyPublishers.ofString("first")));
    assertThat(first.statusCode()).isEqualTo(200);
    HttpResponse<String> second = send(request("/v1/keys/once").header("If-None-Match", "*")
        .PUT(HttpRequest.BodyPublishers.ofString("second")));
    assertThat(second.statusCode()).isEqualTo(412);
    assertThat(second.body()).contains("EXISTS");
    assertThat(storedValue("once")).isEqualTo("first");
  }

  @Test
  void ifMatchVersion_isCompareAndSet() throws Exception {
    String v1 = put("/v1/keys/cas", "1").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> ok = send(request("/v1/keys/cas").header("If-Match", v1)
        .PUT(HttpRequest.BodyPublishers.ofString("2")));
    assertThat(ok.statusCode()).isEqualTo(200);
    String v2 = ok.headers().firstValue("ETag").orElseThrow();
    assertThat(v2).isNotEqualTo(v1);
    HttpResponse<String> stale = send(request("/v1/keys/cas").header("If-Match", v1)
        .PUT(HttpRequest.BodyPublishers.ofString("3")));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.headers().firstValue("ETag")).hasValue(v2);
    assertThat(storedValue("cas")).isEqualTo("2");
    assertThat(send(request("/v1/keys/cas-absent").header("If-Match", "\"7\"")
        .PUT(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(412);
    assertThat(send(request("/v1/keys/cas").header("If-Match", "soon")
        .PUT(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(400);
  }

  @Test
  void documentedRoutes_keepAnswering() throws Exception {
    assertThat(put("/v1/keys/doc?ttl=60000", "v").statusCode()).isEqualTo(200);
    assertThat(send(request("/v1/keys/doc").DELETE()).statusCode()).isEqualTo(200);
    assertThat(send(request("/v1/keys/doc").DELETE()).statusCode()).isEqualTo(404);
    assertThat(send(request("/v1/keys/doc-mode?mode=if-present")
        .PUT(HttpRequest.BodyPublishers.ofString("v"))).statusCode()).isEqualTo(404);
    assertThat(send(request("/v1/topology")).statusCode()).isEqualTo(200);
    assertThat(send(request("/v1/stats")).statusCode()).isEqualTo(200);
    assertThat(send(request("/health/ready")).statusCode()).isEqualTo(200);
    assertThat(send(request("/metrics")).statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ helpers

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.settings().server().httpPort() + path);
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + TOKEN);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> put(String path, String body) throws Exception {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** The value stored under {@code key}, read over the binary protocol; null when absent. */
  private static String storedValue(String key) {
    try (RawClient c = RawClient.connect(vertx, node.settings().server().port())) {
      assertThat(c.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, TOKEN, "http-test"))
          .status()).isEqualTo(Status.OK);
      Response r = c.call(new Request.Get(Key.of(key)));
      return r instanceof Response.Value v ? v.value().toString(StandardCharsets.UTF_8) : null;
    }
  }

  /** One request written byte for byte (ISO-8859-1), as the JDK client would refuse to. */
  private static String raw(String method, String path, String header, String body)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", node.settings().server().httpPort()), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + TOKEN + "\r\n" + header + "\r\nConnection: close\r\n\r\n"
          + body).getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      try {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        return "closed: " + e;
      }
    }
  }
}
