package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.snapshot.SnapshotFile;
import io.ringcache.node.snapshot.SnapshotReader;
import io.ringcache.node.testing.TestCluster;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/admin/snapshot} and what {@code /v1/stats} says about warm restart, on one
 * node: the snapshot holds the store's values and tombstones; a write that fails answers 500
 * naming the file and keeps the previous snapshot; a node without a data directory answers 409
 * naming the setting; a damaged snapshot found at start is reported in the stats,
 * moved aside, and nothing of it is served; a single node replays its own snapshot.
 */
class SnapshotAdminTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path data;

  @Test
  void post_writesValuesAndTombstones_andAnswersTheReport() throws Exception {
    try (TestCluster cluster = new TestCluster(1, s -> s.withDataDir(data)).start(1)) {
      CacheNode node = cluster.node(0);
      assertThat(send(node, "PUT", "/v1/keys/a", "1").statusCode()).isEqualTo(200);
      assertThat(send(node, "PUT", "/v1/keys/b?ttl=600000", "2").statusCode()).isEqualTo(200);
      assertThat(send(node, "PUT", "/v1/keys/c", "3").statusCode()).isEqualTo(200);
      assertThat(send(node, "DELETE", "/v1/keys/c", null).statusCode()).isEqualTo(200);

      HttpResponse<String> res = send(node, "POST", "/v1/admin/snapshot", null);
      assertThat(res.statusCode()).isEqualTo(200);
      JsonObject report = new JsonObject(res.body());
      assertThat(report.getLong("entries")).isEqualTo(3);
      assertThat(report.getLong("bytes")).isEqualTo(Files.size(data.resolve("snapshot")));

      List<SnapshotFile.Entry> entries = new ArrayList<>();
      try (SnapshotReader r = SnapshotReader.open(data.resolve(SnapshotFile.FILE_NAME))) {
        for (var block = r.nextBlock(); block != null; block = r.nextBlock()) {
          entries.addAll(block);
        }
      }
      assertThat(entries).extracting(e -> new String(e.key()) + ":" + e.tombstone()
          + ":" + (e.expireAtMillis() > 0)).containsExactlyInAnyOrder(
              "a:false:false", "b:false:true", "c:true:true");
      long now = System.currentTimeMillis();
      assertThat(entries).filteredOn(e -> new String(e.key()).equals("b"))
          .allSatisfy(e -> assertThat(e.expireAtMillis()).isBetween(now, now + 600_000));
      JsonObject stats = new JsonObject(send(node, "GET", "/v1/stats", null).body())
          .getJsonObject("warmRestart");
      assertThat(stats.getString("dataDir")).isEqualTo(data.toString());
      assertThat(stats.getJsonObject("written").getLong("entries")).isEqualTo(3);
    }
  }

  @Test
  void post_whenTheFileCannotBeWritten_is500NamingTheFile_andKeepsThePreviousSnapshot()
      throws Exception {
    try (TestCluster cluster = new TestCluster(1, s -> s.withDataDir(data)).start(1)) {
      CacheNode node = cluster.node(0);
      assertThat(send(node, "PUT", "/v1/keys/a", "1").statusCode()).isEqualTo(200);
      assertThat(send(node, "POST", "/v1/admin/snapshot", null).statusCode()).isEqualTo(200);
      byte[] before = Files.readAllBytes(data.resolve(SnapshotFile.FILE_NAME));
      // A directory (not empty) where the temp file goes: it can be neither opened nor removed.
      Path blocker = data.resolve(SnapshotFile.TEMP_NAME);
      Files.createDirectories(blocker.resolve("inside"));
      assertThat(send(node, "PUT", "/v1/keys/b", "2").statusCode()).isEqualTo(200);

      HttpResponse<String> res = send(node, "POST", "/v1/admin/snapshot", null);

      assertThat(res.statusCode()).isEqualTo(500);
      JsonObject body = new JsonObject(res.body());
      assertThat(body.getString("status")).isEqualTo("INTERNAL");
      assertThat(body.getString("error")).contains("cannot write snapshot " + blocker)
          .contains("the previous snapshot, if any, is kept");
      assertThat(Files.readAllBytes(data.resolve(SnapshotFile.FILE_NAME))).isEqualTo(before);
    }
  }

  @Test
  void post_withoutDataDir_is409NamingTheSetting() throws Exception {
    try (TestCluster cluster = new TestCluster(1).start(1)) {
      HttpResponse<String> res = send(cluster.node(0), "POST", "/v1/admin/snapshot", null);
      assertThat(res.statusCode()).isEqualTo(409);
      assertThat(res.body()).contains("no data-dir is set");
      assertThat(send(cluster.node(0), "GET", "/v1/admin/snapshot", null).statusCode())
          .isEqualTo(405);
    }
  }

  @Test
  void restart_replaysItsOwnSnapshot_butADamagedOneIsReportedAndNothingOfItServed()
      throws Exception {
    try (TestCluster cluster = new TestCluster(1, s -> s.withDataDir(data))) {
      CacheNode node = cluster.startNode("solo");
      cluster.awaitStable();
      for (int i = 0; i < 50; i++) {
        assertThat(send(node, "PUT", "/v1/keys/k" + i, "v" + i).statusCode()).isEqualTo(200);
      }
      TestCluster.await(node.snapshot());
      cluster.stop(node);

      CacheNode again = cluster.startNode("solo");
      cluster.awaitStable();
      Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .until(() -> !again.warmRestart().replayPending());
      assertThat(send(again, "GET", "/v1/keys/k7", null).body()).isEqualTo("v7");
      TestCluster.await(again.snapshot());
      cluster.stop(again);

      Path file = data.resolve(SnapshotFile.FILE_NAME);
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 7));
      CacheNode third = cluster.startNode("solo");
      cluster.awaitStable();
      JsonObject stats = new JsonObject(send(third, "GET", "/v1/stats", null).body())
          .getJsonObject("warmRestart");
      assertThat(stats.getString("corrupt")).contains("truncated");
      assertThat(stats.getJsonObject("replay").getString("state")).isEqualTo("none");
      assertThat(data.resolve(SnapshotFile.CORRUPT_NAME)).exists();
      assertThat(file).doesNotExist();
      assertThat(send(third, "GET", "/v1/keys/k7", null).statusCode()).isEqualTo(404);
      assertThat(third.store().size()).isZero();
    }
  }

  private static HttpResponse<String> send(CacheNode node, String method, String path,
      String body) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + node.settings().server().httpPort() + path);
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return HTTP.send(HttpRequest.newBuilder(uri).method(method, publisher).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
