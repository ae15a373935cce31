package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * {@link AsyncRingCache#compareAndSet} found another version than expected
 * ({@link FailureStatus#VERSION_MISMATCH}), or no entry at all ({@link FailureStatus#NOT_FOUND},
 * with {@link #currentVersion()} 0). Re-read and decide again.
 */
public final class VersionMismatchException extends CacheRejectedException {

  private static final long serialVersionUID = 1L;

  private final long currentVersion;

  VersionMismatchException(Status status, String key, long expected, long currentVersion) {
    super(status, currentVersion == 0
        ? String.format("compareAndSet('%s', %d): the key does not exist", key, expected)
        : String.format("compareAndSet('%s', %d): current version is %d", key, expected,
            currentVersion));
    this.currentVersion = currentVersion;
  }

  /** The key's version when the CAS was refused; 0 when the key does not exist. */
  public long currentVersion() {
    return currentVersion;
  }
}
