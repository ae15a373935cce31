package io.ringcache.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.server.ConnectionSettings;
import io.ringcache.node.testing.RawClient;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a connection may cost the node before it has proven anything: an auth-required node
 * limits frames until HELLO and waits for it only so long, and closes silent connections.
 */
class ConnectionGuardsTest {

  private static final String TOKEN = "guard-token";
  private static TestCluster cluster;
  private static CacheNode node;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        s.server().withSecurity(new AuthTokens(TOKEN, ""), NodeTls.off())
            .withConnections(new ConnectionSettings(1_500, 700)),
        s.store(), s.replicationFactor(), s.tokens(), s.eventLoops())).start(1);
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

  private static Request.Hello hello() {
    return new Request.Hello(FrameCodec.PROTOCOL_VERSION, TOKEN, "guards");
  }

  @Test
  void silentConnection_withAuthOn_isClosedAfterTheHelloTimeout() {
    try (RawClient c = connect()) {
      assertThat(c.awaitClosed(10)).as("closed for not sending HELLO").isTrue();
    }
  }

  @Test
  void largeFrameBeforeHello_isRefusedNamingTheLimit() {
    try (RawClient c = connect()) {
      Response r = c.call(new Request.Set(Key.of("k"), Buffer.buffer(new byte[100_000]), 0,
          SetMode.ALWAYS));
      assertThat(r.status()).isEqualTo(Status.FRAME_TOO_LARGE);
      assertThat(((Response.Failure) r).message()).contains("limit is 65536");
      assertThat(c.awaitClosed(10)).isTrue();
    }
  }

  @Test
  void afterHello_fullFrameLimitApplies_andTheHelloTimerIsOff() {
    try (RawClient c = connect()) {
      assertThat(c.call(hello()).status()).isEqualTo(Status.OK);
      Response r = c.call(new Request.Set(Key.of("big"), Buffer.buffer(new byte[100_000]), 0,
          SetMode.ALWAYS));
      assertThat(r.status()).isEqualTo(Status.OK);
      // A witness opened after c never authenticates: once its HELLO timer has closed it, the
      // timer c started earlier would have fired too.
      try (RawClient witness = connect()) {
        assertThat(witness.awaitClosed(10)).as("the witness closed by its HELLO timer").isTrue();
      }
      assertThat(c.isClosed()).as("closed although it authenticated").isFalse();
      assertThat(c.call(new Request.Get(Key.of("big"))).status()).isEqualTo(Status.OK);
    }
  }

  @Test
  void idleConnection_isClosedAfterTheIdleTimeout() {
    try (RawClient c = connect()) {
      assertThat(c.call(hello()).status()).isEqualTo(Status.OK);
      assertThat(c.awaitClosed(10)).as("closed after 1.5 s of silence").isTrue();
    }
  }

  @Test
  void multiGetWhoseAnswerExceedsTheFrameLimit_isAnsweredWithTheLimit() {
    try (RawClient c = connect()) {
      assertThat(c.call(hello()).status()).isEqualTo(Status.OK);
      byte[] v = new byte[700 * 1024];
      for (String k : new String[] {"mg-1", "mg-2"}) {
        assertThat(c.call(new Request.Set(Key.of(k), Buffer.buffer(v), 0, SetMode.ALWAYS))
            .status()).isEqualTo(Status.OK);
      }
      Response r = c.send(new Request.MultiGet(java.util.List.of(Key.of("mg-1"), Key.of("mg-2"))))
          .toCompletionStage().toCompletableFuture().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
          .join();
      assertThat(r.status()).isEqualTo(Status.FRAME_TOO_LARGE);
      assertThat(((Response.Failure) r).message()).contains("maxFrameBytes")
          .contains("fewer keys");
      assertThat(c.call(new Request.Get(Key.of("mg-1"))).status())
          .as("the connection keeps serving").isEqualTo(Status.OK);
    }
  }
}
