package io.ringcache.node;

import io.ringcache.protocol.Durations;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import javax.net.ssl.SSLSocket;
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
 *
 * <p>While it waits it reads the node's {@code GET /v1/stats} once a second and prints the drain's
 * proof when it changes: the node exits only after every new owner's digests of the ranges it
 * handed off equal its own ({@code docs/rebalancing.md}, "The drain proof"), so the last proof
 * printed before "drained and exited" says what was proven.
 */
public final class DrainHook {

  private DrainHook() {}

  public static void main(String[] args) {
    // Read once when the JDK's HTTP client loads, so before it is first used.
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    System.exit(run(System.getenv()));
  }

  static int run(Map<String, String> env) {
    String port = env.getOrDefault("RINGCACHE_HTTP_PORT", "8080");
    String token = env.getOrDefault("RINGCACHE_AUTH_TOKEN", "");
    Duration timeout;
    try {
      timeout = Durations.parse(env.getOrDefault("RINGCACHE_DRAIN_TIMEOUT", "60s"));
    } catch (IllegalArgumentException e) {
      System.err.println("drain-hook: RINGCACHE_DRAIN_TIMEOUT: " + e.getMessage());
      return 2;
    }
    String trust = env.getOrDefault("RINGCACHE_TLS_TRUST", "").strip();
    boolean tls = !env.getOrDefault("RINGCACHE_TLS_CERT", "").isBlank();
    URI base = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port.strip());
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    SSLContext ssl = null;
    if (tls) {
      try {
        ssl = trusting(Path.of(trust));
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        System.err.println("drain-hook: RINGCACHE_TLS_TRUST: cannot use '" + trust + "': " + e);
        return 2;
      }
      builder.sslContext(ssl);
    }
    HttpClient http = builder.build();

    // Opened before the drain is asked for, so the node cannot be gone before we watch it.
    Socket watch;
    try {
      watch = watch(ssl, Integer.parseInt(port.strip()));
    } catch (IOException | NumberFormatException e) {
      System.err.println("drain-hook: no node on " + base + " (" + e.getMessage()
          + "): nothing to drain");
      return 0;
    }
    try (watch) {
      HttpRequest.Builder drain = HttpRequest.newBuilder(base.resolve("/v1/admin/drain"))
          .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody());
      if (!token.isEmpty()) {
        drain.header("Authorization", "Bearer " + token);
      }
      try {
        HttpResponse<String> answer =
            http.send(drain.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
          System.err.println("drain-hook: the node refused to drain: HTTP "
              + answer.statusCode() + " " + answer.body());
          return 1;
        }
      } catch (ConnectException e) {
        System.err.println("drain-hook: the node went away before the drain request");
        return 0;
      } catch (IOException e) {
        System.err.println("drain-hook: drain request failed: " + e);
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        System.err.println("drain-hook: interrupted before the node answered");
        return 1;
      }
      System.err.println("drain-hook: draining, waiting up to " + timeout.toSeconds() + " s");
      long deadline = System.nanoTime() + timeout.plusSeconds(10).toNanos();
      String proof = "";
      try {
        // The node never writes on this idle connection; it ends when the node's process does.
        watch.setSoTimeout(1_000);
        while (true) {
          try {
            watch.getInputStream().read();
            break;
          } catch (SocketTimeoutException e) {
            if (System.nanoTime() - deadline > 0) {
              throw e;
            }
            String now = proof(http, base, token);
            if (!now.isEmpty() && !now.equals(proof)) {
              proof = now;
              System.err.println("drain-hook: hand-off proof: " + proof);
            }
          }
        }
        System.err.println("drain-hook: the node drained and exited");
        return 0;
      } catch (SocketTimeoutException e) {
        // Falls through to the timeout report.
      } catch (IOException e) {
        System.err.println("drain-hook: the node drained and exited");
        return 0;
      }
    } catch (IOException e) {
      // Closing the watch connection failed; nothing to do about it.
    }
    System.err.println("drain-hook: the node still answers after the drain timeout");
    return 3;
  }

  /**
   * The drain proof in the node's {@code /v1/stats} as one line, or "" when there is none yet or
   * the node did not answer.
   */
  private static String proof(HttpClient http, URI base, String token) {
    HttpRequest.Builder stats = HttpRequest.newBuilder(base.resolve("/v1/stats"))
        .timeout(Duration.ofSeconds(1)).GET();
    if (!token.isEmpty()) {
      stats.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> answer = http.send(stats.build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return "";
      }
      JsonObject rebalance = new JsonObject(answer.body()).getJsonObject("rebalance");
      JsonObject p = rebalance == null ? null : rebalance.getJsonObject("drainProof");
      if (p == null) {
        return "";
      }
      return String.format("%s at epoch %d: %d ranges, %d entries, digest %s, %d/%d (range,"
              + " target) digests matched, %d entries repaired, %d attempts",
          p.getString("status"), p.getLong("epoch"), p.getInteger("ranges"),
          p.getLong("entries"), p.getString("digest"), p.getLong("rangeTargetsMatched"),
          p.getLong("rangeTargets"), p.getLong("entriesRepaired"), p.getInteger("attempts"));
    } catch (IOException | RuntimeException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /**
   * An idle connection to the node's HTTP port, TLS handshake done so the node's handshake
   * timeout does not close it.
   */
  private static Socket watch(SSLContext ssl, int port) throws IOException {
    Socket socket = ssl == null ? new Socket() : ssl.getSocketFactory().createSocket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      if (socket instanceof SSLSocket tlsSocket) {
        tlsSocket.setSoTimeout(5_000);
        tlsSocket.startHandshake();
      }
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
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
