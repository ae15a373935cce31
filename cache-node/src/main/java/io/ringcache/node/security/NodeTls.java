package io.ringcache.node.security;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A node's TLS material, PEM files, and how each of its connections uses it.
 *
 * <h2>Design</h2>
 * One certificate and key serve every server socket of the node: the client port, the HTTP
 * port and the clustered event bus. When TLS is on it is required there; a plain-text connection
 * fails the handshake. One CA bundle ({@link #trust()}) verifies other nodes: the certificate a
 * peer's client port presents when this node forwards, replicates or transfers to it, and both
 * sides of every event-bus connection (the event bus requires a client certificate, so only
 * holders of a certificate issued by that CA can send control-plane messages).
 *
 * <p>Between nodes the certificate chain is verified, the host name is not: nodes reach each
 * other by the advertised {@code host}, often an IP address or a pod address that certificates
 * rarely name, and the trust bundle is meant to be a private CA that issues node certificates
 * only. Clients verify host names by default ({@code docs/security.md}).
 */
public final class NodeTls {

  private static final NodeTls OFF = new NodeTls(null, null, null);

  private final Path cert;
  private final Path key;
  private final Path trust;

  private NodeTls(Path cert, Path key, Path trust) {
    this.cert = cert;
    this.key = key;
    this.trust = trust;
  }

  /** Plain text everywhere. */
  public static NodeTls off() {
    return OFF;
  }

  /**
   * TLS on every port of the node.
   *
   * @param cert PEM certificate chain, this node's certificate first
   * @param key PEM private key of that certificate (PKCS#8, unencrypted)
   * @param trust PEM CA certificates that issued the other nodes' certificates
   */
  public static NodeTls of(Path cert, Path key, Path trust) {
    return new NodeTls(Objects.requireNonNull(cert, "cert"), Objects.requireNonNull(key, "key"),
        Objects.requireNonNull(trust, "trust"));
  }

  public boolean enabled() {
    return cert != null;
  }

  public Path cert() {
    return cert;
  }

  public Path key() {
    return key;
  }

  public Path trust() {
    return trust;
  }

  /** {@code options} requiring TLS with this node's certificate; unchanged when off. */
  public <T extends NetServerOptions> T server(T options) {
    if (enabled()) {
      options.setSsl(true);
      options.setKeyCertOptions(keyCert());
    }
    return options;
  }

  /** {@code options} for connections to other nodes' client ports; unchanged when off. */
  public NetClientOptions peerClient(NetClientOptions options) {
    if (enabled()) {
      options.setSsl(true).setTrustOptions(trustOptions())
          // Chain only; see the class comment.
          .setHostnameVerificationAlgorithm("");
    }
    return options;
  }

  /** {@code options} with mutual TLS on the clustered event bus; unchanged when off. */
  public EventBusOptions eventBus(EventBusOptions options) {
    if (enabled()) {
      options.setSsl(true)
          .setKeyCertOptions(keyCert())
          .setTrustOptions(trustOptions())
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
  }

  private PemTrustOptions trustOptions() {
    return new PemTrustOptions().addCertPath(trust.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeTls t && Objects.equals(cert, t.cert) && Objects.equals(key, t.key)
        && Objects.equals(trust, t.trust);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cert, key, trust);
  }

  @Override
  public String toString() {
    return enabled() ? "NodeTls[cert=" + cert + ", key=" + key + ", trust=" + trust + "]"
        : "NodeTls[off]";
  }
}
