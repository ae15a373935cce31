package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.testing.HeadlessChromium;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Topology;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin console at {@code /ui/}, loaded in headless Chromium (Debian's, installed by
 * {@code deploy/console/setup.sh} when missing) against a 3-node cluster: the ring it draws, its
 * members and their numbers must match {@code /v1/topology} and {@code /v1/cluster/stats}; a
 * 4th node joins with transfers held at the gate, and the console must show the TRANSFER phase
 * with the read and write rings side by side, then the new 4-member ring, with TRANSFER in its
 * phase history. Screenshots go to {@code target/console-screenshots/}
 * ({@code deploy/console/update-screenshots.sh} copies them into {@code docs/images/}).
 *
 * <p>Skipped, saying why, only when no Chromium is on the PATH and none can be installed.
 */
class ConsoleBrowserTest {

  private static final int WIDTH = 1400;
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  /** What the page shows, read from its DOM's data attributes. */
  private static final String VIEW = """
      JSON.stringify((() => {
        const q = (s) => [...document.querySelectorAll(s)];
        return {
          phase: document.getElementById('phase').dataset.phase,
          epoch: Number(document.getElementById('epoch').dataset.epoch || -1),
          status: document.getElementById('status').dataset.state,
          rings: q('#rings svg').map((s) => {
            const tokens = {};
            s.querySelectorAll('path.arc').forEach((p) => {
              (tokens[p.dataset.member] = tokens[p.dataset.member] || []).push(p.dataset.token);
            });
            return { kind: s.dataset.ring, arcs: Number(s.dataset.arcs), tokens };
          }),
          members: q('#members tr').map((tr) => {
            const f = { name: tr.dataset.member };
            tr.querySelectorAll('td[data-field]').forEach((td) => {
              f[td.dataset.field] = td.dataset.value;
            });
            return f;
          }),
          history: q('#history li').map((li) => li.dataset.phase + '@' + li.dataset.epoch),
          progress: q('#progress tr').length,
          caches: q('#caches tr').map((tr) => tr.dataset.cache)
        };
      })())""";

  private static Vertx vertx;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void console_showsRingAndMembers_thenTheTransferOfAJoin_thenTheNewRing() throws Exception {
    Optional<Path> chromium = HeadlessChromium.find();
    Assumptions.assumeTrue(chromium.isPresent(), "no chromium on the PATH and"
        + " deploy/console/setup.sh could not install Debian's chromium");
    Files.createDirectories(SHOTS);
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      AntiEntropyTest.write(vertx, cluster, "ui-", 6_000);
      String base = "http://127.0.0.1:" + cluster.node(0).settings().server().httpPort();
      try (RawClient reader = RawClient.connect(vertx, cluster.node(1).settings().server().port());
          HeadlessChromium browser = HeadlessChromium.launch(chromium.get(), base + "/ui/",
              WIDTH, 1000)) {
        // A light, steady read load (500 a second, 400 of them on one key, which the hot-key
        // sample then lists) so ops/s, p99, hit ratio and hot keys have something to show.
        long traffic = vertx.setPeriodic(100, id -> {
          for (int i = 0; i < 50; i++) {
            reader.send(new Request.Get(Key.of(i % 5 != 0 ? "ui-7" : "ui-" + (i * 37))));
          }
        });
        try {
          JsonObject stable = get(base + "/v1/topology?tokens=true");
          JsonObject view = await(browser, "the 3-member ring of epoch " + stable.getLong("epoch"),
              v -> v.getLong("epoch").equals(stable.getLong("epoch"))
                  && "STABLE".equals(v.getString("phase")) && "ok".equals(v.getString("status"))
                  && v.getJsonArray("members").size() == 3 && v.getJsonArray("rings").size() == 1
                  && !v.getJsonArray("caches").isEmpty() && ratesShown(v));
          assertMatchesTopology(view, stable);
          assertEntriesMatchStats(browser, base);
          assertThat(view.getJsonArray("caches")).contains("default");
          shot(browser, "console-stable.png");
          // The snapshot button posts to this node's admin endpoint; without a data-dir the
          // answer is 409, which the page shows.
          browser.evaluate("document.getElementById('snapshot').click(), 'clicked'");
          Awaitility.await("the snapshot action's answer").atMost(10, TimeUnit.SECONDS)
              .pollInterval(Duration.ofMillis(100))
              .until(() -> browser.evaluate(
                  "document.getElementById('action-result').textContent"),
                  text -> text.contains("/v1/admin/snapshot failed: 409"));

          cluster.nodes().forEach(n -> n.transferGate().close());
          CacheNode joined = cluster.startNode();
          joined.transferGate().close();
          cluster.awaitPhase(Topology.Phase.TRANSFER);
          JsonObject transfer = get(base + "/v1/topology?tokens=true");
          assertThat(transfer.getString("phase")).isEqualTo("TRANSFER");
          view = await(browser, "the TRANSFER phase of epoch " + transfer.getLong("epoch"),
              v -> v.getLong("epoch").equals(transfer.getLong("epoch"))
                  && "TRANSFER".equals(v.getString("phase"))
                  && v.getJsonArray("rings").size() == 2 && v.getJsonArray("members").size() == 4
                  && v.getInteger("progress") == 4);
          assertMatchesTopology(view, transfer);
          assertThat(ring(view, "write").getJsonObject("tokens").fieldNames())
              .as("the write ring takes the joiner").contains(joined.name()).hasSize(4);
          assertThat(ring(view, "read").getJsonObject("tokens").fieldNames())
              .as("the read ring is still the old one").doesNotContain(joined.name()).hasSize(3);
          shot(browser, "console-transfer.png");

          cluster.nodes().forEach(n -> n.transferGate().open());
          Topology after = cluster.awaitStable();
          JsonObject rebalanced = get(base + "/v1/topology?tokens=true");
          assertThat(rebalanced.getLong("epoch")).isEqualTo(after.epoch());
          view = await(browser, "the 4-member ring of epoch " + after.epoch(),
              v -> v.getLong("epoch") == after.epoch() && "STABLE".equals(v.getString("phase"))
                  && v.getJsonArray("rings").size() == 1 && v.getJsonArray("members").size() == 4
                  && ratesShown(v));
          assertMatchesTopology(view, rebalanced);
          assertThat(view.getJsonArray("history").getList())
              .as("the phase history keeps the transfer")
              .contains("TRANSFER@" + transfer.getLong("epoch"), "STABLE@" + after.epoch());
          shot(browser, "console-rebalanced.png");
        } finally {
          vertx.cancelTimer(traffic);
        }
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void console_withAuth_asksForTheToken_thenShowsTheNode() throws Exception {
    Optional<Path> chromium = HeadlessChromium.find();
    Assumptions.assumeTrue(chromium.isPresent(), "no chromium on the PATH and"
        + " deploy/console/setup.sh could not install Debian's chromium");
    try (TestCluster cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        s.server().withSecurity(new AuthTokens("console-secret", ""), NodeTls.off()),
        s.store(), s.replicationFactor(), s.tokens(), s.eventLoops())).start(1);
        HeadlessChromium browser = HeadlessChromium.launch(chromium.get(), "http://127.0.0.1:"
            + cluster.node(0).settings().server().httpPort() + "/ui/", WIDTH, 1000)) {
      JsonObject refused = await(browser, "the request for a token",
          v -> "error".equals(v.getString("status")));
      assertThat(refused.getJsonArray("members")).isEmpty();
      assertThat(browser.evaluate("document.getElementById('status').textContent"))
          .contains("token").contains("401");
      browser.evaluate("document.getElementById('token').value = 'console-secret';"
          + " document.getElementById('token-form').requestSubmit(); 'sent'");
      long epoch = cluster.node(0).topology().epoch();
      await(browser, "node-0 at epoch " + epoch, v -> "ok".equals(v.getString("status"))
          && v.getLong("epoch") == epoch && v.getJsonArray("members").size() == 1);
      assertThat(browser.evaluate("location.href + ' ' + document.cookie"
          + " + JSON.stringify(Object.assign({}, localStorage, sessionStorage))"))
          .as("the token stays out of the URL, cookies and storage")
          .doesNotContain("console-secret");
    }
  }

  /** Rings, tokens, member rows and their topology numbers, as {@code topo} gives them. */
  private static void assertMatchesTopology(JsonObject view, JsonObject topo) {
    assertThat(view.getLong("epoch")).isEqualTo(topo.getLong("epoch"));
    assertThat(view.getString("phase")).isEqualTo(topo.getString("phase"));
    JsonObject rings = topo.getJsonObject("rings");
    boolean same = rings.getJsonObject("read").equals(rings.getJsonObject("write"));
    for (String kind : same ? List.of("read") : List.of("read", "write")) {
      JsonObject want = rings.getJsonObject(kind);
      JsonObject drawn = ring(view, kind).getJsonObject("tokens");
      assertThat(drawn.fieldNames()).as("%s ring members", kind)
          .containsExactlyInAnyOrderElementsOf(want.fieldNames());
      for (String member : want.fieldNames()) {
        assertThat(new TreeSet<>(drawn.getJsonArray(member).getList()))
            .as("%s ring arcs of %s end at its tokens", kind, member)
            .isEqualTo(new TreeSet<>(want.getJsonArray(member).getList()));
      }
    }
    JsonArray rows = view.getJsonArray("members");
    Set<String> names = new HashSet<>();
    for (Object o : topo.getJsonArray("nodes")) {
      JsonObject node = (JsonObject) o;
      names.add(node.getString("name"));
      JsonObject row = rows.stream().map(JsonObject.class::cast)
          .filter(r -> node.getString("name").equals(r.getString("name"))).findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + node.getString("name")));
      assertThat(row.getString("state")).isEqualTo(node.getString("state"));
      assertThat(row.getString("zone")).isEqualTo(node.getString("zone"));
      assertThat(Integer.parseInt(row.getString("tokens"))).isEqualTo(node.getInteger("tokens"));
      assertThat(Double.parseDouble(row.getString("weight")))
          .isEqualTo(node.getDouble("weight"), within(1e-12));
      assertThat(Double.parseDouble(row.getString("primaryShare")))
          .as("primary share of %s", node.getString("name"))
          .isEqualTo(node.getDouble("primaryShare"), within(1e-12));
      assertThat(Double.parseDouble(row.getString("replicatedShare")))
          .isEqualTo(node.getDouble("replicatedShare"), within(1e-12));
    }
    assertThat(rows.stream().map(r -> ((JsonObject) r).getString("name")).toList())
        .containsExactlyInAnyOrderElementsOf(names);
  }

  /**
   * Entries, bytes and connections per member equal {@code /v1/cluster/stats}: read until a view
   * and the stats agree, since the page reads them a moment apart (nothing writes meanwhile, so
   * entries and bytes stand still; connections too).
   */
  private static void assertEntriesMatchStats(HeadlessChromium browser, String base) {
    Awaitility.await("the members' entries, bytes and connections as in /v1/cluster/stats")
        .atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> {
          JsonObject stats = get(base + "/v1/cluster/stats").getJsonObject("nodes");
          JsonObject view = view(browser);
          long total = 0;
          for (Object o : view.getJsonArray("members")) {
            JsonObject row = (JsonObject) o;
            JsonObject st = stats.getJsonObject(row.getString("name"));
            JsonObject store = st.getJsonObject("store");
            assertThat(Long.parseLong(row.getString("entries"))).as("entries of %s", row)
                .isEqualTo(store.getLong("entries"));
            assertThat(Long.parseLong(row.getString("bytes")))
                .isEqualTo(store.getLong("weightedBytes"));
            assertThat(Integer.parseInt(row.getString("connections")))
                .isEqualTo(st.getJsonObject("connections").getInteger("open"));
            total += store.getLong("entries");
          }
          assertThat(total).as("6,000 keys at RF 2").isEqualTo(12_000);
        });
  }

  /** ops/s and p99 need two samples of the counters: shown from the second poll on. */
  private static boolean ratesShown(JsonObject view) {
    return view.getJsonArray("members").stream().map(JsonObject.class::cast)
        .allMatch(r -> !r.getString("opsPerSec", "").isEmpty());
  }

  private static JsonObject ring(JsonObject view, String kind) {
    return view.getJsonArray("rings").stream().map(JsonObject.class::cast)
        .filter(r -> kind.equals(r.getString("kind"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " ring drawn in " + view));
  }

  private static JsonObject await(HeadlessChromium browser, String what,
      Predicate<JsonObject> shown) {
    JsonObject[] last = new JsonObject[1];
    try {
      return Awaitility.await("the console shows " + what).atMost(30, TimeUnit.SECONDS)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> last[0] = view(browser), v -> !v.containsKey("error") && shown.test(v));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the console did not show " + what + "; it showed " + last[0],
          e);
    }
  }

  /** The page's view, or {@code {"error":..}} while it cannot be read (the page loads). */
  private static JsonObject view(HeadlessChromium browser) {
    String text;
    try {
      text = browser.evaluate(VIEW);
    } catch (IllegalStateException e) {
      // "Cannot find default execution context" while the page navigates.
      return new JsonObject().put("error", e.getMessage());
    }
    return text.startsWith("{") ? new JsonObject(text) : new JsonObject().put("error", text);
  }

  private static void shot(HeadlessChromium browser, String name) throws Exception {
    Files.write(SHOTS.resolve(name), browser.screenshot(WIDTH));
  }

  private static JsonObject get(String url) throws Exception {
    HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as("GET %s: %s", url, res.body()).isEqualTo(200);
    return new JsonObject(res.body());
  }
}
