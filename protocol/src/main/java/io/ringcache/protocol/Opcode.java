package io.ringcache.protocol;

/**
 * Operation codes. The numeric codes are part of the wire contract: never renumber or reuse one.
 *
 * <p>Client operations are numbered from 0x01, node-to-node operations from 0x40, so a node can
 * refuse peer-only operations on a client port with a single comparison.
 */
public enum Opcode {
  HELLO(0x01),
  PING(0x02),
  GET(0x03),
  SET(0x04),
  DELETE(0x05),
  MULTI_GET(0x06),
  MULTI_SET(0x07),
  CAS(0x08),
  INCREMENT(0x09),
  TOPOLOGY(0x0A),
  STATS(0x0B),
  /** Create, read, list or destroy named caches: a JSON request, a JSON answer. */
  CACHE_ADMIN(0x0C),
  /** Live entries of one cache whose primary owner is the answering node. */
  CACHE_SIZE(0x0D),
  /** Clear one cache on every member (the receiving node coordinates the steps). */
  CACHE_CLEAR(0x0E),
  /** One page of a cache's entries in one ring range owned (primary) by the answering node. */
  CACHE_SCAN(0x0F),
  /** Start or stop a subscription to a cache's entry events on this connection. */
  SUBSCRIBE(0x10),
  /**
   * Node to client, unsolicited: one entry event of a subscription (request id = subscription
   * id), sent as an answer frame that answers no request.
   */
  EVENT(0x11),
  /** GET that also sets the entry's TTL (a write: new version, replicated). */
  GET_TOUCH(0x12),
  /** DELETE only at an expected version (0: any), told to subscribers as removed or expired. */
  DELETE_IF(0x13),
  /**
   * A write at an expected version, 0 meaning "only if absent", whose TTL may keep the entry's
   * (CAS keeps its version 1 meaning: a version 0 never matches).
   */
  PUT_IF_VERSION(0x14),
  /**
   * Single-flight loading: the key's value, or the lease to load it (one holder per key at a
   * time on its coordinating owner), or, after waiting, word that another caller holds it; also
   * gives a lease back.
   */
  LEASE(0x15),
  /** Node to node: apply a versioned entry or tombstone if it is newer than the local copy. */
  REPLICATE(0x40),
  /**
   * Node to node: many REPLICATE entries in one frame (group commit of one event-loop turn's
   * replica writes to one peer, or a window of a range transfer), answered with one outcome each.
   */
  REPLICATE_BATCH(0x41),
  /** Node to node: one step of a cluster-wide CACHE_CLEAR (read the clock, or clear below it). */
  CLEAR_PEER(0x42),
  /** Node to node, anti-entropy: the digests of ranges of ring positions in the answerer's store. */
  DIGEST_RANGES(0x43),
  /**
   * Node to node, anti-entropy: the sender's (key, version) list of one range; the answer holds
   * the entries the answerer has newer and the keys it wants.
   */
  RECONCILE_RANGE(0x44),
  /**
   * Node to node: the write-id outcomes a range transfer's source holds for the keys it sent, so
   * that a client's resend of one of those writes is answered, not applied again, by the owner
   * the range moved to.
   */
  WRITE_OUTCOMES(0x45);

  private static final Opcode[] BY_CODE = new Opcode[256];

  static {
    for (Opcode op : values()) {
      BY_CODE[op.code] = op;
    }
  }

  private final int code;

  Opcode(int code) {
    this.code = code;
  }

  /** The byte on the wire, 0..255. */
  public int code() {
    return code;
  }

  /** True for operations only nodes send to each other. */
  public boolean isPeerOnly() {
    return code >= 0x40;
  }

  /**
   * The opcode for {@code code}, or {@code null} when the code is not assigned (including codes
   * outside 0..255). Never throws: an unknown opcode is an expected input, answered with
   * {@link Status#UNKNOWN_OP}.
   */
  public static Opcode fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
