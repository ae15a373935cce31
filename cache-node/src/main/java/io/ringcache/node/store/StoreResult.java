package io.ringcache.node.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a store operation did.
 *
 * @param status outcome
 * @param version the version written ({@code OK} writes), the current version ({@code EXISTS},
 *     {@code VERSION_MISMATCH}, {@code STALE}, reads), or {@code 0} when there is none
 * @param value the value read or written (for an increment: the new counter), else {@code null}.
 *     Shared, not copied: treat as immutable
 * @param replica for coordinator writes (and {@link LocalStore#restamp}), the exact entry this
 *     call wrote, to send to the other write owners: non-null whenever the write changed the
 *     store, including a delete that found nothing (it still leaves a tombstone); {@code null}
 *     when it changed nothing and for reads and {@link LocalStore#apply} (a replica never
 *     re-replicates)
 * @param ttlMillis for a successful read, the value's remaining time to live in milliseconds
 *     (rounded up), or {@link ReplicaEntry#NO_TTL} when it has none; {@code NO_TTL} otherwise
 * @param error a human-readable reason naming the value and the limit for {@code NOT_A_NUMBER} and
 *     {@code OVERFLOW}; {@code null} otherwise
 */
public record StoreResult(
    StoreStatus status, long version, byte[] value, ReplicaEntry replica, String error,
    long ttlMillis) {

  static StoreResult found(long version, byte[] value, long ttlMillis) {
    return new StoreResult(StoreStatus.OK, version, value, null, null, ttlMillis);
  }

  static StoreResult written(ReplicaEntry replica) {
    return new StoreResult(StoreStatus.OK, replica.version(), replica.value(), replica, null,
        ReplicaEntry.NO_TTL);
  }

  /** Nothing written: the key has no live value. */
  public static StoreResult notFound() {
    return of(StoreStatus.NOT_FOUND, 0);
  }

  /** Nothing written: the live value has version {@code current}. */
  public static StoreResult mismatch(long current) {
    return of(StoreStatus.VERSION_MISMATCH, current);
  }

  static StoreResult of(StoreStatus status, long version) {
    return new StoreResult(status, version, null, null, null, ReplicaEntry.NO_TTL);
  }

  static StoreResult error(StoreStatus status, long version, String error) {
    return new StoreResult(status, version, null, null, error, ReplicaEntry.NO_TTL);
  }

  /** Whether the status is {@link StoreStatus#OK}. */
  public boolean ok() {
    return status == StoreStatus.OK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreResult other
        && other.status == status
        && other.version == version
        && Arrays.equals(other.value, value)
        && Objects.equals(other.replica, replica)
        && Objects.equals(other.error, error);
  }

  @Override
  public int hashCode() {
    return status.hashCode() * 31 + Long.hashCode(version);
  }

  @Override
  public String toString() {
    return "StoreResult[" + status + ", version=" + version
        + (value == null ? "" : ", " + value.length + " bytes")
        + (error == null ? "" : ", " + error) + "]";
  }
}
