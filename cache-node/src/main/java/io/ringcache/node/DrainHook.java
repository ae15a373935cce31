package io.ringcache.node;

import io.ringcache.node.config.ConfigLoader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A Kubernetes {@code preStop} hook (or any supervisor's stop step): asks the node in this
 * container to drain through {@code POST /v1/admin/drain} on 127.0.0.1, then waits until the node
 * has handed its ranges over and exited, so the pod's SIGTERM finds nothing left to do.
 *
 * <pre>java -Xmx32m -cp /opt/ringcache/cache-node.jar io.ringcache.node.DrainHook</pre>
 *
 * It reads the node's own {@code RINGCACHE_HTTP_PORT}, {@code RINGCACHE_AUTH_TOKEN} and {@code
 * RINGCACHE_DRAIN_TIMEOUT} from the environment the container shares with the node; flags and
 * config files are not read, so set those three through the environment. Exit codes: 0 when the
 * node exited, 3 when it was still answering after the drain timeout plus 10 s, 1 when it
 * refused the request (a wrong token, say), 2 for a bad drain timeout. A node that is not running is a success: there is
 * nothing to drain.
 */
public final class DrainHook {

  private static final Duration POLL = Duration.ofMillis(500);

  private DrainHook() {}

  public static void main(String[] args) throws InterruptedException {
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
    URI base = URI.create("http://127.0.0.1:" + port.strip());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
}
