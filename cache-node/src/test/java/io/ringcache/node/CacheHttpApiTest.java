package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Named caches over HTTP, on two nodes with RF=2, asking one node for everything: the definition
 * routes, a cache's keys, size over the whole cluster, entries page by page, clear and destroy.
 */
class CacheHttpApiTest {

  private static TestCluster cluster;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    int port = cluster.node(0).settings().server().httpPort();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void cacheLifecycle_overHttp() throws Exception {
    HttpResponse<String> created = send("PUT", "/v1/caches/sessions",
        "{\"expireAfterCreateMillis\":60000,\"maxValueBytes\":100}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getJsonObject("cache")
        .getLong("expireAfterCreateMillis")).isEqualTo(60000);
    assertThat(send("PUT", "/v1/caches/sessions", "{}").statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/v1/caches/sessions", "{\"name\":\"other\"}").statusCode())
        .isEqualTo(400);

    JsonObject got = new JsonObject(send("GET", "/v1/caches/sessions", null).body());
    assertThat(got.getInteger("maxValueBytes")).isEqualTo(100);
    JsonArray all = new JsonObject(send("GET", "/v1/caches", null).body())
        .getJsonArray("caches");
    assertThat(all.stream().map(o -> ((JsonObject) o).getString("name")))
        .contains("default", "sessions");
    assertThat(send("GET", "/v1/caches/nope", null).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/v1/caches/nope/keys/k", "v").statusCode()).isEqualTo(404);

    for (int i = 0; i < 120; i++) {
      assertThat(send("PUT", "/v1/caches/sessions/keys/user-" + i, "v" + i).statusCode())
          .isEqualTo(200);
    }
    assertThat(send("PUT", "/v1/caches/sessions/keys/big", "x".repeat(101)).statusCode())
        .isEqualTo(413);
    assertThat(send("GET", "/v1/caches/sessions/keys/user-7", null).body()).isEqualTo("v7");
    assertThat(send("GET", "/v1/keys/user-7", null).statusCode()).isEqualTo(404);
    assertThat(new JsonObject(send("GET", "/v1/caches/sessions/size", null).body())
        .getLong("size")).isEqualTo(120);

    Set<String> keys = new HashSet<>();
    String cursor = "start";
    while (cursor != null) {
      JsonObject page = new JsonObject(send("GET", "/v1/caches/sessions/entries?limit=25&cursor="
          + cursor, null).body());
      for (Object o : page.getJsonArray("entries")) {
        JsonObject e = (JsonObject) o;
        assertThat(e.getString("value")).isEqualTo("v" + e.getString("key").substring(5));
        assertThat(keys.add(e.getString("key"))).isTrue();
      }
      cursor = page.getString("next");
    }
    assertThat(keys).hasSize(120);

    assertThat(send("DELETE", "/v1/caches/sessions/keys/user-0", null).statusCode())
        .isEqualTo(200);
    JsonObject cleared = new JsonObject(send("POST", "/v1/caches/sessions/clear", null).body());
    assertThat(cleared.getLong("removed")).isEqualTo(119 * 2);
    assertThat(new JsonObject(send("GET", "/v1/caches/sessions/size", null).body())
        .getLong("size")).isZero();

    assertThat(new JsonObject(send("DELETE", "/v1/caches/sessions", null).body())
        .getBoolean("destroyed")).isTrue();
    assertThat(send("GET", "/v1/caches/sessions", null).statusCode()).isEqualTo(404);
  }
}
