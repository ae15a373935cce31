package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Named caches below the client: the clear's version mark against a late transfer, a slow event
 * subscriber against the node's memory, and caches defined by the node's settings.
 */
class NamedCacheNodeTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestCluster.await(vertx.close());
  }

  private static long version(Response r) {
    assertThat(r).isInstanceOf(Response.Stored.class);
    return ((Response.Stored) r).version();
  }

  @Test
  void clearedCache_refusesAnOlderEntryArrivingLate_acceptsANewerOne() {
    CacheSpec spec = new CacheSpec("late", CacheSpec.UNSET, CacheSpec.UNSET, CacheSpec.UNSET,
        false, 0, 0, true, Map.of());
    try (TestCluster cluster = new TestCluster(2, s -> s.withCaches(List.of(spec))).start(2);
        RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      Key key = Key.of("late", "k");
      long before = version(c.call(new Request.Set(key, Buffer.buffer("old"), 0,
          SetMode.ALWAYS)));
      Response cleared = c.call(new Request.CacheClear("late", false));
      assertThat(cleared).isInstanceOf(Response.Counter.class);
      long clearedAt = ((Response.Counter) cleared).version();
      assertThat(clearedAt).isGreaterThan(before);

      // A transfer batch read before the clear reaches a node after it: the entry must not
      // come back. Planted as the transfer would deliver it, by a peer connection.
      CacheNode target = cluster.node(1);
      assertThat(plant(target, key, before, "old")).isEqualTo(Status.OK);
      assertThat(target.store().get(StoreKey.wrap(key.toBytes())).status().name())
          .isEqualTo("NOT_FOUND");
      assertThat(c.call(new Request.Get(key)).status()).isEqualTo(Status.NOT_FOUND);

      // A write after the clear is kept.
      long after = version(c.call(new Request.Set(key, Buffer.buffer("new"), 0,
          SetMode.ALWAYS)));
      assertThat(after).isGreaterThan(clearedAt);
      assertThat(c.call(new Request.Get(key))).isInstanceOf(Response.Value.class);
    }
  }

  private static Status plant(CacheNode node, Key key, long version, String value) {
    try (RawClient peer = RawClient.connect(vertx, node.settings().server().port())) {
      assertThat(peer.call(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:test",
          node.peerSecret().bytes())).status()).isEqualTo(Status.OK);
      return TestCluster.await(peer.send(new Request.Replicate(key, version, -1, false,
          Buffer.buffer(value)), 0, node.topology().epoch())).status();
    }
  }

  @Test
  void subscriberThatNeverReads_isDisconnected_writersAreNotHeldUp() throws Exception {
    CacheSpec spec = new CacheSpec("flood", CacheSpec.UNSET, CacheSpec.UNSET, CacheSpec.UNSET,
        false, 0, 0, true, Map.of());
    try (TestCluster cluster = new TestCluster(1, s -> s.withCaches(List.of(spec))).start(1);
        RawClient writer = RawClient.connect(vertx, cluster.node(0).settings().server().port());
        Socket slow = new Socket("127.0.0.1", cluster.node(0).settings().server().port())) {
      CacheNode node = cluster.node(0);
      FrameCodec codec = new FrameCodec(ProtocolLimits.defaults());
      OutputStream out = slow.getOutputStream();
      out.write(codec.encodeRequest(1, 0, 0, new Request.Hello(FrameCodec.PROTOCOL_VERSION, "",
          "slow")).getBytes());
      out.write(codec.encodeRequest(2, 0, 0, new Request.Subscribe("flood", 7, false, false))
          .getBytes());
      out.flush();
      Awaitility.await().atMost(10, TimeUnit.SECONDS)
          .until(() -> node.caches().events.subscriptions() == 1);

      // About 24 MiB of events for a subscriber that reads none of them.
      Buffer value = Buffer.buffer(new byte[1024]);
      for (int round = 0; round < 24; round++) {
        List<io.vertx.core.Future<Response>> pending = new java.util.ArrayList<>();
        for (int i = 0; i < 1024; i++) {
          pending.add(writer.send(new Request.Set(Key.of("flood", "k" + i), value, 0,
              SetMode.ALWAYS)));
        }
        for (io.vertx.core.Future<Response> f : pending) {
          assertThat(TestCluster.await(f).status()).isEqualTo(Status.OK);
        }
      }
      Awaitility.await().atMost(20, TimeUnit.SECONDS)
          .until(() -> node.stats().eventSubscribersDropped.sum() == 1);
      Awaitility.await().atMost(10, TimeUnit.SECONDS)
          .until(() -> node.caches().events.subscriptions() == 0);
      assertThat(node.metrics().scrape())
          .contains("ringcache_event_subscribers_dropped_total 1.0")
          .contains("ringcache_event_subscriptions 0.0");
      // The subscriber's socket is closed by the node: reading drains what was sent, then EOF.
      slow.setSoTimeout(20_000);
      InputStream in = slow.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) >= 0) {
        total += n;
      }
      assertThat(total).isPositive();
      assertThat(writer.call(new Request.Get(Key.of("flood", "k1"))).status())
          .isEqualTo(Status.OK);
    }
  }

  @Test
  void cachesFromSettings_existOnStart_andOnNodesThatJoinLater() {
    CacheSpec spec = new CacheSpec("configured", 60_000, CacheSpec.UNSET, CacheSpec.UNSET, true,
        0, 0, true, Map.of());
    try (TestCluster cluster = new TestCluster(2, s -> s.withCaches(List.of(spec))).start(1)) {
      assertThat(cluster.node(0).caches().registry.find("configured")).isEqualTo(spec);
      CacheNode joined = cluster.startNode();
      assertThat(joined.caches().registry.find("configured")).isEqualTo(spec);
      cluster.awaitStable();
    }
  }

  @Test
  void casKeepsItsVersion1Meaning_putIfVersionZeroCreates() {
    CacheSpec spec = new CacheSpec("cas", CacheSpec.UNSET, CacheSpec.UNSET, CacheSpec.UNSET,
        false, 0, 0, true, Map.of());
    try (TestCluster cluster = new TestCluster(1, s -> s.withCaches(List.of(spec))).start(1);
        RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      for (Key key : List.of(Key.of("plain"), Key.of("cas", "k"))) {
        // No entry has version 0: CAS at 0 finds nothing to replace and writes nothing.
        assertThat(c.call(new Request.Cas(key, 0, Buffer.buffer("x"), 0)).status())
            .isEqualTo(Status.NOT_FOUND);
        assertThat(c.call(new Request.Get(key)).status()).isEqualTo(Status.NOT_FOUND);
        long v = version(c.call(new Request.PutIfVersion(key, 0, Buffer.buffer("a"), 0,
            io.ringcache.protocol.WriteId.NONE)));
        Response again = c.call(new Request.Cas(key, 0, Buffer.buffer("x"), 0));
        assertThat(again).isEqualTo(new Response.Mismatch(v));
        assertThat(c.call(new Request.PutIfVersion(key, 0, Buffer.buffer("b"), 0,
            io.ringcache.protocol.WriteId.NONE))).isEqualTo(new Response.Mismatch(v));
      }
    }
  }

  @Test
  void scanPages_stayWithinTheFrameLimit_andCoverEveryKeyOnce() {
    CacheSpec spec = new CacheSpec("big", CacheSpec.UNSET, CacheSpec.UNSET, CacheSpec.UNSET,
        false, 0, 0, true, Map.of());
    ProtocolLimits small = ProtocolLimits.of(1024, 64 * 1024);
    try (TestCluster cluster = new TestCluster(1, s -> {
      ServerSettings v = s.server();
      return s.withCaches(List.of(spec)).withServer(new ServerSettings(v.nodeName(), v.host(),
          v.port(), v.httpPort(), v.writeAcksAll(), v.readFromAny(), v.maxConnections(),
          v.maxInFlight(), v.requestTimeoutMillis(), v.auth(), small, v.tls(), v.connections(),
          v.incarnation(), v.respPort()));
    }).start(1);
        RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port(),
            small)) {
      Buffer value = Buffer.buffer(new byte[10_000]);
      java.util.Set<String> written = new java.util.HashSet<>();
      List<io.vertx.core.Future<Response>> pending = new java.util.ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        written.add("k" + i);
        pending.add(c.send(new Request.Set(Key.of("big", "k" + i), value, 0, SetMode.ALWAYS)));
      }
      pending.forEach(f -> assertThat(TestCluster.await(f).status()).isEqualTo(Status.OK));

      java.util.Set<String> seen = new java.util.HashSet<>();
      long after = Long.MIN_VALUE;
      boolean start = true;
      int pages = 0;
      while (true) {
        Response r = c.call(new Request.CacheScan("big", after, start, 1_000_000));
        assertThat(r).as("page %d", pages).isInstanceOf(Response.Entries.class);
        Response.Entries page = (Response.Entries) r;
        for (Response.Entries.Entry e : page.entries()) {
          assertThat(seen.add(e.key().asString())).as("seen once: %s", e.key()).isTrue();
        }
        pages++;
        if (page.nextPosition() == Long.MAX_VALUE) {
          break;
        }
        after = page.nextPosition();
        start = false;
      }
      assertThat(seen).isEqualTo(written);
      // 20 MB cannot come in the 64 ranges' 64 pages under a 129 KiB frame limit.
      assertThat(pages).isGreaterThan(64 + 100);
    }
  }

  @Test
  void subscribe_idZeroAndTooMany_refusedNamingTheLimit() {
    CacheSpec spec = new CacheSpec("subs", CacheSpec.UNSET, CacheSpec.UNSET, CacheSpec.UNSET,
        false, 0, 0, true, Map.of());
    try (TestCluster cluster = new TestCluster(1, s -> s.withCaches(List.of(spec))).start(1);
        RawClient c = RawClient.connect(vertx, cluster.node(0).settings().server().port())) {
      assertThat(c.call(new Request.Subscribe("subs", 0, false, false)).status())
          .isEqualTo(Status.BAD_REQUEST);
      for (int id = 1; id <= 1024; id++) {
        assertThat(c.call(new Request.Subscribe("subs", id, false, false)).status())
            .isEqualTo(Status.OK);
      }
      Response over = c.call(new Request.Subscribe("subs", 1025, false, false));
      assertThat(over.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(((Response.Failure) over).message()).contains("limit is 1024");
      // Cancels need no lookup and free room.
      assertThat(c.call(new Request.Subscribe("subs", 7, false, true)).status())
          .isEqualTo(Status.OK);
      assertThat(c.call(new Request.Subscribe("subs", 1025, false, false)).status())
          .isEqualTo(Status.OK);
      assertThat(cluster.node(0).caches().events.subscriptions()).isEqualTo(1024);
    }
  }
}
