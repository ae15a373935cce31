package io.ringcache.loadtest.abuse;

import io.ringcache.client.CacheClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary client on its own connections that writes and reads back one key in a loop while
 * an abuse case runs, so a case can show that the abuser cost only itself. Every call must
 * succeed with the value just written, within the client's request timeout and retries.
 */
final class Canary implements AutoCloseable {

  private final CacheClient client;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "abuse-canary");
    t.setDaemon(true);
    return t;
  });
  private final List<String> failures = new ArrayList<>();
  private final ScheduledFuture<?> loop;
  private final String key;
  private volatile long calls;
  private volatile long slowestNanos;

  /** Starts a put and a read-back of {@code key} through {@code seed} every 10 ms. */
  Canary(String seed, String key) {
    this.key = key;
    this.client = CacheClient.builder().seeds(seed).requestTimeout(Duration.ofSeconds(2))
        .maxRetries(3).clientName("abuse-canary").build();
    this.loop = thread.scheduleWithFixedDelay(this::once, 0, 10, TimeUnit.MILLISECONDS);
  }

  private void once() {
    byte[] value = ("canary-" + calls).getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    try {
      client.blocking().put(key, value);
      byte[] read = client.blocking().get(key).orElseThrow().value();
      if (!Arrays.equals(read, value)) {
        record("read " + new String(read, StandardCharsets.UTF_8) + " after writing "
            + new String(value, StandardCharsets.UTF_8));
      }
    } catch (RuntimeException e) {
      record(e.toString());
    }
    slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
    calls++;
  }

  private synchronized void record(String failure) {
    if (failures.size() < 20) {
      failures.add(failure);
    }
  }

  /** Stops the loop and returns what went wrong (empty when every call succeeded). */
  List<String> stop() throws Exception {
    loop.cancel(false);
    thread.submit(() -> { }).get(30, TimeUnit.SECONDS);
    synchronized (this) {
      return List.copyOf(failures);
    }
  }

  long calls() {
    return calls;
  }

  Duration slowest() {
    return Duration.ofNanos(slowestNanos);
  }

  @Override
  public void close() {
    loop.cancel(false);
    client.close();
    thread.shutdownNow();
  }
}
