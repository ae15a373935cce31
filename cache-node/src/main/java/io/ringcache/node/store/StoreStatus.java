package io.ringcache.node.store;

import io.ringcache.protocol.SetMode;

/**
 * Outcome of a store operation. Each maps one-to-one onto a wire status; the store itself never
 * throws for these, only for programming errors (null arguments, negative TTLs).
 */
public enum StoreStatus {
  /** The operation took effect (or, for a read, found a live value). */
  OK,
  /** No live value: absent, expired, or a tombstone. */
  NOT_FOUND,
  /** {@link SetMode#IF_ABSENT} found a live value; the result carries its version. */
  EXISTS,
  /** Compare-and-set saw another version; the result carries the current one. */
  VERSION_MISMATCH,
  /** Increment found a value that is not a decimal ASCII signed 64-bit integer. */
  NOT_A_NUMBER,
  /** Increment would leave the signed 64-bit range. */
  OVERFLOW,
  /**
   * Apply kept the stored entry because it orders after the incoming one (a higher version, or an
   * equal version that wins the tie-break); the result carries the stored entry's version, which
   * a coordinating owner re-stamps its write above ({@link LocalStore#restamp}).
   */
  STALE,
  /** Apply received the very entry it holds (same version and content): nothing changed. */
  DUPLICATE,
  /** Apply received an entry whose TTL had already run out; nothing was stored. */
  EXPIRED,
  /**
   * Apply received an entry whose version lies further ahead of this node's wall clock than
   * {@link StoreConfig#maxClockOffset()}, or a write found the clock unable to issue a version
   * ({@link HybridClock#EXHAUSTED}): nothing was stored, the clock is unchanged, the result's
   * error says which.
   */
  CLOCK_OFFSET
}
