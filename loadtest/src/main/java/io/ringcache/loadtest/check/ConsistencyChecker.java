package io.ringcache.loadtest.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Records a history of writes, deletes and reads, each write identified by a unique id carried in
 * its value, and checks it against ringcache's read promise: no read returns a value older than
 * the last write acknowledged before the read began, and no acknowledged write or delete is lost.
 *
 * <h2>Why write ids, not versions</h2>
 *
 * Versions are what the cache claims; the check must not trust them. A write acknowledged with a
 * version lower than a failed write's (a coordinating owner whose clock was behind) loses to the
 * failed write on every replica, and a version-only check calls the failed write "newer" and
 * passes. Here every value names the write that produced it, and order comes from real time only:
 * write {@code Y} supersedes write {@code X} when {@code Y} started after {@code X} ended.
 *
 * <h2>The rule</h2>
 *
 * Writes and deletes are recorded with their start and end times and whether they were
 * acknowledged or may have applied (a call that failed or timed out; calls known not to have
 * applied, such as a put-if-absent that found the key, are not recorded). For a read {@code r}
 * that started at {@code r.start} and ended at {@code r.end}:
 *
 * <ul>
 *   <li>If it returned write {@code X}'s value, it is a violation when no write of that key has
 *       that id ({@link Kind#PHANTOM}), when {@code X} started after {@code r} ended ({@link
 *       Kind#FUTURE}), or when an acknowledged write or delete {@code Y} started after {@code X}
 *       ended and was acknowledged before {@code r} started ({@link Kind#STALE}, or {@link
 *       Kind#RESURRECTED} when {@code Y} is a delete).
 *   <li>If it returned nothing, let {@code s} be the latest start of an acknowledged write
 *       acknowledged before {@code r} started. Absence is explained only by a delete (acknowledged
 *       or maybe applied) that started before {@code r} ended and ended after {@code s}, that is,
 *       one that may be ordered after every such write; otherwise it is {@link Kind#MISSING}.
 * </ul>
 *
 * {@link #lost} applies the same rule to every owner's copy read once the cluster is stable again,
 * as a read that starts after every recorded operation: each copy must hold a write no later
 * acknowledged write or delete superseded, and a key acknowledged present must be present.
 *
 * <h2>What it does not catch</h2>
 *
 * This is a per-key check of reads against acknowledged history, not a linearizability check: it
 * does not see two reads that go backwards while both overlap one write, or order across keys.
 * Expiry and eviction look like deletes it did not record (the workloads it checks set no TTL and
 * stay within the store's bound). It is only as strict as the recorded times: stamp a start before
 * the request is sent and an end after its future completes, both with {@link System#nanoTime()};
 * wider intervals only make it more lenient, never produce false alarms.
 *
 * <h2>Concurrency</h2>
 *
 * Recording is thread-safe and cheap: one append to one of {@value #STRIPES} stripes chosen by the
 * key's hash, under that stripe's lock. Analysis ({@link #violations()}, {@link #lost}) takes a
 * snapshot and may run while recording goes on.
 */
public final class ConsistencyChecker {

  /** The write id a read records when the key was absent; write ids are positive. */
  public static final long ABSENT = 0;

  private static final int STRIPES = 64;

  /** How a write call ended. */
  public enum Outcome {
    /** The cache acknowledged it. */
    ACKNOWLEDGED,
    /** The call failed in a way that does not rule out that it applied (timeout, unavailable). */
    MAYBE_APPLIED
  }

  /** What a read or a final copy got wrong. */
  public enum Kind {
    /** A value an acknowledged write had replaced before the read began. */
    STALE,
    /** A value an acknowledged delete had removed before the read began. */
    RESURRECTED,
    /** Nothing, though an acknowledged write was not followed by any delete. */
    MISSING,
    /** A value no recorded write of this key produced. */
    PHANTOM,
    /** A value of a write that started only after the read ended. */
    FUTURE
  }

  /**
   * A read (or a final copy) that broke the rule.
   *
   * @param read the write id returned, or {@link #ABSENT}
   * @param where for a final copy, the member that holds it; for a read, {@code "read"}
   * @param cause the acknowledged write or delete that rules the read out ({@link #ABSENT} for
   *     {@link Kind#PHANTOM} and {@link Kind#FUTURE})
   */
  public record Violation(Kind kind, String key, String where, long read, long readStartNanos,
      long cause, long causeStartNanos, long causeEndNanos) {

    @Override
    public String toString() {
      String got = read == ABSENT ? "nothing" : "write #" + read;
      return switch (kind) {
        case STALE, RESURRECTED -> String.format(
            "key '%s' (%s): returned %s, but %s #%d ran %d..%d, acknowledged %d µs before the read"
                + " began", key, where, got, kind == Kind.STALE ? "write" : "delete", cause,
            causeStartNanos, causeEndNanos, (readStartNanos - causeEndNanos) / 1_000);
        case MISSING -> String.format(
            "key '%s' (%s): returned nothing, but write #%d (acknowledged %d µs before the read"
                + " began) was followed by no delete", key, where, cause,
            (readStartNanos - causeEndNanos) / 1_000);
        case PHANTOM -> String.format("key '%s' (%s): returned %s, which no write of it produced",
            key, where, got);
        case FUTURE -> String.format("key '%s' (%s): returned %s, which started after the read"
            + " ended", key, where, got);
      };
    }
  }

  private sealed interface Event permits Op, Read {
    String key();
  }

  /** A put ({@code id > 0}) or a delete ({@code id < 0}, a negative serial of its own). */
  private record Op(String key, long id, long startNanos, long endNanos, boolean acknowledged)
      implements Event {
    boolean isDelete() {
      return id < 0;
    }
  }

  private record Read(String key, long id, long startNanos, long endNanos) implements Event {}

  private final Stripe[] stripes = new Stripe[STRIPES];
  private long deleteSerial;

  public ConsistencyChecker() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /**
   * A write of {@code key} whose value carries {@code writeId}.
   *
   * @param writeId positive and unique among this key's writes
   */
  public void recordWrite(String key, long writeId, long startNanos, long endNanos,
      Outcome outcome) {
    if (writeId <= ABSENT) {
      throw new IllegalArgumentException("write id must be positive, was " + writeId);
    }
    append(new Op(Objects.requireNonNull(key, "key"), writeId,
        startNanos, ordered("write", startNanos, endNanos), acknowledged(outcome)));
  }

  /** A delete of {@code key} (whether or not the key was present). */
  public void recordDelete(String key, long startNanos, long endNanos, Outcome outcome) {
    long id;
    synchronized (this) {
      id = --deleteSerial;
    }
    append(new Op(Objects.requireNonNull(key, "key"), id, startNanos,
        ordered("delete", startNanos, endNanos), acknowledged(outcome)));
  }

  /**
   * A completed read.
   *
   * @param writeId the id carried by the value returned, or {@link #ABSENT}; a value that carries
   *     no id is reported with an id no write has (say {@code Long.MAX_VALUE}), a phantom
   */
  public void recordRead(String key, long writeId, long startNanos, long endNanos) {
    if (writeId < ABSENT) {
      throw new IllegalArgumentException("read write id must be >= 0 (0 = absent), was "
          + writeId);
    }
    append(new Read(Objects.requireNonNull(key, "key"), writeId, startNanos,
        ordered("read", startNanos, endNanos)));
  }

  /** Writes and deletes recorded so far, acknowledged or not. */
  public long writeCount() {
    return count(Op.class);
  }

  /** Reads recorded so far. */
  public long readCount() {
    return count(Read.class);
  }

  /** Every recorded read that broke the rule, ordered by key and read start. */
  public List<Violation> violations() {
    List<Violation> found = new ArrayList<>();
    for (Map.Entry<String, History> e : byKey().entrySet()) {
      History h = e.getValue();
      h.reads.sort(Comparator.comparingLong(Read::startNanos));
      for (Read r : h.reads) {
        h.check(r.id(), r.startNanos(), r.endNanos(), "read").ifPresent(found::add);
      }
    }
    return found;
  }

  /**
   * How stale each recorded read was: for a read that returned write {@code X}, the time from the
   * first acknowledgement of a write or delete that superseded {@code X} (started after {@code X}
   * ended) to the read's start, or zero when nothing had superseded {@code X} before the read
   * began. Reads that returned nothing, or a value no write produced, count as zero here ({@link
   * #violations} judges those). A near cache's staleness bound is a bound on this figure.
   */
  public Staleness staleness() {
    List<Long> ages = new ArrayList<>();
    long reads = 0;
    for (History h : byKey().values()) {
      for (Read r : h.reads) {
        reads++;
        long age = h.ageNanos(r.id(), r.startNanos());
        if (age > 0) {
          ages.add(age);
        }
      }
    }
    long[] sorted = ages.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Staleness(reads, sorted);
  }

  /**
   * The staleness of every read of a run ({@link #staleness()}).
   *
   * @param reads every read recorded
   * @param staleAgesNanos the positive ages, ascending; the other reads were fresh
   */
  public record Staleness(long reads, long[] staleAgesNanos) {

    /** Reads that returned a superseded value. */
    public long staleReads() {
      return staleAgesNanos.length;
    }

    /** The largest age, in nanoseconds; 0 when no read was stale. */
    public long maxNanos() {
      return staleAgesNanos.length == 0 ? 0 : staleAgesNanos[staleAgesNanos.length - 1];
    }

    /**
     * The age at quantile {@code q} (0..1) over all reads, fresh ones counting as 0: the smallest
     * age that at least {@code q} of the reads do not exceed.
     */
    public long quantileNanos(double q) {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("quantile must be within 0..1, was " + q);
      }
      long rank = (long) Math.ceil(q * reads);
      long fresh = reads - staleAgesNanos.length;
      if (rank <= fresh) {
        return 0;
      }
      return staleAgesNanos[(int) Math.min(staleAgesNanos.length - 1, rank - fresh - 1)];
    }
  }

  /**
   * The final check, once writes have stopped and the cluster is stable: for every key written
   * (or deleted) at least once, {@code copies} returns each owner's copy (member name to the write
   * id it holds, or {@link #ABSENT}), and every copy must satisfy the read rule as a read that
   * began after every recorded operation.
   */
  public List<Violation> lost(Function<String, Map<String, Long>> copies) {
    return lost(copies, (done, total) -> {});
  }

  /**
   * {@link #lost(Function)}, telling {@code progress} after each key how many keys were read of
   * how many: reading every owner's copy of tens of thousands of keys takes seconds.
   */
  public List<Violation> lost(Function<String, Map<String, Long>> copies,
      ReadBackProgress progress) {
    Objects.requireNonNull(copies, "copies");
    Objects.requireNonNull(progress, "progress");
    long now = System.nanoTime();
    List<History> written = byKey().values().stream().filter(h -> !h.ops.isEmpty()).toList();
    List<Violation> found = new ArrayList<>();
    int done = 0;
    for (History h : written) {
      for (Map.Entry<String, Long> copy : copies.apply(h.key).entrySet()) {
        h.check(copy.getValue(), now, now, copy.getKey()).ifPresent(found::add);
      }
      progress.keysRead(++done, written.size());
    }
    return found;
  }

  /** Progress of {@link #lost(Function, ReadBackProgress)}. */
  @FunctionalInterface
  public interface ReadBackProgress {
    /** {@code done} of {@code total} keys have been read back and checked. */
    void keysRead(int done, int total);
  }

  private static boolean acknowledged(Outcome outcome) {
    return Objects.requireNonNull(outcome, "outcome") == Outcome.ACKNOWLEDGED;
  }

  private static long ordered(String what, long startNanos, long endNanos) {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(String.format(
          "%s ends before it starts: start %d, end %d", what, startNanos, endNanos));
    }
    return endNanos;
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

  private Map<String, History> byKey() {
    List<Event> all = new ArrayList<>();
    for (Stripe s : stripes) {
      s.copyTo(all);
    }
    Map<String, History> histories = new HashMap<>();
    for (Event e : all) {
      History h = histories.computeIfAbsent(e.key(), k -> new History(k));
      if (e instanceof Op op) {
        h.ops.add(op);
      } else {
        h.reads.add((Read) e);
      }
    }
    histories.values().forEach(History::index);
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

  /** One key's events, indexed so that each read is checked in O(log ops + deletes). */
  private static final class History {
    final String key;
    final List<Op> ops = new ArrayList<>();
    final List<Read> reads = new ArrayList<>();
    final Map<Long, Op> byId = new HashMap<>();
    /** Acknowledged writes and deletes by end time. */
    Op[] acked;
    /** latest[i]: the op that started last among acked[0..i]. */
    Op[] latest;
    /** latestPut[i]: the put that started last among acked[0..i], or null. */
    Op[] latestPut;
    /** Deletes of any outcome by start time, with the running maximum of their ends. */
    long[] deleteStarts;
    long[] deleteEndsMax;

    History(String key) {
      this.key = key;
    }

    void index() {
      List<Op> ack = new ArrayList<>();
      List<Op> deletes = new ArrayList<>();
      for (Op op : ops) {
        byId.put(op.id(), op);
        if (op.acknowledged()) {
          ack.add(op);
        }
        if (op.isDelete()) {
          deletes.add(op);
        }
      }
      ack.sort(Comparator.comparingLong(Op::endNanos));
      acked = ack.toArray(new Op[0]);
      latest = new Op[acked.length];
      latestPut = new Op[acked.length];
      for (int i = 0; i < acked.length; i++) {
        Op op = acked[i];
        latest[i] = i > 0 && latest[i - 1].startNanos() >= op.startNanos() ? latest[i - 1] : op;
        Op put = op.isDelete() ? null : op;
        Op before = i > 0 ? latestPut[i - 1] : null;
        latestPut[i] = put == null || (before != null && before.startNanos() >= put.startNanos())
            ? before : put;
      }
      deletes.sort(Comparator.comparingLong(Op::startNanos));
      deleteStarts = new long[deletes.size()];
      deleteEndsMax = new long[deletes.size()];
      for (int i = 0; i < deletes.size(); i++) {
        deleteStarts[i] = deletes.get(i).startNanos();
        deleteEndsMax[i] = Math.max(deletes.get(i).endNanos(),
            i > 0 ? deleteEndsMax[i - 1] : Long.MIN_VALUE);
      }
    }

    Optional<Violation> check(long id, long start, long end, String where) {
      int i = lastEndingBefore(start);
      if (id == ABSENT) {
        Op put = i < 0 ? null : latestPut[i];
        if (put == null || deleteAfter(put.startNanos(), end)) {
          return Optional.empty();
        }
        return violation(Kind.MISSING, where, id, start, put);
      }
      Op x = byId.get(id);
      if (x == null || x.isDelete()) {
        return Optional.of(new Violation(Kind.PHANTOM, key, where, id, start, ABSENT,
            0, 0));
      }
      if (x.startNanos() > end) {
        return Optional.of(new Violation(Kind.FUTURE, key, where, id, start, ABSENT,
            0, 0));
      }
      if (i >= 0 && latest[i].startNanos() > x.endNanos()) {
        Op y = latest[i];
        return violation(y.isDelete() ? Kind.RESURRECTED : Kind.STALE, where, id, start, y);
      }
      return Optional.empty();
    }

    /**
     * How long before {@code start} the value of write {@code id} was first superseded by an
     * acknowledged op; 0 when it was not, or when {@code id} is absent or unknown. {@code latest}
     * holds the running maximum of start times over ops sorted by end, so the first index whose
     * maximum start passes {@code X.end} is the earliest-acknowledged op that started after X.
     */
    long ageNanos(long id, long start) {
      Op x = id == ABSENT ? null : byId.get(id);
      if (x == null || x.isDelete()) {
        return 0;
      }
      int i = lastEndingBefore(start);
      int lo = 0;
      int hi = i;
      int first = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (latest[mid].startNanos() > x.endNanos()) {
          first = mid;
          hi = mid - 1;
        } else {
          lo = mid + 1;
        }
      }
      return first < 0 ? 0 : start - acked[first].endNanos();
    }

    private Optional<Violation> violation(Kind kind, String where, long id, long start,
        Op cause) {
      return Optional.of(new Violation(kind, key, where, id, start,
          Math.abs(cause.id()), cause.startNanos(), cause.endNanos()));
    }

    /** Whether a delete started before {@code readEnd} and ended after {@code after}. */
    private boolean deleteAfter(long after, long readEnd) {
      int i = lastAtOrBefore(deleteStarts, readEnd - 1);
      return i >= 0 && deleteEndsMax[i] > after;
    }

    /** Index of the last acknowledged op that ended strictly before {@code t}, or -1. */
    private int lastEndingBefore(long t) {
      int lo = 0;
      int hi = acked.length - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (acked[mid].endNanos() < t) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found;
    }

    private static int lastAtOrBefore(long[] sorted, long t) {
      int lo = 0;
      int hi = sorted.length - 1;
      int found = -1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (sorted[mid] <= t) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found;
    }
  }
}
