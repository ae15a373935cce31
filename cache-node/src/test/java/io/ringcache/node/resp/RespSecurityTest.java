package io.ringcache.node.resp;

import static io.ringcache.node.resp.RespTestSupport.respPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.ringcache.node.CacheNode;
import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.server.ConnectionSettings;
import io.ringcache.node.testing.TestCertificates;
import io.ringcache.node.testing.TestCluster;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One node with auth tokens and TLS on: the RESP port takes the binary port's tokens (AUTH,
 * AUTH default, HELLO 3 AUTH), requires TLS, bounds what an unauthenticated connection may send
 * and closes one that does not authenticate in time.
 */
class RespSecurityTest {

  private static final String PRIMARY = "primary-token";
  private static final String SECONDARY = "secondary-token";
  private static final long HELLO_TIMEOUT_MILLIS = 700;

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static TestCluster cluster;
  private static CacheNode node;

  @BeforeAll
  static void start() {
    certs = TestCertificates.selfSigned(dir, "node");
    cluster = new TestCluster(1, s -> s.withServer(s.server()
        .withSecurity(new AuthTokens(PRIMARY, SECONDARY), certs.nodeTls())
        .withConnections(new ConnectionSettings(60_000, HELLO_TIMEOUT_MILLIS))
        .withRespPort(TestCluster.freePort()))).start(1);
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Jedis jedis(String password) {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .ssl(true).sslSocketFactory(certs.sslContext().getSocketFactory())
        .socketTimeoutMillis(10_000);
    if (password != null) {
      config.password(password);
    }
    return new Jedis(new HostAndPort("127.0.0.1", respPort(node)), config.build());
  }

  @Test
  void beforeAuth_dataCommands_answerNoauth() {
    try (Jedis jedis = jedis(null)) {
      assertThatThrownBy(() -> jedis.get("k")).isInstanceOf(JedisDataException.class)
          .hasMessage("NOAUTH Authentication required.");
      assertThatThrownBy(jedis::ping).as("PING too, as in Redis")
          .hasMessage("NOAUTH Authentication required.");
    }
  }

  @Test
  void auth_wrongTokenThenPrimaryOrSecondary_served() {
    try (Jedis jedis = jedis(null)) {
      assertThatThrownBy(() -> jedis.auth("wrong"))
          .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
      assertThatThrownBy(() -> jedis.auth("alice", PRIMARY))
          .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
      assertThat(jedis.auth("default", PRIMARY)).isEqualTo("OK");
      assertThat(jedis.set("secure-k", "v")).isEqualTo("OK");
      assertThat(jedis.get("secure-k")).isEqualTo("v");
    }
    try (Jedis jedis = jedis(SECONDARY)) {
      assertThat(jedis.get("secure-k")).as("the secondary token during a rotation")
          .isEqualTo("v");
    }
  }

  @Test
  void lettuce_hello3WithAuthOverTls_served() throws Exception {
    RedisClient client = RedisClient.create();
    try {
      client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3)
          .sslOptions(SslOptions.builder().jdkSslProvider()
              .trustManager(certs.cert().toFile()).build())
          .build());
      RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(respPort(node))
          .withSsl(true).withVerifyPeer(false).withAuthentication("default", PRIMARY)
          .withTimeout(Duration.ofSeconds(20)).build();
      try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
        assertThat(c.async().set("lettuce-secure", "v").get(20, TimeUnit.SECONDS))
            .isEqualTo("OK");
        assertThat(c.async().get("lettuce-secure").get(20, TimeUnit.SECONDS)).isEqualTo("v");
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void unauthenticated_largeBulk_refusedAtRedisPreAuthBound() throws Exception {
    try (SSLSocket s = tlsSocket()) {
      s.getOutputStream().write("*2\r\n$4\r\nAUTH\r\n$100000\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(s.getInputStream())).isEqualTo("-ERR Protocol error: invalid bulk"
          + " length: 100000 bytes, limit is 16384 (before AUTH)\r\n");
    }
  }

  @Test
  void unauthenticated_silent_closedAfterHelloTimeout() throws Exception {
    try (SSLSocket s = tlsSocket()) {
      s.startHandshake();
      assertThat(readAll(s.getInputStream())).isEqualTo("-NOAUTH not authenticated within "
          + HELLO_TIMEOUT_MILLIS + " ms (helloTimeout)\r\n");
    }
  }

  @Test
  void reset_dropsAuthentication_andRestartsTheClock() throws Exception {
    try (SSLSocket s = tlsSocket()) {
      s.getOutputStream().write(("AUTH " + PRIMARY + "\r\nSET reset-k v\r\nRESET\r\n"
          + "GET reset-k\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(s.getInputStream())).isEqualTo("+OK\r\n+OK\r\n+RESET\r\n"
          + "-NOAUTH Authentication required.\r\n-NOAUTH not authenticated within "
          + HELLO_TIMEOUT_MILLIS + " ms (helloTimeout)\r\n");
    }
  }

  @Test
  void plaintextClient_onTlsPort_getsNoAnswer_nodeServesOthers() throws Exception {
    try (Socket s = new Socket("127.0.0.1", respPort(node))) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = readAll(s.getInputStream());
      assertThat(answer).doesNotContain("PONG");
    } catch (java.io.IOException e) {
      // A reset is as good as silence: nothing was served in plain text.
    }
    try (Jedis jedis = jedis(PRIMARY)) {
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
  }

  private static SSLSocket tlsSocket() throws Exception {
    SSLSocket s = (SSLSocket) certs.sslContext().getSocketFactory()
        .createSocket("127.0.0.1", respPort(node));
    s.setSoTimeout(10_000);
    return s;
  }

  /** Everything until the node closes the connection. */
  private static String readAll(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
