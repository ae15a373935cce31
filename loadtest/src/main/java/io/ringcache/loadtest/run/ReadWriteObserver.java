package io.ringcache.loadtest.run;

/**
 * Sees every write, delete and read of a run, for a consistency check. Called from the threads
 * that complete requests, concurrently: implementations are thread-safe and cheap. Times are
 * {@link System#nanoTime()}: a start is stamped just before the request is sent, an end just
 * after its future completed.
 *
 * <p>While an observer is set, every value the runner writes carries a write id ({@link
 * WriteStamp}): unique in the run, positive, in the value's first eight bytes. Reads report the id
 * they found, so a check can tell which write a value came from without trusting the target's
 * versions.
 */
public interface ReadWriteObserver {

  /** The write id a read reports when the key was absent. */
  long ABSENT = 0;

  /**
   * A put or a put-if-absent of {@code key} carrying {@code writeId} ended: acknowledged, or
   * failed in a way that leaves it maybe applied. A put-if-absent that found the key wrote
   * nothing and is not reported.
   */
  void onWrite(String key, long writeId, long startNanos, long endNanos, boolean acknowledged);

  /** A delete of {@code key} ended: acknowledged (whether or not the key existed), or failed. */
  void onDelete(String key, long startNanos, long endNanos, boolean acknowledged);

  /**
   * A read of {@code key} returned the value of write {@code writeId}, or {@link #ABSENT}; a value
   * without a write id reports {@link WriteStamp#UNSTAMPED}.
   */
  void onRead(String key, long writeId, long startNanos, long endNanos);

  /**
   * What the observer concluded, read once after the run drained; {@code null} (the default)
   * leaves {@link RunResult#consistency()} empty.
   */
  default RunResult.Consistency totals() {
    return null;
  }
}
