package io.ringcache.client;

import static io.ringcache.client.Clients.failure;
import static io.ringcache.client.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.CacheNode;
import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.testing.TestCertificates;
import io.ringcache.node.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against two nodes that require TLS and a token. */
class ClientTlsTest {

  private static final String TOKEN = "tls-test-token";

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    certs = TestCertificates.selfSigned(dir, "nodes");
    cluster = new TestCluster(1, s -> new CacheNode.Settings(s.cluster(),
        s.server().withSecurity(new AuthTokens(TOKEN, ""), certs.nodeTls()), s.store(),
        s.replicationFactor(), s.tokens(), s.eventLoops())).start(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void tls_trustedCertificate_everyNodeServesOverTls() {
    try (CacheClient client = Clients.builderFor(cluster).authToken(TOKEN).tls(certs.cert())
        .build()) {
      long before = Clients.requests(cluster);
      long forwardedBefore = Clients.forwarded(cluster);
      for (int i = 0; i < 20; i++) {
        join(client.put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < 20; i++) {
        byte[] expected = ("v" + i).getBytes(StandardCharsets.UTF_8);
        assertThat(join(client.get("k" + i))).hasValueSatisfying(
            v -> assertThat(v.value()).isEqualTo(expected));
      }
      assertThat(Clients.requests(cluster)).isGreaterThanOrEqualTo(before + 40);
      for (CacheNode n : cluster.nodes()) {
        assertThat(n.stats().requests.sum()).as("requests served by %s", n.name()).isPositive();
      }
      assertThat(Clients.forwarded(cluster)).as("the client routes each key to its owner")
          .isEqualTo(forwardedBefore);
    }
  }

  @Test
  void plainTextClient_tlsNodes_refused_tlsClientStillServed() {
    try (CacheClient plain = Clients.builderFor(cluster).authToken(TOKEN)
        .requestTimeout(Duration.ofMillis(500)).maxRetries(1).build()) {
      Throwable e = failure(plain.get("k"));
      assertThat(e).isInstanceOf(CacheException.class);
      assertThat(((CacheException) e).status())
          .isIn(FailureStatus.UNAVAILABLE, FailureStatus.TIMEOUT);
    }
    try (CacheClient tls = Clients.builderFor(cluster).authToken(TOKEN).tls(certs.cert())
        .build()) {
      join(tls.put("after-plain", new byte[] {1}));
      assertThat(join(tls.get("after-plain"))).isPresent();
    }
  }

  @Test
  void tls_untrustedCertificate_refused() {
    TestCertificates other = TestCertificates.selfSigned(dir, "other");
    try (CacheClient client = Clients.builderFor(cluster).authToken(TOKEN).tls(other.cert())
        .requestTimeout(Duration.ofMillis(500)).maxRetries(1).build()) {
      Throwable e = failure(client.get("k"));
      assertThat(e).isInstanceOf(CacheUnavailableException.class);
    }
  }

  @Test
  void tls_rightCertificateWrongToken_authFailed() {
    try (CacheClient client = Clients.builderFor(cluster).authToken("guess").tls(certs.cert())
        .build()) {
      Throwable e = failure(client.get("k"));
      assertThat(((CacheException) e).status()).isEqualTo(FailureStatus.AUTH_FAILED);
    }
  }
}
