package io.ringcache.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The stored form of a value or tombstone: one {@code byte[]} per entry, the version and the
 * expiry deadline in front of the value bytes. Static methods only; the array is the entry.
 *
 * <h2>Design</h2>
 * Layout: bytes 0-7 the version, negated for a tombstone (versions are positive); bytes 8-15 the
 * absolute deadline on the store's ticker, or {@link #NEVER}; from byte 16 on, the value. Every
 * entry used to be an object holding a value array, a version and a deadline: 32 bytes of object
 * on top of the array. Folding the 16 bytes of fields into the array saves 16 bytes per entry (8%
 * of a 100-byte entry, measured with {@code bin/memory-bench}), paid for by one copy of the value
 * on each write and on each read, a few dozen nanoseconds for values of a few hundred bytes.
 *
 * <p>Immutable by convention: an entry array is never written after {@link #value} or {@link
 * #tombstone} returns it; every write replaces the whole array inside one {@code compute}, so a
 * reader never sees a half-updated entry.
 */
final class StoredEntry {

  /** Deadline of an entry without TTL. */
  static final long NEVER = Long.MAX_VALUE;

  /** Bytes in front of the value. */
  static final int HEADER = 16;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private StoredEntry() {}

  /** A value entry holding a copy of {@code value}. */
  static byte[] value(byte[] value, long version, long expireAtNanos) {
    byte[] e = new byte[HEADER + value.length];
    putLong(e, 0, version);
    putLong(e, 8, expireAtNanos);
    System.arraycopy(value, 0, e, HEADER, value.length);
    return e;
  }

  /** A tombstone: a delete at {@code version}. */
  static byte[] tombstone(long version, long expireAtNanos) {
    byte[] e = new byte[HEADER];
    putLong(e, 0, -version);
    putLong(e, 8, expireAtNanos);
    return e;
  }

  static long version(byte[] e) {
    return Math.abs(getLong(e, 0));
  }

  static boolean isTombstone(byte[] e) {
    return getLong(e, 0) < 0;
  }

  static long expireAtNanos(byte[] e) {
    return getLong(e, 8);
  }

  /** Length of the value; 0 for a tombstone. */
  static int valueLength(byte[] e) {
    return e.length - HEADER;
  }

  /** A copy of the value; {@code null} for a tombstone. */
  static byte[] valueCopy(byte[] e) {
    return isTombstone(e) ? null : Arrays.copyOfRange(e, HEADER, e.length);
  }

  /** Whether the value equals {@code other} (false for a tombstone). */
  static boolean valueEquals(byte[] e, byte[] other) {
    return !isTombstone(e)
        && Arrays.equals(e, HEADER, e.length, other, 0, other.length);
  }

  /** {@code other} compared with the value, unsigned lexicographically, as {@link Arrays}. */
  static int compareWithValue(byte[] other, byte[] e) {
    return Arrays.compareUnsigned(other, 0, other.length, e, HEADER, e.length);
  }

  /** Milliseconds left at {@code nowNanos}, rounded up; {@link ReplicaEntry#NO_TTL} without TTL. */
  static long remainingMillis(byte[] e, long nowNanos) {
    long expireAt = expireAtNanos(e);
    if (expireAt == NEVER) {
      return ReplicaEntry.NO_TTL;
    }
    long leftNanos = expireAt - nowNanos;
    if (leftNanos <= 0) {
      return ReplicaEntry.EXPIRED;
    }
    return (leftNanos + 999_999) / 1_000_000;
  }

  /** This entry as it travels to another owner (the value copied). */
  static ReplicaEntry toReplica(byte[] e, long nowNanos) {
    long ttl = remainingMillis(e, nowNanos);
    return isTombstone(e)
        ? ReplicaEntry.tombstone(version(e), ttl)
        : ReplicaEntry.value(valueCopy(e), version(e), ttl);
  }

  private static void putLong(byte[] a, int at, long v) {
    LONGS.set(a, at, v);
  }

  private static long getLong(byte[] a, int at) {
    return (long) LONGS.get(a, at);
  }
}
