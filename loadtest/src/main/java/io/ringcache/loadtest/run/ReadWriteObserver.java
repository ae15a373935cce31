package io.ringcache.loadtest.run;

/**
 * Sees every acknowledged write and every successful read of a run, for a consistency check.
 * Called from the threads that complete requests, concurrently: implementations are thread-safe
 * and cheap. Times are {@link System#nanoTime()}: a read's start is stamped just before it is
 * sent, a write's ack just after its future completed.
 *
 * <p>Writes and reads whose target reports no version
 * ({@link io.ringcache.loadtest.target.Target#NO_VERSION}) are not reported; {@code putIfAbsent}
 * completes without a version and is not reported either.
 */
public interface ReadWriteObserver {

  /** The version a read reports when the key was absent. */
  long ABSENT = 0;

  /** A {@code put} of {@code key} was acknowledged with {@code version}. */
  void onWriteAcked(String key, long version, long ackNanos);

  /** A read of {@code key} returned {@code version}, or {@link #ABSENT}. */
  void onRead(String key, long version, long startNanos, long endNanos);

  /** A delete of {@code key} was sent at {@code startNanos} and acknowledged at {@code ackNanos}. */
  default void onDelete(String key, long startNanos, long ackNanos) {}

  /**
   * What the observer concluded, read once after the run drained; {@code null} (the default)
   * leaves {@link RunResult#consistency()} empty.
   */
  default RunResult.Consistency totals() {
    return null;
  }
}
