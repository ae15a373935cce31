package io.ringcache.protocol;

/**
 * Answer status codes. The numeric codes are part of the wire contract: never renumber or reuse
 * one. Requests carry status 0 ({@link #OK}).
 *
 * <p>Every status except {@link #OK}, {@link #VERSION_MISMATCH} and {@link #STALE} has a UTF-8
 * message body (possibly empty); see {@code docs/protocol.md}.
 */
public enum Status {
  OK(0),
  /** The key does not exist (GET, DELETE, CAS, SET IF_PRESENT). */
  NOT_FOUND(1),
  /** SET IF_ABSENT found the key present. */
  EXISTS(2),
  /** CAS found another version; the body carries the current version. */
  VERSION_MISMATCH(3),
  KEY_TOO_LARGE(4),
  VALUE_TOO_LARGE(5),
  BAD_REQUEST(6),
  UNKNOWN_OP(7),
  AUTH_FAILED(8),
  /** Not enough owners reachable to serve or acknowledge the request. */
  UNAVAILABLE(9),
  /** Replicas did not answer in time; a write may or may not have been applied. */
  TIMEOUT(10),
  /** The node sheds load; retry with backoff. */
  BUSY(11),
  INTERNAL(12),
  /** The frame exceeds {@code maxFrameBytes}; the connection is closed after this answer. */
  FRAME_TOO_LARGE(13),
  /** Node to node: the receiver's topology epoch differs from the sender's. */
  WRONG_EPOCH(14),
  /** The receiver does not own the key in its topology (and did not forward). */
  NOT_OWNER(15),
  /**
   * A peer-only operation ({@link Opcode#isPeerOnly()}) on a connection that did not authenticate
   * as a cluster peer; the request was not applied and a retry on that connection cannot succeed.
   */
  FORBIDDEN(16),
  /**
   * A versioned entry (replicated or transferred) lies further ahead of the receiver's clock than
   * its configured maximum offset, or the receiver's clock cannot issue a version: refused, the
   * receiver's clock unchanged.
   */
  CLOCK_OFFSET(17),
  /**
   * Node to node, REPLICATE only: the receiver kept the entry it holds, which orders after the one
   * it was sent; the body carries the held version, so the coordinating owner can re-stamp its
   * write above it. Never reaches a client.
   */
  STALE(18),
  /** The key's cache does not exist (never created, or destroyed). */
  NO_SUCH_CACHE(19),
  /**
   * The answering node is not the primary owner of the range a CACHE_SCAN asked about: refresh
   * the topology and ask the owner.
   */
  NOT_PRIMARY(20),
  /**
   * The node sees no majority of its cluster's last stable membership ({@code partition-policy
   * majority}: it may be on the smaller side of a network partition) and refuses writes. Nothing
   * was applied; the write can succeed through a node on the majority side, or here once the
   * partition heals.
   */
  NO_QUORUM(21);

  private static final Status[] BY_CODE = new Status[256];

  static {
    for (Status s : values()) {
      BY_CODE[s.code] = s;
    }
  }

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** The byte on the wire, 0..255. */
  public int code() {
    return code;
  }

  /** The status for {@code code}, or {@code null} when the code is not assigned. Never throws. */
  public static Status fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
