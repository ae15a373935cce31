package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * Why a call failed, as {@link CacheException#status()} reports it: the client's own vocabulary,
 * stable across releases, so applications do not depend on the wire protocol's status codes.
 *
 * <p>Design: each name and {@link #code()} is fixed once published; new values take new codes and
 * none is renumbered or reused ({@code docs/client.md}, "Failure statuses"). Most values carry the
 * name of the node's answer behind them; the routing answers a client only sees while the cluster
 * layout changes ({@code NOT_OWNER}, {@code WRONG_EPOCH}, {@code NOT_PRIMARY}) become one value,
 * {@link #LAYOUT_CHANGING}, and answers that cannot describe a failed client call become
 * {@link #INTERNAL}. {@link #of(Status)} maps every protocol status by an exhaustive switch, so a
 * status added to the protocol fails compilation here until it is given a client meaning.
 */
public enum FailureStatus {
  /** {@link AsyncRingCache#compareAndSet} found no entry ({@link VersionMismatchException}). */
  NOT_FOUND(1),
  /** The key was present where the operation needed it absent. */
  EXISTS(2),
  /** {@link AsyncRingCache#compareAndSet} found another version. */
  VERSION_MISMATCH(3),
  /** The key is over {@code maxKeyBytes} (checked before sending) or empty. */
  KEY_TOO_LARGE(4),
  /** The value is over {@code maxValueBytes} (checked before sending). */
  VALUE_TOO_LARGE(5),
  /** A malformed request, or a counter operation on a value that is not a number. */
  BAD_REQUEST(6),
  /** The node does not serve this operation (an older node version). */
  UNKNOWN_OP(7),
  /** The cluster refused the client's auth token. */
  AUTH_FAILED(8),
  /** No node reachable, not enough owners up, a lost connection, or the client was closed. */
  UNAVAILABLE(9),
  /** No answer in time; a write may or may not have been applied. */
  TIMEOUT(10),
  /** Nodes shed load, or the client's own queue towards a node was full; nothing was applied. */
  BUSY(11),
  /** A node fault, a malformed answer, or an answer the client cannot interpret. */
  INTERNAL(12),
  /** A batch over the node's frame limit. */
  FRAME_TOO_LARGE(13),
  /** The operation is reserved to cluster members. */
  FORBIDDEN(14),
  /** An owner's clock disagrees with the cluster's beyond the configured maximum offset. */
  CLOCK_OFFSET(15),
  /** The named cache does not exist (never created, or destroyed). */
  NO_SUCH_CACHE(16),
  /** The answering node sees no majority of its cluster and refused the write; nothing applied. */
  NO_QUORUM(17),
  /**
   * The nodes asked did not own the key in the client's layout, and the layout kept changing
   * until the client's retries ran out; nothing was applied.
   */
  LAYOUT_CHANGING(18);

  private final int code;

  FailureStatus(int code) {
    this.code = code;
  }

  /** This status's stable number (see the table in {@code docs/client.md}). */
  public int code() {
    return code;
  }

  /** The client status for a node's (or the client's own) protocol status. */
  static FailureStatus of(Status status) {
    return switch (status) {
      case NOT_FOUND -> NOT_FOUND;
      case EXISTS -> EXISTS;
      case VERSION_MISMATCH -> VERSION_MISMATCH;
      case KEY_TOO_LARGE -> KEY_TOO_LARGE;
      case VALUE_TOO_LARGE -> VALUE_TOO_LARGE;
      case BAD_REQUEST -> BAD_REQUEST;
      case UNKNOWN_OP -> UNKNOWN_OP;
      case AUTH_FAILED -> AUTH_FAILED;
      case UNAVAILABLE -> UNAVAILABLE;
      case TIMEOUT -> TIMEOUT;
      case BUSY -> BUSY;
      case INTERNAL -> INTERNAL;
      case FRAME_TOO_LARGE -> FRAME_TOO_LARGE;
      case FORBIDDEN -> FORBIDDEN;
      case CLOCK_OFFSET -> CLOCK_OFFSET;
      case NO_SUCH_CACHE -> NO_SUCH_CACHE;
      case NO_QUORUM -> NO_QUORUM;
      case NOT_OWNER, WRONG_EPOCH, NOT_PRIMARY -> LAYOUT_CHANGING;
      // OK is no failure, and STALE only answers node-to-node REPLICATE: either one behind a
      // failed client call means a broken node or a client bug.
      case OK, STALE -> INTERNAL;
    };
  }
}
