package io.ringcache.client;

import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One key taking most of a read load on three nodes with RF=2: the owners report it hot (stats
 * and metrics), and a client that reads hot keys from any replica spreads its reads over both
 * owners, where one without does not.
 */
class HotKeyReadsTest {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2).start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** Store reads (hits) served by each node during {@code body}. */
  private static Map<String, Long> readsDuring(Runnable body) {
    Map<String, Long> before = new HashMap<>();
    cluster.nodes().forEach(n -> before.put(n.name(), n.store().stats().hits()));
    body.run();
    Map<String, Long> served = new HashMap<>();
    cluster.nodes().forEach(n ->
        served.put(n.name(), n.store().stats().hits() - before.get(n.name())));
    return served;
  }

  private static void hammer(CacheClient client, String key, int reads) {
    List<CompletionStage<?>> pending = new ArrayList<>();
    for (int i = 0; i < reads; i++) {
      pending.add(client.get(key));
      if (pending.size() == 200) {
        pending.forEach(Clients::join);
        pending.clear();
      }
    }
    pending.forEach(Clients::join);
  }

  @Test
  void hotKey_isReported_andItsReadsSpreadOverItsOwners() throws Exception {
    try (CacheClient spreading = Clients.builderFor(cluster).build();
        CacheClient primaryOnly = Clients.builderFor(cluster).hotKeyReplicaReads(false).build()) {
      join(spreading.put("celebrity", "x".getBytes()));
      // Heat it: reads at a rate that makes it most of each owner's load.
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
        hammer(primaryOnly, "celebrity", 5_000);
        return hotOn(cluster).size() >= 1;
      });
      CacheNode owner = hotOn(cluster).get(0);
      JsonObject stats = owner.report().json();
      JsonObject top = stats.getJsonObject("hotKeys").getJsonArray("top").getJsonObject(0);
      assertThat(top.getString("key")).isEqualTo("celebrity");
      assertThat(top.getBoolean("hot")).isTrue();
      assertThat(owner.metrics().scrape()).contains("ringcache_hot_keys 1.0");
      assertThat(scrapeHttp(owner)).contains("\"celebrity\"");

      Map<String, Long> narrow = readsDuring(() -> hammer(primaryOnly, "celebrity", 6_000));
      assertThat(busiestShare(narrow)).as("reads on the primary alone: %s", narrow)
          .isGreaterThan(0.95);

      // The spreading client learns the hot key within a poll, then reads from both owners.
      Awaitility.await().atMost(10, TimeUnit.SECONDS)
          .until(() -> ((DefaultCacheClient) spreading).router.hotKeys.isHot(
              io.ringcache.protocol.Key.of("celebrity").position()));
      Map<String, Long> wide = readsDuring(() -> hammer(spreading, "celebrity", 6_000));
      assertThat(busiestShare(wide)).as("reads spread over the owners: %s", wide)
          .isLessThan(0.75);
      assertThat(wide.values().stream().filter(n -> n > 1_000).count()).isEqualTo(2);
    }
  }

  private static List<CacheNode> hotOn(TestCluster cluster) {
    List<CacheNode> out = new ArrayList<>();
    for (CacheNode n : cluster.nodes()) {
      if (!n.caches().hotKeys.hot().isEmpty()) {
        out.add(n);
      }
    }
    return out;
  }

  private static double busiestShare(Map<String, Long> served) {
    long total = served.values().stream().mapToLong(Long::longValue).sum();
    long max = served.values().stream().mapToLong(Long::longValue).max().orElse(0);
    return total == 0 ? 0 : (double) max / total;
  }

  private static String scrapeHttp(CacheNode node) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + node.settings().server().httpPort() + "/v1/stats")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
