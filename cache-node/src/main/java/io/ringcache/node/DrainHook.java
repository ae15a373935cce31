package io.ringcache.node;

import io.ringcache.node.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A Kubernetes {@code preStop} hook (or any supervisor's stop step): asks the node in this
 * container to drain through {@code POST /v1/admin/drain} on 127.0.0.1, then waits until the node
 * has handed its ranges over and exited, so the pod's SIGTERM finds nothing left to do.
 *
 * <pre>java -Xmx32m -cp /opt/ringcache/cache-node.jar io.ringcache.node.DrainHook</pre>
 *
 * It reads the node's own {@code RINGCACHE_HTTP_PORT}, {@code RINGCACHE_AUTH_TOKEN}, {@code
 * RINGCACHE_DRAIN_TIMEOUT} and, when the HTTP port requires TLS, {@code RINGCACHE_TLS_TRUST} from
 * the environment the container shares with the node; flags and config files are not read, so set
 * those through the environment. Over TLS it trusts the node's CA file and skips the host-name
 * check: it only ever talks to 127.0.0.1, which node certificates rarely name. Exit codes: 0 when the
 * node exited, 3 when it was still answering after the drain timeout plus 10 s, 1 when it
 * refused the request (a wrong token, say), 2 for a bad drain timeout or trust file. A node that is not running is a success: there is
 * nothing to drain.
 */
public final class DrainHook {

  private static final Duration POLL = Duration.ofMillis(500);

  private DrainHook() {}

  public static void main(String[] args) throws InterruptedException {
    // Read once when the JDK's HTTP client loads, so before it is first used.
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    System.exit(run(System.getenv()));
  }

  static int run(Map<String, String> env) throws InterruptedException {
    String port = env.getOrDefault("RINGCACHE_HTTP_PORT", "8080");
    String token = env.getOrDefault("RINGCACHE_AUTH_TOKEN", "");
    Duration timeout;
    try {
      timeout = ConfigLoader.parseDuration(env.getOrDefault("RINGCACHE_DRAIN_TIMEOUT", "60s"));
    } catch (IllegalArgumentException e) {
      System.err.println("drain-hook: RINGCACHE_DRAIN_TIMEOUT: " + e.getMessage());
      return 2;
    }
    String trust = env.getOrDefault("RINGCACHE_TLS_TRUST", "").strip();
    boolean tls = !env.getOrDefault("RINGCACHE_TLS_CERT", "").isBlank();
    URI base = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port.strip());
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls) {
      try {
        builder.sslContext(trusting(Path.of(trust)));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        System.err.println("drain-hook: RINGCACHE_TLS_TRUST: cannot use '" + trust + "': " + e);
        return 2;
      }
    }
    HttpClient http = builder.build();

    HttpRequest.Builder drain = HttpRequest.newBuilder(base.resolve("/v1/admin/drain"))
        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody());
    if (!token.isEmpty()) {
      drain.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> answer = http.send(drain.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() / 100 != 2) {
        System.err.println("drain-hook: the node refused to drain: HTTP " + answer.statusCode()
            + " " + answer.body());
        return 1;
      }
    } catch (ConnectException e) {
      System.err.println("drain-hook: no node on " + base + ": nothing to drain");
      return 0;
    } catch (IOException e) {
      System.err.println("drain-hook: drain request failed: " + e);
      return 1;
    }
    System.err.println("drain-hook: draining, waiting up to " + timeout.toSeconds() + " s");

    long deadline = System.nanoTime() + timeout.plusSeconds(10).toNanos();
    HttpRequest live = HttpRequest.newBuilder(base.resolve("/health/live"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      try {
        http.send(live, HttpResponse.BodyHandlers.discarding());
      } catch (ConnectException e) {
        System.err.println("drain-hook: the node drained and exited");
        return 0;
      } catch (IOException e) {
        // A request cut short while the node closes its port: look again.
      }
      Thread.sleep(POLL.toMillis());
    }
    System.err.println("drain-hook: the node still answers after the drain timeout");
    return 3;
  }

  /** An SSL context trusting exactly the certificates in {@code pem}. */
  private static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
