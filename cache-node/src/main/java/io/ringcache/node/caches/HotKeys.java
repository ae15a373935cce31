package io.ringcache.node.caches;

import io.ringcache.protocol.Key;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The keys this node serves most, from a sample of its requests: a count-min sketch of
 * {@value #ROWS} rows of {@value #WIDTH} counters (256 KiB) and the {@value #TOP} keys with the
 * highest estimates, over one window (a second, {@link #roll}).
 *
 * <h2>Design</h2>
 * One request in {@value #SAMPLE} is counted: a hot key is one of thousands of requests a second,
 * so the sample finds it, and the request path pays a random draw for the others. A sampled key
 * adds one to a counter in each row, chosen by 16 bits of its ring position each (positions are
 * murmur3 hashes, so their bit slices are independent); its estimate is the smallest of the four.
 * The top list is kept as the estimates grow; at the end of a window it becomes the report and
 * the counters start again, so a key that cools down leaves the report within a window.
 *
 * <p>A key is <em>hot</em> when its share of the window's sampled requests is at least
 * {@link #HOT_SHARE} and it was sampled at least {@link #MIN_SAMPLES} times (about 1,600 requests
 * a second): what one node should not serve alone. A key hot in the last window stays hot while
 * it keeps a quarter of both ({@link #STAY_HOT_DIVISOR}). Without that, a key just over the bar
 * fell under it as soon as clients spread its reads over its owners, went back to its primary,
 * and was hot again a second later (measured: its reads split about 2:1 instead of evenly
 * between two owners).
 *
 * <h2>Concurrency</h2>
 * Counters are atomic; the top list is guarded by this object, entered only by a sampled request
 * whose estimate beats the list's smallest.
 */
public final class HotKeys {

  static final int ROWS = 4;
  static final int WIDTH = 1 << 13;
  static final int TOP = 16;
  static final int SAMPLE = 16;
  public static final double HOT_SHARE = 0.01;
  static final long MIN_SAMPLES = 100;
  /** A hot key stays hot while it keeps this fraction (1/4) of the bars above. */
  static final int STAY_HOT_DIVISOR = 4;
  /** Samples in a window before a key may enter the top list (about 128 requests a second). */
  static final long MIN_TOP_ESTIMATE = 8;

  /** One reported key: its estimated requests in the window and their share of all. */
  public record Hot(Key key, long estimatedRequests, double share) {}

  private final AtomicLongArray counts = new AtomicLongArray(ROWS * WIDTH);
  private final LongAdder sampled = new LongAdder();
  private final Map<Key, Long> top = new HashMap<>();
  private volatile long topMin;
  private volatile List<Hot> report = List.of();
  private volatile List<Hot> hotReport = List.of();

  /** Counts a request of {@code key}, one time in {@value #SAMPLE}. */
  public void record(Key key) {
    if (ThreadLocalRandom.current().nextInt(SAMPLE) != 0) {
      return;
    }
    sampled.increment();
    long position = key.position();
    long estimate = Long.MAX_VALUE;
    for (int r = 0; r < ROWS; r++) {
      int column = (int) ((position >>> (16 * r)) & (WIDTH - 1));
      estimate = Math.min(estimate, counts.incrementAndGet(r * WIDTH + column));
    }
    // Keys sampled a few times only are never candidates: without this floor, estimates of a
    // uniform load all creep up through a window, pass the top list's stale minimum, and nearly
    // every sample took the list's lock (measured: a fifth of a 1-loop node's GET throughput).
    if (estimate >= MIN_TOP_ESTIMATE && estimate > topMin) {
      offer(key, estimate);
    }
  }

  private synchronized void offer(Key key, long estimate) {
    top.put(key, estimate);
    if (top.size() > TOP) {
      Key smallest = null;
      for (Map.Entry<Key, Long> e : top.entrySet()) {
        if (smallest == null || e.getValue() < top.get(smallest)) {
          smallest = e.getKey();
        }
      }
      top.remove(smallest);
    }
    long min = top.size() < TOP ? 0 : Long.MAX_VALUE;
    if (top.size() >= TOP) {
      for (long v : top.values()) {
        min = Math.min(min, v);
      }
    }
    topMin = min;
  }

  /** Ends the window: its top keys become the report, and counting starts again. */
  public synchronized void roll() {
    long total = sampled.sumThenReset();
    List<Hot> next = new ArrayList<>(top.size());
    if (total > 0) {
      for (Map.Entry<Key, Long> e : top.entrySet()) {
        next.add(new Hot(e.getKey(), e.getValue() * SAMPLE, (double) e.getValue() / total));
      }
    }
    next.sort(Comparator.comparingLong(Hot::estimatedRequests).reversed());
    Set<Key> wasHot = new HashSet<>();
    hotReport.forEach(h -> wasHot.add(h.key()));
    List<Hot> nextHot = new ArrayList<>();
    for (Hot h : next) {
      int divisor = wasHot.contains(h.key()) ? STAY_HOT_DIVISOR : 1;
      if (h.share() >= HOT_SHARE / divisor
          && h.estimatedRequests() >= MIN_SAMPLES * SAMPLE / divisor) {
        nextHot.add(h);
      }
    }
    report = List.copyOf(next);
    hotReport = List.copyOf(nextHot);
    top.clear();
    topMin = 0;
    for (int i = 0; i < counts.length(); i++) {
      counts.set(i, 0);
    }
  }

  /** The last window's top keys, hottest first. */
  public List<Hot> top() {
    return report;
  }

  /**
   * The last window's hot keys, hottest first: at least {@link #HOT_SHARE} of requests and enough
   * of them, or a quarter of both for a key hot in the window before.
   */
  public List<Hot> hot() {
    return hotReport;
  }
}
