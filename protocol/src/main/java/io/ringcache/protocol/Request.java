package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A request body, one record per {@link Opcode}. The header fields (request id, epoch, flags) are
 * not part of it: a connection assigns them when it sends, and {@link Frame} carries them when it
 * receives.
 *
 * <p>Values are {@link Buffer}s. Decoded values are slices of the received frame; copy one
 * ({@code value.copy()}) before keeping it beyond the request, or it pins the whole read buffer.
 * TTLs are milliseconds; 0 means none.
 */
public sealed interface Request {

  Opcode opcode();

  /**
   * Opens a connection: protocol version, auth token ("" = none), client name for logs, and, from a
   * node only, the cluster's peer secret (empty = not a peer). The secret is an optional trailing
   * field: a HELLO without it (every client, and nodes before it existed) decodes with an empty
   * one.
   */
  record Hello(int protocolVersion, String authToken, String clientName, byte[] peerSecret)
      implements Request {

    /** Longest peer secret the codec accepts, in bytes. */
    public static final int MAX_PEER_SECRET_BYTES = 256;

    public Hello {
      if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
        throw new IllegalArgumentException(
            String.format("protocolVersion is %d, must be within 0..65535", protocolVersion));
      }
      Objects.requireNonNull(authToken, "authToken");
      Objects.requireNonNull(clientName, "clientName");
      Objects.requireNonNull(peerSecret, "peerSecret");
      if (peerSecret.length > MAX_PEER_SECRET_BYTES) {
        throw new IllegalArgumentException(String.format(
            "peer secret is %d bytes, limit is %d", peerSecret.length, MAX_PEER_SECRET_BYTES));
      }
      peerSecret = peerSecret.clone();
    }

    /** A client's HELLO: no peer secret. */
    public Hello(int protocolVersion, String authToken, String clientName) {
      this(protocolVersion, authToken, clientName, new byte[0]);
    }

    /** A copy of the peer secret; empty when the sender does not claim to be a peer. */
    @Override
    public byte[] peerSecret() {
      return peerSecret.clone();
    }

    /** Whether the sender presented a peer secret. */
    public boolean claimsPeer() {
      return peerSecret.length > 0;
    }

    @Override
    public Opcode opcode() {
      return Opcode.HELLO;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hello h && h.protocolVersion == protocolVersion
          && h.authToken.equals(authToken) && h.clientName.equals(clientName)
          && Arrays.equals(h.peerSecret, peerSecret);
    }

    @Override
    public int hashCode() {
      return Objects.hash(protocolVersion, authToken, clientName)
          * 31 + java.util.Arrays.hashCode(peerSecret);
    }

    @Override
    public String toString() {
      return "Hello[protocolVersion=" + protocolVersion + ", authToken=<redacted>, clientName="
          + clientName + ", peerSecret=" + (claimsPeer() ? "<redacted>" : "none") + "]";
    }
  }

  record Ping() implements Request {
    @Override
    public Opcode opcode() {
      return Opcode.PING;
    }
  }

  record Get(Key key) implements Request {
    public Get {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public Opcode opcode() {
      return Opcode.GET;
    }
  }

  /**
   * A single-key write that may carry a {@link WriteId}: the coordinating owner answers a second
   * request with the same id by the first one's outcome instead of applying it again.
   */
  sealed interface Write extends Request {
    Key key();

    WriteId writeId();
  }

  record Set(Key key, Buffer value, long ttlMillis, SetMode mode, WriteId writeId)
      implements Write {
    public Set {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(writeId, "writeId");
      Messages.requireTtl(ttlMillis);
    }

    /** A SET without a write id. */
    public Set(Key key, Buffer value, long ttlMillis, SetMode mode) {
      this(key, value, ttlMillis, mode, WriteId.NONE);
    }

    @Override
    public Opcode opcode() {
      return Opcode.SET;
    }
  }

  record Delete(Key key, WriteId writeId) implements Write {
    public Delete {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(writeId, "writeId");
    }

    /** A DELETE without a write id. */
    public Delete(Key key) {
      this(key, WriteId.NONE);
    }

    @Override
    public Opcode opcode() {
      return Opcode.DELETE;
    }
  }

  record MultiGet(List<Key> keys) implements Request {
    public MultiGet {
      keys = List.copyOf(keys);
    }

    @Override
    public Opcode opcode() {
      return Opcode.MULTI_GET;
    }
  }

  record MultiSet(List<Entry> entries) implements Request {
    public MultiSet {
      entries = List.copyOf(entries);
    }

    @Override
    public Opcode opcode() {
      return Opcode.MULTI_SET;
    }

    /** One unconditional SET of a batch. */
    public record Entry(Key key, Buffer value, long ttlMillis) {
      public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Messages.requireTtl(ttlMillis);
      }
    }
  }

  /** Stores {@code value} only if the current version is {@code expectedVersion}. */
  record Cas(Key key, long expectedVersion, Buffer value, long ttlMillis, WriteId writeId)
      implements Write {
    public Cas {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(writeId, "writeId");
      Messages.requireTtl(ttlMillis);
    }

    /** A CAS without a write id. */
    public Cas(Key key, long expectedVersion, Buffer value, long ttlMillis) {
      this(key, expectedVersion, value, ttlMillis, WriteId.NONE);
    }

    @Override
    public Opcode opcode() {
      return Opcode.CAS;
    }
  }

  /**
   * Adds {@code delta} to a decimal ASCII integer value, creating it from 0 when absent.
   * {@code ttlMillis > 0} sets the TTL; 0 keeps an existing entry's TTL (a new entry gets none).
   */
  record Increment(Key key, long delta, long ttlMillis, WriteId writeId) implements Write {
    public Increment {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(writeId, "writeId");
      Messages.requireTtl(ttlMillis);
    }

    /** An INCREMENT without a write id. */
    public Increment(Key key, long delta, long ttlMillis) {
      this(key, delta, ttlMillis, WriteId.NONE);
    }

    @Override
    public Opcode opcode() {
      return Opcode.INCREMENT;
    }
  }

  /**
   * Stores {@code value} only if the key's live version is {@code expectedVersion}, where 0 means
   * "only if absent"; {@code ttlMillis} -1 keeps the entry's remaining TTL (protocol 2).
   */
  record PutIfVersion(Key key, long expectedVersion, Buffer value, long ttlMillis,
      WriteId writeId) implements Write {
    public PutIfVersion {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(writeId, "writeId");
      Messages.requireTtlOrKeep(ttlMillis);
      if (expectedVersion < 0) {
        throw new IllegalArgumentException(String.format(
            "expectedVersion is %d, must be 0 (absent) or a version", expectedVersion));
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.PUT_IF_VERSION;
    }
  }

  /**
   * LEASE: with {@code release} false, the key's value if it has one, else a lease to load it
   * for {@code leaseMillis} if nobody holds one, else a wait of up to {@code maxWaitMillis} for the
   * holder's value; with {@code release} true, gives back the lease {@code token} (the loader
   * found nothing or failed) so that a waiter takes over at once.
   */
  record Lease(Key key, boolean release, long token, long leaseMillis, long maxWaitMillis)
      implements Request {
    public Lease {
      Objects.requireNonNull(key, "key");
      if (leaseMillis < 1 || leaseMillis > 3_600_000) {
        throw new IllegalArgumentException(String.format(
            "leaseMillis is %d, must be within 1..3600000", leaseMillis));
      }
      if (maxWaitMillis < 0 || maxWaitMillis > 60_000) {
        throw new IllegalArgumentException(String.format(
            "maxWaitMillis is %d, must be within 0..60000", maxWaitMillis));
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.LEASE;
    }
  }

  /** A GET that sets the live entry's TTL to {@code ttlMillis} (0: none) in the same step. */
  record GetTouch(Key key, long ttlMillis, WriteId writeId) implements Write {
    public GetTouch {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(writeId, "writeId");
      Messages.requireTtl(ttlMillis);
    }

    @Override
    public Opcode opcode() {
      return Opcode.GET_TOUCH;
    }
  }

  /**
   * A DELETE that applies only while the key's version is {@code expectedVersion} (0: any live
   * version); {@code asExpired} tells subscribers EXPIRED instead of REMOVED.
   */
  record DeleteIf(Key key, long expectedVersion, boolean asExpired, WriteId writeId)
      implements Write {
    public DeleteIf {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(writeId, "writeId");
    }

    @Override
    public Opcode opcode() {
      return Opcode.DELETE_IF;
    }
  }

  /**
   * A named-cache administration call as a JSON object ({@code op}: create, get, list, destroy;
   * see {@code docs/protocol.md}); answered with {@link Response.Stats} carrying JSON.
   */
  record CacheAdmin(String json) implements Request {
    public CacheAdmin {
      Objects.requireNonNull(json, "json");
    }

    @Override
    public Opcode opcode() {
      return Opcode.CACHE_ADMIN;
    }
  }

  /** Counts the live entries of {@code cache} this node is primary owner of. */
  record CacheSize(String cache) implements Request {
    public CacheSize {
      Messages.requireCacheName(cache);
    }

    @Override
    public Opcode opcode() {
      return Opcode.CACHE_SIZE;
    }
  }

  /**
   * Clears {@code cache} in the whole cluster: the receiving node reads every member's clock
   * ({@link ClearPeer} with version 0), then has every member remove the cache's entries below the
   * highest, so no write acknowledged before the clear began survives it. Answered with {@link
   * Response.Counter}: live entries removed, and the clear's version. With {@code withEvents},
   * each removed entry's primary owner sends REMOVED to subscribers.
   */
  record CacheClear(String cache, boolean withEvents) implements Request {
    public CacheClear {
      Messages.requireCacheName(cache);
    }

    @Override
    public Opcode opcode() {
      return Opcode.CACHE_CLEAR;
    }
  }

  /**
   * Node to node, one step of a {@link CacheClear}. With {@code belowVersion} 0 the receiver
   * re-reads the cache definitions and answers its clock ({@link Response.Counter} version);
   * otherwise it moves its clock past {@code belowVersion}, removes the cache's entries of lower
   * versions, refuses such entries from replication and transfers from then on, and answers the
   * count removed.
   */
  record ClearPeer(String cache, long belowVersion, boolean withEvents) implements Request {
    public ClearPeer {
      Messages.requireCacheName(cache);
      if (belowVersion < 0) {
        throw new IllegalArgumentException(
            String.format("belowVersion is %d, must not be negative", belowVersion));
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.CLEAR_PEER;
    }
  }

  /**
   * Up to about {@code limit} entries of {@code cache} at ring positions above {@code
   * afterPosition} (from the lowest position when {@code fromStart}), up to the end of the range
   * of the answering node's read ring that holds the next position; the node must be that range's
   * primary owner ({@link Status#NOT_PRIMARY} otherwise).
   */
  record CacheScan(String cache, long afterPosition, boolean fromStart, int limit)
      implements Request {
    public CacheScan {
      Messages.requireCacheName(cache);
      if (limit < 1) {
        throw new IllegalArgumentException(String.format("limit is %d, must be positive", limit));
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.CACHE_SCAN;
    }
  }

  /**
   * Starts (or, with {@code cancel}, stops) delivering {@code cache}'s entry events to this
   * connection as EVENT frames tagged {@code subscriptionId}. Answered with {@link
   * Response.Counter} whose value is the number of writes this node had coordinated before the
   * subscription began (0: it cannot have served a write the subscriber missed).
   */
  record Subscribe(String cache, int subscriptionId, boolean withOldValues, boolean cancel)
      implements Request {
    public Subscribe {
      Messages.requireCacheName(cache);
    }

    @Override
    public Opcode opcode() {
      return Opcode.SUBSCRIBE;
    }
  }

  /** Asks for the node's installed topology. */
  record GetTopology() implements Request {
    @Override
    public Opcode opcode() {
      return Opcode.TOPOLOGY;
    }
  }

  /** Asks for the node's statistics as a JSON object. */
  record GetStats() implements Request {
    @Override
    public Opcode opcode() {
      return Opcode.STATS;
    }
  }

  /**
   * Node to node: apply this entry unless the receiver holds a newer version. A tombstone records
   * a delete (its value is empty) so that an older copy cannot resurrect the key.
   *
   * <p>A replicated write that carried a {@link WriteId} carries it on, with what the coordinating
   * owner answered ({@code outcome}), so that whichever owner coordinates the key next (after a
   * crash, say) answers a retry of that write the same way. Range transfers carry none.
   *
   * @param ttlMillis remaining time to live, or -1 for none
   * @param outcome the answer the write got; {@link WriteOutcome#NONE} exactly when {@code
   *     writeId} is {@link WriteId#NONE}
   */
  record Replicate(Key key, long version, long ttlMillis, boolean tombstone, Buffer value,
      WriteId writeId, WriteOutcome outcome) implements Request {
    public Replicate {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(writeId, "writeId");
      Objects.requireNonNull(outcome, "outcome");
      if (ttlMillis < -1) {
        throw new IllegalArgumentException(
            String.format("ttlMillis is %d, must be -1 (none) or at least 0", ttlMillis));
      }
      if (tombstone && value.length() != 0) {
        throw new IllegalArgumentException(
            String.format("a tombstone has no value, got %d bytes", value.length()));
      }
      if (writeId.isNone() != (outcome == WriteOutcome.NONE)) {
        throw new IllegalArgumentException(String.format(
            "a write id needs an outcome and an outcome a write id, got %s and %s",
            writeId, outcome));
      }
    }

    /** An entry without a write id (range transfers, writes without one). */
    public Replicate(Key key, long version, long ttlMillis, boolean tombstone, Buffer value) {
      this(key, version, ttlMillis, tombstone, value, WriteId.NONE, WriteOutcome.NONE);
    }

    @Override
    public Opcode opcode() {
      return Opcode.REPLICATE;
    }
  }

  /**
   * Node to node: several {@link Replicate} entries in one frame, applied in order, each with the
   * same rules as a REPLICATE of its own; the header's epoch is checked once for all of them.
   * Never empty: a batch of one is sent as a plain REPLICATE.
   */
  record ReplicateBatch(List<Replicate> entries) implements Request {
    public ReplicateBatch {
      entries = List.copyOf(entries);
      if (entries.isEmpty()) {
        throw new IllegalArgumentException("a REPLICATE_BATCH has at least 1 entry, got 0");
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.REPLICATE_BATCH;
    }
  }

  /**
   * Node to node: outcomes of writes with a {@link WriteId} that the sender recorded for keys of
   * ranges it transferred to the receiver, which records those it has not recorded itself (its
   * own record, from the write's REPLICATE, is as good). Sent after the range's entries, with the
   * TRANSFER epoch; answered with {@link Response.Counter}: how many were new to the receiver.
   */
  record WriteOutcomes(List<LoggedWrite> writes) implements Request {
    public WriteOutcomes {
      writes = List.copyOf(writes);
      if (writes.isEmpty()) {
        throw new IllegalArgumentException("a WRITE_OUTCOMES has at least 1 outcome, got 0");
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.WRITE_OUTCOMES;
    }
  }

  /**
   * One recorded write: its id, the ring position of its key, what it answered, the version of
   * the entry it wrote and, for {@link WriteOutcome#COUNTED}, the counter it reached.
   */
  record LoggedWrite(WriteId id, long position, WriteOutcome kind, long version, long counter) {
    /** Bytes of one on the wire. */
    public static final int WIRE_BYTES = 41;

    public LoggedWrite {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(kind, "kind");
      if (id.isNone() || kind == WriteOutcome.NONE) {
        throw new IllegalArgumentException("a logged write has a write id and an outcome");
      }
    }
  }

  /**
   * Node to node, anti-entropy: the digest (sum of entry hashes and count) of each of {@code
   * ranges} in the answering node's store, answered with {@link Response.Digests} in the same
   * order. With {@code indexWhole}, the answerer first indexes the keys of every slice of the
   * ranges (one scan for all of them), because RECONCILE_RANGEs of these ranges follow. The
   * answerer must be on the sender's epoch ({@link Status#WRONG_EPOCH} otherwise).
   */
  record DigestRanges(List<PositionRange> ranges, boolean indexWhole) implements Request {

    /** Most ranges in one request. */
    public static final int MAX_RANGES = 4096;

    /** Digests only: the answerer indexes no more than the slices the ranges' ends cut. */
    public DigestRanges(List<PositionRange> ranges) {
      this(ranges, false);
    }

    public DigestRanges {
      ranges = List.copyOf(ranges);
      if (ranges.isEmpty() || ranges.size() > MAX_RANGES) {
        throw new IllegalArgumentException(String.format(
            "a DIGEST_RANGES has 1..%d ranges, got %d", MAX_RANGES, ranges.size()));
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.DIGEST_RANGES;
    }
  }

  /**
   * Node to node, anti-entropy repair of one range: {@code held} is every value and tombstone the
   * sender holds in {@code range}. The answerer compares with its own entries there and answers
   * {@link Response.Reconciled}: the entries it holds newer than the sender (or that the sender
   * lacks), for the sender to merge, and the keys whose entry it lacks or holds older, for the
   * sender to push with REPLICATE. The answerer must be on the sender's epoch.
   */
  record ReconcileRange(PositionRange range, List<Held> held) implements Request {

    public ReconcileRange {
      Objects.requireNonNull(range, "range");
      held = List.copyOf(held);
    }

    /** One key the sender holds, at {@code version}, as a value or a tombstone. */
    public record Held(Key key, long version, boolean tombstone) {
      public Held {
        Objects.requireNonNull(key, "key");
        if (version <= 0) {
          throw new IllegalArgumentException(
              String.format("version is %d, must be positive", version));
        }
      }
    }

    @Override
    public Opcode opcode() {
      return Opcode.RECONCILE_RANGE;
    }
  }

  /** What the coordinating owner answered a write that carried a {@link WriteId}. */
  enum WriteOutcome {
    /** No write id. */
    NONE(0),
    /** SET or CAS stored: answer the entry's version. */
    STORED(1),
    /** INCREMENT: answer the entry's value as the counter, with its version. */
    COUNTED(2),
    /** DELETE that removed a live value. */
    DELETED(3),
    /** DELETE that found nothing (it still leaves a tombstone). */
    DELETED_NOTHING(4);

    private final int code;

    WriteOutcome(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The outcome with wire code {@code code}, or {@code null}. */
    public static WriteOutcome fromCode(int code) {
      for (WriteOutcome o : values()) {
        if (o.code == code) {
          return o;
        }
      }
      return null;
    }
  }
}
