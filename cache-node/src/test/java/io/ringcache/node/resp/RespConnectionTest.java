package io.ringcache.node.resp;

import static io.ringcache.node.resp.RespTestSupport.respPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.CacheNode;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.ProtocolLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One connection's life on the wire, byte for byte: inline commands, RESP3 encodings, answers
 * in order up to a protocol error, QUIT, and the connection limit shared with the binary port.
 */
class RespConnectionTest {

  private static final int MAX_CONNECTIONS = 4;
  private static TestCluster cluster;
  private static CacheNode node;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(1, s -> s.withServer(new ServerSettings(s.server().nodeName(),
        s.server().host(), s.server().port(), s.server().httpPort(), true, false,
        MAX_CONNECTIONS, 1024, 2000, "", ProtocolLimits.defaults())
        .withRespPort(TestCluster.freePort()))).start(1);
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", respPort(node));
    s.setSoTimeout(10_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Reads exactly {@code expected.length()} bytes and returns them. */
  private static String read(Socket s, String expected) throws IOException {
    byte[] got = s.getInputStream().readNBytes(expected.length());
    return new String(got, StandardCharsets.ISO_8859_1);
  }

  private static String readToEnd(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void inlineCommands_typedAsInTelnet_areServed() throws IOException {
    try (Socket s = connect()) {
      send(s, "PING\r\nset inline-k \"two words\"\r\nget inline-k\r\nECHO hi\n");
      String expected = "+PONG\r\n+OK\r\n$9\r\ntwo words\r\n$2\r\nhi\r\n";
      assertThat(read(s, expected)).isEqualTo(expected);
    }
  }

  @Test
  void hello3_switchesEncodings_nullsAndMaps() throws IOException {
    try (Socket s = connect()) {
      send(s, "GET resp3-missing\r\nHELLO 3\r\n");
      assertThat(read(s, "$-1\r\n")).isEqualTo("$-1\r\n");
      String hello = read(s, "%7\r\n");
      assertThat(hello).isEqualTo("%7\r\n");
      send(s, "PING\r\n");
      // Skip the rest of HELLO's map: it ends before PING's answer.
      StringBuilder rest = new StringBuilder();
      while (!rest.toString().endsWith("+PONG\r\n")) {
        rest.append((char) s.getInputStream().read());
      }
      send(s, "GET resp3-missing\r\nCONFIG GET databases\r\n");
      String expected = "_\r\n%1\r\n$9\r\ndatabases\r\n$1\r\n1\r\n";
      assertThat(read(s, expected)).isEqualTo(expected);
    }
  }

  @Test
  void protocolError_answersEarlierCommandsThenTheErrorThenCloses() throws IOException {
    try (Socket s = connect()) {
      send(s, "*3\r\n$3\r\nSET\r\n$5\r\norder\r\n$1\r\n1\r\nGET order\r\n*1\r\n$x\r\nPING\r\n");
      assertThat(readToEnd(s)).isEqualTo(
          "+OK\r\n$1\r\n1\r\n-ERR Protocol error: invalid bulk length\r\n");
    }
  }

  @Test
  void quit_answersOkAndCloses_commandsAfterItAreNotRun() throws IOException {
    try (Socket s = connect()) {
      send(s, "SET quit-k before\r\nQUIT\r\nSET quit-k after\r\n");
      assertThat(readToEnd(s)).isEqualTo("+OK\r\n+OK\r\n");
    }
    try (Socket s = connect()) {
      send(s, "GET quit-k\r\n");
      assertThat(read(s, "$6\r\nbefore\r\n")).isEqualTo("$6\r\nbefore\r\n");
    }
  }

  @Test
  void connectionsOverMaxConnections_refusedAsRedis_othersServed() throws IOException {
    // Connections of earlier tests are closed by now on this side; wait until the node saw it.
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> node.stats().openConnections.get() == 0);
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        Socket s = connect();
        open.add(s);
        send(s, "PING\r\n");
        assertThat(read(s, "+PONG\r\n")).isEqualTo("+PONG\r\n");
      }
      try (Socket extra = connect()) {
        assertThat(readToEnd(extra)).isEqualTo("-ERR max number of clients reached\r\n");
      }
      send(open.get(0), "PING\r\n");
      assertThat(read(open.get(0), "+PONG\r\n")).isEqualTo("+PONG\r\n");
    } finally {
      for (Socket s : open) {
        s.close();
      }
      // The next test must not meet the limit these connections held until the node sees them go.
      Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> node.stats().openConnections.get() == 0);
    }
  }
}
