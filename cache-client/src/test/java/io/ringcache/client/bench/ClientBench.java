package io.ringcache.client.bench;

import io.ringcache.client.CacheClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GET and SET throughput and latency through the async API, with a fixed number of calls in
 * flight: each completion starts the next call, so the window stays full.
 *
 * <pre>
 *   ClientBench --seeds 127.0.0.1:7101[,host:port...] [--seconds 10] [--inflight 64]
 *               [--value-bytes 100] [--keys 10000] [--connections 1]
 * </pre>
 *
 * Latencies (ns) of every call are recorded into a preallocated array and sorted at the end; the
 * first second of each phase is warm-up and not recorded. Prints one line per phase.
 */
public final class ClientBench {

  private static final int MAX_SAMPLES = 4_000_000;

  public static void main(String[] args) throws Exception {
    String seeds = "127.0.0.1:7101";
    int seconds = 10;
    int inflight = 64;
    int valueBytes = 100;
    int keys = 10_000;
    int connections = 1;
    int eventLoops = 1;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--seeds" -> seeds = v;
        case "--seconds" -> seconds = Integer.parseInt(v);
        case "--inflight" -> inflight = Integer.parseInt(v);
        case "--value-bytes" -> valueBytes = Integer.parseInt(v);
        case "--keys" -> keys = Integer.parseInt(v);
        case "--connections" -> connections = Integer.parseInt(v);
        case "--event-loops" -> eventLoops = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --seeds --seconds --inflight --value-bytes --keys --connections");
      }
      i++;
    }
    try (CacheClient client = CacheClient.builder().seeds(seeds.split(","))
        .connectionsPerNode(connections).eventLoops(eventLoops)
        .requestTimeout(Duration.ofSeconds(5)).build()) {
      byte[] value = new byte[valueBytes];
      new SplittableRandom(1).nextBytes(value);
      System.out.printf(Locale.ROOT,
          "seeds=%s inflight=%d value=%dB keys=%d connections=%d eventLoops=%d%n",
          seeds, inflight, valueBytes, keys, connections, eventLoops);
      run("SET", client, seconds, inflight, keys, value);
      run("GET", client, seconds, inflight, keys, value);
    }
  }

  private static void run(String op, CacheClient client, int seconds, int inflight, int keys,
      byte[] value) throws InterruptedException {
    long[] samples = new long[MAX_SAMPLES];
    AtomicLong recorded = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long recordFrom = start + 1_000_000_000L;
    long end = recordFrom + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(inflight);
    List<Runnable> loops = new ArrayList<>();
    for (int w = 0; w < inflight; w++) {
      SplittableRandom random = new SplittableRandom(w);
      loops.add(new Runnable() {
        @Override
        public void run() {
          long t0 = System.nanoTime();
          if (t0 >= end) {
            done.countDown();
            return;
          }
          String key = "bench-" + random.nextInt(keys);
          CompletableFuture<?> call = op.equals("SET")
              ? client.put(key, value).toCompletableFuture()
              : client.get(key).toCompletableFuture();
          call.whenComplete((r, e) -> {
            long t1 = System.nanoTime();
            if (e != null) {
              errors.incrementAndGet();
            } else if (t0 >= recordFrom) {
              // Throughput counts every completion; latency keeps the first MAX_SAMPLES.
              completed.incrementAndGet();
              long slot = recorded.getAndIncrement();
              if (slot < samples.length) {
                samples[(int) slot] = t1 - t0;
              }
            }
            this.run();
          });
        }
      });
    }
    loops.forEach(Runnable::run);
    done.await();
    int n = (int) Math.min(recorded.get(), samples.length);
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    double elapsed = (end - recordFrom) / 1e9;
    System.out.printf(Locale.ROOT,
        "%s: %,.0f ops/s  p50=%s p90=%s p99=%s p99.9=%s max=%s  errors=%d%n", op,
        completed.get() / elapsed,
        us(sorted, 0.50), us(sorted, 0.90), us(sorted, 0.99), us(sorted, 0.999),
        n == 0 ? "-" : String.format(Locale.ROOT, "%.0fus", sorted[n - 1] / 1e3), errors.get());
  }

  private static String us(long[] sorted, double q) {
    if (sorted.length == 0) {
      return "-";
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return String.format(Locale.ROOT, "%.0fus", sorted[Math.max(0, i)] / 1e3);
  }
}
