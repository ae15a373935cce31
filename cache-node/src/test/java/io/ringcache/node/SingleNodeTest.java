package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreStats;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One node (RF=1) answering the binary protocol: every operation and every kind of bad input. */
class SingleNodeTest {

  private static final int STORE_BYTES = 4 << 20;
  private static TestCluster cluster;
  private static CacheNode node;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        new ServerSettings(s.server().nodeName(), s.server().host(), s.server().port(),
            s.server().httpPort(), true, false, 50, 64, 2000, "",
            ProtocolLimits.defaults()),
        new StoreConfig(STORE_BYTES, Duration.ofSeconds(60)), 1, 16, 2)).start(1);
    node = cluster.node(0);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    TestCluster.await(vertx.close());
  }

  private static RawClient connect() {
    return RawClient.connect(vertx, node.settings().server().port());
  }

  private static Buffer bytes(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void setGetDelete_roundTrip() {
    try (RawClient c = connect()) {
      Response set = c.call(new Request.Set(Key.of("k1"), bytes("v1"), 0, SetMode.ALWAYS));
      assertThat(set).isInstanceOf(Response.Stored.class);
      long version = ((Response.Stored) set).version();
      Response get = c.call(new Request.Get(Key.of("k1")));
      assertThat(get).isInstanceOf(Response.Value.class);
      assertThat(((Response.Value) get).value().toString()).isEqualTo("v1");
      assertThat(((Response.Value) get).version()).isEqualTo(version);
      assertThat(c.call(new Request.Delete(Key.of("k1")))).isInstanceOf(Response.Ok.class);
      assertThat(c.call(new Request.Get(Key.of("k1"))).status()).isEqualTo(Status.NOT_FOUND);
      assertThat(c.call(new Request.Delete(Key.of("k1"))).status()).isEqualTo(Status.NOT_FOUND);
      assertThat(c.lastEpoch()).isEqualTo(node.topology().epoch()).isPositive();
    }
  }

  @Test
  void conditionalSets_ifAbsentAndIfPresent() {
    try (RawClient c = connect()) {
      assertThat(c.call(new Request.Set(Key.of("cond"), bytes("a"), 0, SetMode.IF_PRESENT))
          .status()).isEqualTo(Status.NOT_FOUND);
      assertThat(c.call(new Request.Set(Key.of("cond"), bytes("a"), 0, SetMode.IF_ABSENT))
          .status()).isEqualTo(Status.OK);
      assertThat(c.call(new Request.Set(Key.of("cond"), bytes("b"), 0, SetMode.IF_ABSENT))
          .status()).isEqualTo(Status.EXISTS);
      assertThat(c.call(new Request.Set(Key.of("cond"), bytes("c"), 0, SetMode.IF_PRESENT))
          .status()).isEqualTo(Status.OK);
      assertThat(((Response.Value) c.call(new Request.Get(Key.of("cond")))).value().toString())
          .isEqualTo("c");
    }
  }

  @Test
  void compareAndSet_matchesOnlyTheCurrentVersion() {
    try (RawClient c = connect()) {
      long v1 = ((Response.Stored) c.call(
          new Request.Set(Key.of("cas"), bytes("1"), 0, SetMode.ALWAYS))).version();
      Response ok = c.call(new Request.Cas(Key.of("cas"), v1, bytes("2"), 0));
      assertThat(ok).isInstanceOf(Response.Stored.class);
      long v2 = ((Response.Stored) ok).version();
      assertThat(v2).isGreaterThan(v1);
      Response stale = c.call(new Request.Cas(Key.of("cas"), v1, bytes("3"), 0));
      assertThat(stale).isInstanceOf(Response.Mismatch.class);
      assertThat(((Response.Mismatch) stale).currentVersion()).isEqualTo(v2);
      assertThat(c.call(new Request.Cas(Key.of("absent-cas"), 1, bytes("x"), 0)).status())
          .isEqualTo(Status.NOT_FOUND);
    }
  }

  @Test
  void increment_countsAndRejectsNonNumbers() {
    try (RawClient c = connect()) {
      assertThat(((Response.Counter) c.call(new Request.Increment(Key.of("n"), 5, 0))).value())
          .isEqualTo(5);
      assertThat(((Response.Counter) c.call(new Request.Increment(Key.of("n"), -2, 0))).value())
          .isEqualTo(3);
      c.call(new Request.Set(Key.of("word"), bytes("abc"), 0, SetMode.ALWAYS));
      Response bad = c.call(new Request.Increment(Key.of("word"), 1, 0));
      assertThat(bad.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(((Response.Failure) bad).message()).contains("abc");
    }
  }

  @Test
  void multiGetAndMultiSet_answerPerKeyInOrder() {
    try (RawClient c = connect()) {
      Response stored = c.call(new Request.MultiSet(List.of(
          new Request.MultiSet.Entry(Key.of("m1"), bytes("one"), 0),
          new Request.MultiSet.Entry(Key.of("m2"), bytes("two"), 0))));
      assertThat(((Response.StoredAll) stored).entries())
          .extracting(Response.StoredAll.Entry::status).containsExactly(Status.OK, Status.OK);
      Response values = c.call(new Request.MultiGet(List.of(Key.of("m2"), Key.of("none"),
          Key.of("m1"))));
      List<Response.Values.Entry> entries = ((Response.Values) values).entries();
      assertThat(entries).extracting(Response.Values.Entry::status)
          .containsExactly(Status.OK, Status.NOT_FOUND, Status.OK);
      assertThat(entries.get(0).value().toString()).isEqualTo("two");
      assertThat(entries.get(2).value().toString()).isEqualTo("one");
    }
  }

  @Test
  void ttl_expiresTheEntry() {
    try (RawClient c = connect()) {
      long setAt = System.nanoTime();
      c.call(new Request.Set(Key.of("short"), bytes("x"), 300, SetMode.ALWAYS));
      c.call(new Request.Set(Key.of("long"), bytes("y"), 60_000, SetMode.ALWAYS));
      Response live = c.call(new Request.Get(Key.of("short")));
      // Alive only when read within its 300 ms, which a loaded machine may not manage: checked
      // when the read came that soon (it always comes after the entry's clock started).
      if (System.nanoTime() - setAt < 300_000_000L) {
        assertThat(live.status()).isEqualTo(Status.OK);
        assertThat(((Response.Value) live).ttlMillis()).isBetween(1L, 300L);
      }
      c.call(new Request.Set(Key.of("no-ttl"), bytes("z"), 0, SetMode.ALWAYS));
      assertThat(((Response.Value) c.call(new Request.Get(Key.of("no-ttl")))).ttlMillis())
          .isEqualTo(-1);
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() ->
          c.call(new Request.Get(Key.of("short"))).status() == Status.NOT_FOUND);
      assertThat(c.call(new Request.Get(Key.of("long"))).status()).isEqualTo(Status.OK);
    }
  }

  @Test
  void expiredEntriesNobodyReads_areSweptFromTheStoreByTheNode() {
    try (RawClient c = connect()) {
      long before = node.store().stats().expirations();
      // Measured before the writes: on a loaded machine the sweep may take some of them before
      // a count after the writes could be read.
      long sizeBefore = node.store().size();
      for (int i = 0; i < 20; i++) {
        c.call(new Request.Set(Key.of("swept-" + i), bytes("x"), 200, SetMode.ALWAYS));
      }
      // Never read again and no cleanUp() here: only the node's periodic sweep can remove them,
      // and removing is what frees their memory (an expired entry is never returned either way).
      Awaitility.await().atMost(25, TimeUnit.SECONDS).until(() ->
          node.store().stats().expirations() - before >= 20
              && node.store().size() <= sizeBefore);
    }
  }

  @Test
  void pingHelloTopologyStats_answer() {
    try (RawClient c = connect()) {
      assertThat(c.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
      Response hello = c.call(new Request.Hello(1, "", "test"));
      assertThat(((Response.Hello) hello).nodeName()).isEqualTo(node.name());
      // Version 1 clients go on speaking version 1; newer ones get what the node speaks.
      assertThat(((Response.Hello) hello).protocolVersion()).isEqualTo(1);
      assertThat(((Response.Hello) c.call(new Request.Hello(2, "", "test"))).protocolVersion())
          .isEqualTo(2);
      assertThat(((Response.Hello) c.call(new Request.Hello(9, "", "test"))).protocolVersion())
          .isEqualTo(FrameCodec.PROTOCOL_VERSION);
      assertThat(c.call(new Request.Hello(0, "", "test")).status())
          .isEqualTo(Status.BAD_REQUEST);
      Response topology = c.call(new Request.GetTopology());
      assertThat(((Response.CurrentTopology) topology).topology().readRing().contains(node.name()))
          .isTrue();
      JsonObject stats = new JsonObject(((Response.Stats) c.call(new Request.GetStats())).json());
      assertThat(stats.getString("node")).isEqualTo(node.name());
      assertThat(stats.getJsonObject("requests").getLong("total")).isPositive();
    }
  }

  @Test
  void oversizedKeyAndValue_getTheirStatusAndTheConnectionKeepsServing() {
    try (RawClient c = connect()) {
      Response key = frameAnswer(c, 0x03, 41, keyBody(new byte[2000]));
      assertThat(key.status()).isEqualTo(Status.KEY_TOO_LARGE);
      assertThat(((Response.Failure) key).message()).contains("2000").contains("1024");

      Buffer body = keyBody("big".getBytes(StandardCharsets.UTF_8))
          .appendLong(0).appendByte((byte) 0).appendInt(2 << 20).appendBytes(new byte[2 << 20]);
      Response value = frameAnswer(c, 0x04, 42, body);
      assertThat(value.status()).isIn(Status.VALUE_TOO_LARGE, Status.FRAME_TOO_LARGE);

      try (RawClient other = connect()) {
        assertThat(other.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
      }
    }
  }

  @Test
  void unknownOpcode_isAnsweredAndTheConnectionStaysOpen() {
    try (RawClient c = connect()) {
      Response r = frameAnswer(c, 0x3F, 7, Buffer.buffer());
      assertThat(r.status()).isEqualTo(Status.UNKNOWN_OP);
      assertThat(((Response.Failure) r).message()).contains("0x3f");
      assertThat(c.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
    }
  }

  @Test
  void badUtf8Key_isBadRequest() {
    try (RawClient c = connect()) {
      Response r = frameAnswer(c, 0x03, 8, keyBody(new byte[] {(byte) 0xC3, (byte) 0x28}));
      assertThat(r.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(c.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
    }
  }

  @Test
  void malformedFrame_getsAnErrorAndTheConnectionIsClosedWhileOthersAreServed() {
    try (RawClient bad = connect(); RawClient good = connect()) {
      Future<Response> answer = bad.expect(0);
      bad.writeRaw(Buffer.buffer().appendInt(3).appendBytes(new byte[] {1, 2, 3}));
      assertThat(TestCluster.await(answer).status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(bad.awaitClosed(10)).isTrue();
      assertThat(good.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
    }
  }

  @Test
  void frameOverTheLimit_isRejectedFromItsHeader() {
    try (RawClient c = connect()) {
      Future<Response> answer = c.expect(9);
      Buffer header = Buffer.buffer().appendInt(Integer.MAX_VALUE).appendByte((byte) 0x04)
          .appendByte((byte) 0).appendByte((byte) 0).appendByte((byte) 0).appendInt(9)
          .appendLong(0);
      c.writeRaw(header);
      assertThat(TestCluster.await(answer).status()).isEqualTo(Status.FRAME_TOO_LARGE);
      assertThat(c.awaitClosed(10)).isTrue();
    }
  }

  @Test
  void connectionLimit_refusesExtraConnectionsWithBusy() {
    List<RawClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 60; i++) {
        clients.add(connect());
      }
      Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
          assertThat(clients.stream().filter(RawClient::isClosed).count())
              .as("refused connections closed; node counted open=%d accepted=%d rejected=%d",
                  node.stats().openConnections.get(), node.stats().connectionsAccepted.sum(),
                  node.stats().connectionsRejected.sum())
              .isGreaterThanOrEqualTo(10));
      assertThat(node.stats().connectionsRejected.sum()).isGreaterThanOrEqualTo(10);
    } finally {
      clients.forEach(RawClient::close);
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(node.stats().openConnections.get()).as("open connections").isZero());
    try (RawClient c = connect()) {
      assertThat(c.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
    }
  }

  @Test
  void writeFlood_staysWithinTheByteBoundAndCountsEvictions() {
    try (RawClient c = connect()) {
      Buffer value = Buffer.buffer(new byte[10_000]);
      List<Future<Response>> writes = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        writes.add(c.send(new Request.Set(Key.of("flood-" + i), value, 0, SetMode.ALWAYS)));
        if (writes.size() == 50) {
          writes.forEach(TestCluster::await);
          writes.clear();
        }
      }
      writes.forEach(TestCluster::await);
      node.store().cleanUp();
      StoreStats stats = node.store().stats();
      assertThat(stats.weightedBytes()).isLessThanOrEqualTo(STORE_BYTES);
      assertThat(stats.evictions()).isPositive();
      assertThat(c.call(new Request.Ping())).isInstanceOf(Response.Ok.class);
    }
  }

  @Test
  void peerOnlyFlagsFromAClient_areServedSafely() {
    try (RawClient c = connect()) {
      c.call(new Request.Set(Key.of("fwd"), bytes("v"), 0, SetMode.ALWAYS));
      assertThat(TestCluster.await(c.send(new Request.Get(Key.of("fwd")), Flags.FORWARDED))
          .status()).isEqualTo(Status.OK);
    }
  }

  // ------------------------------------------------------------------ raw frames

  private static Buffer keyBody(byte[] key) {
    return Buffer.buffer().appendUnsignedShort(key.length).appendBytes(key);
  }

  private static Buffer frame(int opcode, int id, Buffer body) {
    return Buffer.buffer().appendInt(Frame.MIN_LENGTH + body.length())
        .appendByte((byte) opcode).appendByte((byte) 0).appendByte((byte) 0)
        .appendByte((byte) 0).appendInt(id).appendLong(0).appendBuffer(body);
  }

  private static Response frameAnswer(RawClient c, int opcode, int id, Buffer body) {
    Future<Response> answer = c.expect(id);
    c.writeRaw(frame(opcode, id, body));
    return TestCluster.await(answer);
  }
}
