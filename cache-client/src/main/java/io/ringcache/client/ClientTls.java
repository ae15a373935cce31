package io.ringcache.client;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;

/**
 * How the client reaches nodes: plain text, or TLS trusting either the JVM's default CAs or the
 * PEM certificates in {@code trust}, with or without host-name verification.
 *
 * @param enabled whether to use TLS
 * @param trust PEM CA certificates to trust, or {@code null} for the JVM's default trust store
 * @param verifyHostname whether a node's certificate must name the host the client dialled
 */
record ClientTls(boolean enabled, Path trust, boolean verifyHostname) {

  static final ClientTls OFF = new ClientTls(false, null, true);

  /** {@code options} set up for this transport. */
  NetClientOptions apply(NetClientOptions options) {
    if (!enabled) {
      return options;
    }
    options.setSsl(true).setHostnameVerificationAlgorithm(verifyHostname ? "HTTPS" : "");
    if (trust != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(trust.toString()));
    }
    return options;
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "tls=off";
    }
    return "tls=" + (trust == null ? "default trust" : trust) + ", hostnameVerification="
        + verifyHostname;
  }
}
