package io.ringcache.node.store;

/**
 * The stored form of a value or tombstone. Immutable: every write replaces the whole entry inside
 * one {@code compute}, so readers never see a half-updated one.
 *
 * @param value the value bytes, {@code null} for a tombstone
 * @param version the write's version from {@link HybridClock}
 * @param expireAtNanos absolute deadline on the store's ticker, or {@link #NEVER}
 */
record Entry(byte[] value, long version, long expireAtNanos) {

  /** Deadline of an entry without TTL. */
  static final long NEVER = Long.MAX_VALUE;

  boolean tombstone() {
    return value == null;
  }

  /** Milliseconds left at {@code nowNanos}, rounded up; {@link ReplicaEntry#NO_TTL} without TTL. */
  long remainingMillis(long nowNanos) {
    if (expireAtNanos == NEVER) {
      return ReplicaEntry.NO_TTL;
    }
    long leftNanos = expireAtNanos - nowNanos;
    if (leftNanos <= 0) {
      return ReplicaEntry.EXPIRED;
    }
    return (leftNanos + 999_999) / 1_000_000;
  }

  /** This entry as it travels to another owner. */
  ReplicaEntry toReplica(long nowNanos) {
    long ttl = remainingMillis(nowNanos);
    return tombstone()
        ? ReplicaEntry.tombstone(version, ttl)
        : ReplicaEntry.value(value, version, ttl);
  }
}
