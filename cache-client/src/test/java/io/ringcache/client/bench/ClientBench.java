package io.ringcache.client.bench;

import io.ringcache.client.CacheClient;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * GET and SET throughput and latency through the async API, with a fixed number of calls in
 * flight: each completion starts the next call, so the window stays full.
 *
 * <pre>
 *   ClientBench --seeds 127.0.0.1:7101[,host:port...] [--seconds 10] [--inflight 64]
 *               [--value-bytes 100] [--keys 10000] [--connections 1] [--event-loops 1]
 * </pre>
 *
 * The bench measures the client, not itself: key strings are built once before the run (as
 * {@code NodeLoad} builds its keys), and latencies (ns) go into an HdrHistogram {@link Recorder}
 * (constant time, no allocation per value, safe from any thread) rather than into an array sorted
 * at the end, whose sort showed on top of an earlier profile. The first second of each phase is
 * warm-up and not recorded. Prints one line per phase.
 */
public final class ClientBench {

  private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

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
            + "; options: --seeds --seconds --inflight --value-bytes --keys --connections"
            + " --event-loops");
      }
      i++;
    }
    String[] names = new String[keys];
    for (int i = 0; i < keys; i++) {
      names[i] = "bench-" + i;
    }
    try (CacheClient client = CacheClient.builder().seeds(seeds.split(","))
        .connectionsPerNode(connections).eventLoops(eventLoops)
        .requestTimeout(Duration.ofSeconds(5)).build()) {
      byte[] value = new byte[valueBytes];
      new SplittableRandom(1).nextBytes(value);
      System.out.printf(Locale.ROOT,
          "seeds=%s inflight=%d value=%dB keys=%d connections=%d eventLoops=%d%n",
          seeds, inflight, valueBytes, keys, connections, eventLoops);
      run("SET", client, seconds, inflight, names, value);
      run("GET", client, seconds, inflight, names, value);
    }
  }

  private static void run(String op, CacheClient client, int seconds, int inflight,
      String[] names, byte[] value) throws InterruptedException {
    boolean set = op.equals("SET");
    Recorder latencies = new Recorder(MAX_LATENCY_NANOS, 3);
    LongAdder completed = new LongAdder();
    LongAdder errors = new LongAdder();
    long start = System.nanoTime();
    long recordFrom = start + 1_000_000_000L;
    long end = recordFrom + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(inflight);
    Slot[] slots = new Slot[inflight];
    for (int w = 0; w < inflight; w++) {
      slots[w] = new Slot(client, set, names, value, new SplittableRandom(w), recordFrom, end,
          latencies, completed, errors, done);
    }
    latencies.reset();
    for (Slot s : slots) {
      s.next();
    }
    done.await();
    Histogram h = latencies.getIntervalHistogram();
    double elapsed = (end - recordFrom) / 1e9;
    System.out.printf(Locale.ROOT,
        "%s: %,.0f ops/s  p50=%s p90=%s p99=%s p99.9=%s max=%s  errors=%d%n", op,
        completed.sum() / elapsed, us(h, 50), us(h, 90), us(h, 99), us(h, 99.9),
        h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.0fus", h.getMaxValue() / 1e3),
        errors.sum());
  }

  /** One call in flight at a time; its completion starts the next. */
  private static final class Slot implements BiConsumer<Object, Throwable> {
    private final CacheClient client;
    private final boolean set;
    private final String[] names;
    private final byte[] value;
    private final SplittableRandom random;
    private final long recordFrom;
    private final long end;
    private final Recorder latencies;
    private final LongAdder completed;
    private final LongAdder errors;
    private final CountDownLatch done;
    private long t0;

    Slot(CacheClient client, boolean set, String[] names, byte[] value, SplittableRandom random,
        long recordFrom, long end, Recorder latencies, LongAdder completed, LongAdder errors,
        CountDownLatch done) {
      this.client = client;
      this.set = set;
      this.names = names;
      this.value = value;
      this.random = random;
      this.recordFrom = recordFrom;
      this.end = end;
      this.latencies = latencies;
      this.completed = completed;
      this.errors = errors;
      this.done = done;
    }

    void next() {
      t0 = System.nanoTime();
      if (t0 >= end) {
        done.countDown();
        return;
      }
      String key = names[random.nextInt(names.length)];
      CompletionStage<?> call = set ? client.put(key, value) : client.get(key);
      call.whenComplete(this);
    }

    @Override
    public void accept(Object result, Throwable error) {
      long t1 = System.nanoTime();
      if (error != null) {
        errors.increment();
      } else if (t0 >= recordFrom) {
        completed.increment();
        latencies.recordValue(Math.min(t1 - t0, MAX_LATENCY_NANOS));
      }
      next();
    }
  }

  private static String us(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-"
        : String.format(Locale.ROOT, "%.0fus", h.getValueAtPercentile(percentile) / 1e3);
  }
}
