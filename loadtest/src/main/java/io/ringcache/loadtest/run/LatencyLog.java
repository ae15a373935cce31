package io.ringcache.loadtest.run;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Every interval histogram of a run: one per operation and reporting interval (one second), in
 * microseconds with 3 significant digits, as the runner's recorders produced them. It is what the
 * HdrHistogram log ({@code .hlog}) is written from, and whole-run histograms for the percentile
 * spectrum are their sums, so no figure of a run is lost to the summary's fixed percentiles.
 *
 * <p>Memory: each histogram is kept in HdrHistogram's compressed form, typically a few hundred
 * bytes to a few KB, rather than as a live histogram of tens of KB: an hour's soak of five
 * operations is 18,000 histograms, tens of MB compressed. Immutable once built; every histogram
 * handed out is a fresh copy.
 */
public final class LatencyLog {

  private static final LatencyLog EMPTY = new LatencyLog(List.of());

  private final List<Entry> entries;

  private LatencyLog(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** A log without histograms: a result made by hand, or by a run that recorded none. */
  public static LatencyLog empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Operations that have at least one interval, in order of their first interval. */
  public List<String> ops() {
    Set<String> ops = new LinkedHashSet<>();
    entries.forEach(e -> ops.add(e.op));
    return List.copyOf(ops);
  }

  /** Number of interval histograms. */
  public int size() {
    return entries.size();
  }

  /** The sum of {@code op}'s intervals: the whole run; empty for an operation not in the log. */
  public Histogram total(String op) {
    Histogram sum = new Histogram(Metrics.DIGITS);
    for (Entry e : entries) {
      if (e.op.equals(op)) {
        sum.add(e.decode());
      }
    }
    return sum;
  }

  /** Calls {@code visitor} with each interval, in the order recorded (by time, then operation). */
  public void forEachInterval(IntervalVisitor visitor) {
    for (Entry e : entries) {
      visitor.interval(e.op, e.startOffsetMillis, e.endOffsetMillis, e.decode());
    }
  }

  /** Receives one interval of {@link #forEachInterval}. */
  @FunctionalInterface
  public interface IntervalVisitor {
    /**
     * @param op the operation's label ({@code get}, {@code put}, ...)
     * @param startOffsetMillis start of the interval, from the start of the run
     * @param endOffsetMillis end of the interval, from the start of the run
     * @param histogram latencies in µs of the requests that completed in it, a copy
     */
    void interval(String op, long startOffsetMillis, long endOffsetMillis, Histogram histogram);
  }

  /** Appends intervals; not thread-safe (the runner appends under its metrics' lock). */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    private Builder() {}

    /**
     * Adds {@code histogram} (µs) as {@code op}'s interval from {@code startOffsetMillis} to
     * {@code endOffsetMillis}; the histogram is encoded at once, so the caller may reuse it.
     */
    public Builder add(String op, long startOffsetMillis, long endOffsetMillis,
        Histogram histogram) {
      Objects.requireNonNull(op, "op");
      if (startOffsetMillis < 0 || endOffsetMillis < startOffsetMillis) {
        throw new IllegalArgumentException(String.format(
            "interval was %d..%d ms, must start at 0 or later and not end before it starts",
            startOffsetMillis, endOffsetMillis));
      }
      // Compressed output is deflate of at most the uncompressed size, plus a small header.
      ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity() + 64);
      int length = histogram.encodeIntoCompressedByteBuffer(buffer);
      byte[] bytes = new byte[length];
      buffer.flip();
      buffer.get(bytes);
      entries.add(new Entry(op, startOffsetMillis, endOffsetMillis, bytes));
      return this;
    }

    public LatencyLog build() {
      return entries.isEmpty() ? EMPTY : new LatencyLog(entries);
    }
  }

  private record Entry(String op, long startOffsetMillis, long endOffsetMillis,
      byte[] compressed) {

    Histogram decode() {
      try {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed), 0);
      } catch (DataFormatException e) {
        throw new IllegalStateException("a histogram this log encoded does not decode", e);
      }
    }
  }
}
