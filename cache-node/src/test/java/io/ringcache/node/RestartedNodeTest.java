package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node crashed and restarted under the same name and ports, held (by the coordinator's
 * publication hook) in the window before the coordinator publishes a topology that names its new
 * incarnation. In that window it has installed the pre-crash topology, in which its name is UP and
 * owns keys its empty store does not hold: it must refuse rather than answer NOT_FOUND, count a
 * counter from 0, or take replica writes; once the coordinator publishes, the cluster serves the
 * pre-crash value and counter through it.
 */
class RestartedNodeTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  @Test
  void restartedNode_beforeATopologyNamesItsIncarnation_refusesInsteadOfServingAnEmptyStore()
      throws Exception {
    try (TestCluster cluster = new TestCluster(2).start(3)) {
      CacheNode coordinator = cluster.node(0);
      CacheNode victim = cluster.node(2);
      String name = victim.name();
      Topology before = victim.topology();
      String valueKey = key(before, owners -> owners.get(0).name().equals(name));
      String counterKey = key(before, owners -> owners.get(0).name().equals(name), valueKey);
      // A key a survivor coordinates and the victim replicates.
      String replicaKey = key(before, owners -> owners.get(1).name().equals(name));
      String replicaCoordinator = before.writeReplicas(Key.of(replicaKey).position()).get(0)
          .name();
      try (RawClient c = RawClient.connect(vertx, coordinator.settings().server().port())) {
        assertThat(c.call(new Request.Set(Key.of(valueKey), Buffer.buffer("before"), 0,
            SetMode.ALWAYS)).status()).isEqualTo(Status.OK);
        for (int i = 0; i < 5; i++) {
          assertThat(c.call(new Request.Increment(Key.of(counterKey), 1, 0)).status())
              .isEqualTo(Status.OK);
        }
      }

      coordinator.coordinator().holdPublications();
      cluster.crash(victim);
      CacheNode back = cluster.restart(victim);
      Awaitility.await().atMost(TestCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .until(() -> back.topology().epoch() == before.epoch());
      String incarnation = back.settings().server().incarnation();
      assertThat(back.topology().node(name).orElseThrow().incarnation())
          .as("the installed topology names the crashed process").isNotEqualTo(incarnation);

      try (RawClient direct = RawClient.connect(vertx, back.settings().server().port());
          RawClient peer = RawClient.connect(vertx, coordinator.settings().server().port());
          RawClient survivor = RawClient.connect(vertx,
              cluster.node(replicaCoordinator).settings().server().port())) {
        Response read = direct.call(new Request.Get(Key.of(valueKey)));
        assertThat(read.status()).as("GET of a key written before the crash, on the new process")
            .isEqualTo(Status.NOT_OWNER);
        assertThat(((Response.Failure) read).message()).contains(incarnation);
        Response counted = direct.call(new Request.Increment(Key.of(counterKey), 1, 0));
        assertThat(counted.status()).as("INCREMENT of a counter at 5, on the new process")
            .isEqualTo(Status.NOT_OWNER);
        assertThat(held(back, counterKey)).isFalse();
        // A survivor on the pre-crash epoch forwards to the same address: refused there too.
        assertThat(peer.call(new Request.Get(Key.of(valueKey))).status())
            .isEqualTo(Status.NOT_OWNER);
        // Its replica write to the new process is refused, so it is not acknowledged by a copy
        // the next topology does not count.
        Response replicated = survivor.call(new Request.Set(Key.of(replicaKey),
            Buffer.buffer("window"), 0, SetMode.ALWAYS));
        assertThat(replicated.status()).isNotEqualTo(Status.OK);
        assertThat(held(back, replicaKey)).isFalse();
      }
      assertThat(ready(back)).as("readiness of the new process in the window").isEqualTo(503);

      coordinator.coordinator().releasePublications();
      Topology after = cluster.awaitStable();
      assertThat(after.node(name).orElseThrow().incarnation()).isEqualTo(incarnation);
      assertThat(ready(back)).isEqualTo(200);
      try (RawClient direct = RawClient.connect(vertx, back.settings().server().port())) {
        Response read = direct.call(new Request.Get(Key.of(valueKey)));
        assertThat(read).isInstanceOf(Response.Value.class);
        assertThat(((Response.Value) read).value().toString(StandardCharsets.UTF_8))
            .isEqualTo("before");
        Response counted = direct.call(new Request.Increment(Key.of(counterKey), 1, 0));
        assertThat(counted).isInstanceOf(Response.Counter.class);
        assertThat(((Response.Counter) counted).value()).isEqualTo(6);
      }
    }
  }

  /** The first of a few thousand keys whose write owners in {@code t} match {@code owners}. */
  private static String key(Topology t, Predicate<List<Member>> owners, String... not) {
    List<String> taken = List.of(not);
    return IntStream.range(0, 10_000).mapToObj(i -> "restart-" + i)
        .filter(k -> !taken.contains(k) && owners.test(t.writeReplicas(Key.of(k).position())))
        .findFirst().orElseThrow();
  }

  private static int ready(CacheNode node) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + node.settings().server().httpPort()
        + "/health/ready");
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static boolean held(CacheNode node, String key) {
    return node.store().replicaOf(StoreKey.wrap(Key.of(key).toBytes()))
        != null;
  }
}
