package io.ringcache.loadtest.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * Records a history of writes and reads and checks it against ringcache's read promise: no read
 * returns a version older than the newest write of that key acknowledged before the read began.
 *
 * <h2>The rule</h2>
 *
 * For every read {@code r} of key {@code k}, let {@code W} be the writes of {@code k} whose ack
 * time is before {@code r}'s start, and {@code need = max(version(w) for w in W)}. Versions only
 * grow per key (last writer wins by version), so the highest acknowledged version is the state a
 * later read must reflect. The read is a {@link Violation} when it returned:
 *
 * <ul>
 *   <li>a version below {@code need} (stale), or
 *   <li>{@link #ABSENT} while {@code W} is not empty, unless a delete of {@code k} started before
 *       the read ended. A write's start is not recorded, so any such delete may have been ordered
 *       after it; absence is then excused, a version below {@code need} never is (a delete leaves
 *       a tombstone with a newer version).
 * </ul>
 *
 * A read may return any version at or above {@code need}, including a write still in flight or
 * one whose caller saw a failure (a timed-out write may still have applied). {@link #lost} checks
 * the end state: each key's highest acknowledged version must read back at or above itself.
 *
 * <h2>What it does not catch</h2>
 *
 * This is a per-key freshness check, not a linearizability check. It does not see two reads that
 * go backwards while both overlap one write (the first returns the new version, the second the old
 * one), a read returning a version nobody wrote, or reads ordered against writes of other keys.
 * Nor does it judge writes whose acknowledgement was lost: they are not recorded, and are
 * harmless. It is only as strict as the recorded times: stamp a write's ack after its future
 * completes and a read's start before it is sent, both with {@link System#nanoTime()}; late acks
 * and early starts only make the check more lenient, never produce false alarms.
 *
 * <h2>Concurrency</h2>
 *
 * Recording is thread-safe and cheap: one append to one of {@value #STRIPES} stripes chosen by
 * the key's hash, under that stripe's lock, so tens of thousands of operations per second from
 * client I/O threads contend rarely. All analysis happens in {@link #violations()} and
 * {@link #lost}, which take a snapshot and may run while recording goes on.
 */
public final class ConsistencyChecker {

  /** The version a read records when the key was absent; real versions are positive. */
  public static final long ABSENT = 0;

  private static final int STRIPES = 64;

  /** A read that returned older data than an acknowledged write it should have seen. */
  public record Violation(
      String key, long readVersion, long readStartNanos, long requiredVersion,
      long requiredAckNanos) {

    @Override
    public String toString() {
      return String.format(
          "key '%s': read started at %d returned %s, but version %d was acknowledged at %d "
              + "(%d µs before the read began)",
          key, readStartNanos, readVersion == ABSENT ? "absent" : "version " + readVersion,
          requiredVersion, requiredAckNanos, (readStartNanos - requiredAckNanos) / 1_000);
    }
  }

  /** A key whose final read returned less than its highest acknowledged write. */
  public record Lost(String key, long expectedVersion, long foundVersion) {

    @Override
    public String toString() {
      return String.format("key '%s': acknowledged version %d, read back %s", key,
          expectedVersion, foundVersion == ABSENT ? "absent" : "version " + foundVersion);
    }
  }

  private sealed interface Event permits Write, Read, Delete {
    String key();
  }

  private record Write(String key, long version, long ackNanos) implements Event {}

  private record Read(String key, long version, long startNanos, long endNanos)
      implements Event {}

  private record Delete(String key, long startNanos, long ackNanos) implements Event {}

  private final Stripe[] stripes = new Stripe[STRIPES];

  public ConsistencyChecker() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /**
   * An acknowledged write.
   *
   * @param version the version the cache answered, positive
   * @param ackNanos {@link System#nanoTime()} taken after the write completed
   */
  public void recordWrite(String key, long version, long ackNanos) {
    if (version <= ABSENT) {
      throw new IllegalArgumentException("write version must be positive, was " + version);
    }
    append(new Write(Objects.requireNonNull(key, "key"), version, ackNanos));
  }

  /**
   * A completed read; its end is now.
   *
   * @param version the version returned, or {@link #ABSENT}
   * @param startNanos {@link System#nanoTime()} taken before the read was sent
   */
  public void recordRead(String key, long version, long startNanos) {
    recordRead(key, version, startNanos, System.nanoTime());
  }

  /** A completed read with an explicit end time, for replayed or synthetic histories. */
  public void recordRead(String key, long version, long startNanos, long endNanos) {
    if (version < ABSENT) {
      throw new IllegalArgumentException("read version must be >= 0 (0 = absent), was "
          + version);
    }
    if (endNanos - startNanos < 0) {
      throw new IllegalArgumentException(String.format(
          "read ends before it starts: start %d, end %d", startNanos, endNanos));
    }
    append(new Read(Objects.requireNonNull(key, "key"), version, startNanos, endNanos));
  }

  /**
   * An acknowledged delete (whether or not the key was present).
   *
   * @param startNanos {@link System#nanoTime()} taken before the delete was sent
   * @param ackNanos {@link System#nanoTime()} taken after it completed
   */
  public void recordDelete(String key, long startNanos, long ackNanos) {
    if (ackNanos - startNanos < 0) {
      throw new IllegalArgumentException(String.format(
          "delete acknowledged before it started: start %d, ack %d", startNanos, ackNanos));
    }
    append(new Delete(Objects.requireNonNull(key, "key"), startNanos, ackNanos));
  }

  /** Writes recorded so far. */
  public long writeCount() {
    return count(Write.class);
  }

  /** Reads recorded so far. */
  public long readCount() {
    return count(Read.class);
  }

  /** Keys with at least one acknowledged write, sorted. */
  public Set<String> writtenKeys() {
    Set<String> keys = new TreeSet<>();
    for (Event e : snapshot()) {
      if (e instanceof Write) {
        keys.add(e.key());
      }
    }
    return keys;
  }

  /** Every recorded read that broke the rule, ordered by key and read start. */
  public List<Violation> violations() {
    List<Violation> found = new ArrayList<>();
    for (Map.Entry<String, History> e : byKey().entrySet()) {
      e.getValue().check(e.getKey(), found);
    }
    return found;
  }

  /**
   * Final verification, once writes have stopped: reads every written key through {@code
   * readBack} (which returns the version found, or {@link #ABSENT}) and lists the keys that came
   * back below their highest acknowledged version. A key with a recorded delete may read back
   * absent (writes record no start, so the delete may have been ordered last).
   */
  public List<Lost> lost(ToLongFunction<String> readBack) {
    Objects.requireNonNull(readBack, "readBack");
    List<Lost> found = new ArrayList<>();
    for (Map.Entry<String, History> e : byKey().entrySet()) {
      History h = e.getValue();
      if (h.writes.isEmpty()) {
        continue;
      }
      Write newest = h.writes.stream().max(Comparator.comparingLong(Write::version)).orElseThrow();
      long version = readBack.applyAsLong(e.getKey());
      if (version < newest.version() && !(version == ABSENT && !h.deletes.isEmpty())) {
        found.add(new Lost(e.getKey(), newest.version(), version));
      }
    }
    return found;
  }

  private void append(Event event) {
    stripes[(event.key().hashCode() & Integer.MAX_VALUE) % STRIPES].add(event);
  }

  private long count(Class<? extends Event> type) {
    long n = 0;
    for (Stripe s : stripes) {
      n += s.count(type);
    }
    return n;
  }

  private List<Event> snapshot() {
    List<Event> all = new ArrayList<>();
    for (Stripe s : stripes) {
      s.copyTo(all);
    }
    return all;
  }

  private Map<String, History> byKey() {
    Map<String, History> histories = new HashMap<>();
    for (Event e : snapshot()) {
      History h = histories.computeIfAbsent(e.key(), k -> new History());
      if (e instanceof Write w) {
        h.writes.add(w);
      } else if (e instanceof Read r) {
        h.reads.add(r);
      } else if (e instanceof Delete d) {
        h.deletes.add(d);
      }
    }
    return new TreeMap<>(histories);
  }

  private static final class Stripe {
    private final List<Event> events = new ArrayList<>();

    synchronized void add(Event e) {
      events.add(e);
    }

    synchronized void copyTo(List<Event> target) {
      target.addAll(events);
    }

    synchronized long count(Class<? extends Event> type) {
      return events.stream().filter(type::isInstance).count();
    }
  }

  /** One key's events, analysed in O((writes + reads) log writes). */
  private static final class History {
    final List<Write> writes = new ArrayList<>();
    final List<Read> reads = new ArrayList<>();
    final List<Delete> deletes = new ArrayList<>();

    void check(String key, List<Violation> out) {
      if (writes.isEmpty() || reads.isEmpty()) {
        return;
      }
      writes.sort(Comparator.comparingLong(Write::ackNanos));
      // best[i]: the write with the highest version among writes[0..i], by ack time.
      Write[] best = new Write[writes.size()];
      long[] acks = new long[writes.size()];
      for (int i = 0; i < writes.size(); i++) {
        Write w = writes.get(i);
        best[i] = i == 0 || w.version() > best[i - 1].version() ? w : best[i - 1];
        acks[i] = w.ackNanos();
      }
      reads.sort(Comparator.comparingLong(Read::startNanos));
      for (Read r : reads) {
        int i = lastBefore(acks, r.startNanos());
        if (i < 0) {
          continue;
        }
        Write need = best[i];
        if (r.version() >= need.version()) {
          continue;
        }
        if (r.version() == ABSENT && mayHaveBeenDeleted(r)) {
          continue;
        }
        out.add(new Violation(key, r.version(), r.startNanos(), need.version(),
            need.ackNanos()));
      }
    }

    /**
     * Whether a delete may fall between the write and the read: any delete that started before
     * the read ended. Writes record no start, so a delete acknowledged before the write's ack may
     * still be ordered after the write; excusing it is lenient, never a false alarm.
     */
    private boolean mayHaveBeenDeleted(Read r) {
      for (Delete d : deletes) {
        if (r.endNanos() - d.startNanos() > 0) {
          return true;
        }
      }
      return false;
    }

    /** Index of the last ack strictly before {@code t}, or -1. */
    private static int lastBefore(long[] acks, long t) {
      int i = Arrays.binarySearch(acks, t);
      if (i >= 0) {
        while (i >= 0 && acks[i] == t) {
          i--;
        }
        return i;
      }
      return -(i + 1) - 1;
    }
  }
}
