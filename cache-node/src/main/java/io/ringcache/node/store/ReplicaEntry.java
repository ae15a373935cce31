package io.ringcache.node.store;

import java.util.Arrays;

/**
 * An entry as it travels between owners: a value or a tombstone, its version, and its remaining
 * time to live in milliseconds (relative, so node clocks need not agree).
 *
 * <p>{@code ttlMillis}: {@code 0} means no expiry for a value and "the receiver's configured
 * tombstone TTL" for a tombstone; a positive number is the time left; a negative number means the
 * TTL already ran out, and {@link LocalStore#apply} stores nothing. A sender that subtracts time
 * spent in a queue must use {@link #aged(long)}, which never turns "little time left" into "no
 * expiry".
 *
 * <p>The value array is shared, not copied: treat it as immutable.
 */
public record ReplicaEntry(byte[] value, long version, long ttlMillis, boolean tombstone) {

  /** {@code ttlMillis}: a value never expires; a tombstone takes the receiver's tombstone TTL. */
  public static final long NO_TTL = 0L;

  /** {@code ttlMillis} of an entry whose TTL already ran out. */
  public static final long EXPIRED = -1L;

  /** Validates the fields; a tombstone carries no value, a value entry must carry one. */
  public ReplicaEntry {
    if (version <= 0) {
      throw new IllegalArgumentException("version must be > 0 but was " + version);
    }
    if (tombstone && value != null) {
      throw new IllegalArgumentException(
          "a tombstone carries no value but got " + value.length + " bytes");
    }
    if (!tombstone && value == null) {
      throw new IllegalArgumentException("a value entry needs a value but got null");
    }
  }

  /** A value written at {@code version}, expiring after {@code ttlMillis} ({@link #NO_TTL}: never).
   */
  public static ReplicaEntry value(byte[] value, long version, long ttlMillis) {
    return new ReplicaEntry(value, version, ttlMillis, false);
  }

  /** A delete at {@code version}, kept {@code ttlMillis} ({@link #NO_TTL}: the receiver's default). */
  public static ReplicaEntry tombstone(long version, long ttlMillis) {
    return new ReplicaEntry(null, version, ttlMillis, true);
  }

  /** Whether the TTL already ran out. */
  public boolean expired() {
    return ttlMillis < 0;
  }

  /**
   * This entry after {@code elapsedMillis} more milliseconds: an entry without expiry stays so, an
   * entry whose time is used up becomes {@link #EXPIRED} (never {@link #NO_TTL}).
   */
  public ReplicaEntry aged(long elapsedMillis) {
    if (elapsedMillis < 0) {
      throw new IllegalArgumentException("elapsedMillis must be >= 0 but was " + elapsedMillis);
    }
    if (ttlMillis == NO_TTL || elapsedMillis == 0) {
      return this;
    }
    long left = ttlMillis < 0 ? EXPIRED : ttlMillis - elapsedMillis;
    return new ReplicaEntry(value, version, left > 0 ? left : EXPIRED, tombstone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplicaEntry other
        && other.version == version
        && other.ttlMillis == ttlMillis
        && other.tombstone == tombstone
        && Arrays.equals(other.value, value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(version) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return (tombstone ? "Tombstone[" : "Value[" + value.length + " bytes, ")
        + "version=" + version + ", ttlMillis=" + ttlMillis + "]";
  }
}
