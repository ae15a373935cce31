package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/**
 * An answer body. Each type implies its {@link #status()}; {@link Failure} carries any status
 * whose body is a message. Which types answer which opcode is listed in {@code docs/protocol.md}
 * and enforced by {@link FrameCodec}.
 *
 * <p>Versions are assigned by the owning node and compare as signed 64-bit integers; 0 means "no
 * version". Decoded values are slices of the received frame, as in {@link Request}.
 */
public sealed interface Response {

  Status status();

  /** HELLO accepted: the node's stable name and the protocol version it will speak. */
  record Hello(String nodeName, int protocolVersion) implements Response {
    public Hello {
      Objects.requireNonNull(nodeName, "nodeName");
      if (protocolVersion < 0 || protocolVersion > 0xFFFF) {
        throw new IllegalArgumentException(
            String.format("protocolVersion is %d, must be within 0..65535", protocolVersion));
      }
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** OK with an empty body: PING, DELETE, REPLICATE. */
  record Ok() implements Response {
    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** GET hit. {@code ttlMillis} is the remaining time to live, -1 for none. */
  record Value(long version, long ttlMillis, Buffer value) implements Response {
    public Value {
      Objects.requireNonNull(value, "value");
      if (ttlMillis < -1) {
        throw new IllegalArgumentException(
            String.format("ttlMillis is %d, must be -1 (none) or at least 0", ttlMillis));
      }
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** SET or CAS stored: the new version. */
  record Stored(long version) implements Response {
    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** CAS refused: the version the key has now. */
  record Mismatch(long currentVersion) implements Response {
    @Override
    public Status status() {
      return Status.VERSION_MISMATCH;
    }
  }

  /**
   * REPLICATE not applied: the receiver holds an entry for the key that orders after the one sent
   * (a higher version, or an equal one that wins the tie-break); {@code heldVersion} is its version.
   */
  record Stale(long heldVersion) implements Response {
    @Override
    public Status status() {
      return Status.STALE;
    }
  }

  /** INCREMENT applied: the new value and its version. */
  record Counter(long value, long version) implements Response {
    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** MULTI_GET: one entry per requested key, in request order. */
  record Values(List<Entry> entries) implements Response {
    public Values {
      entries = List.copyOf(entries);
    }

    @Override
    public Status status() {
      return Status.OK;
    }

    /** Status OK with version and value, or another status with version 0 and an empty value. */
    public record Entry(Status status, long version, Buffer value) {
      public Entry {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(value, "value");
      }

      public static Entry missing(Status status) {
        return new Entry(status, 0, Buffer.buffer(0));
      }
    }
  }

  /** MULTI_SET: one outcome per entry, in request order. */
  record StoredAll(List<Entry> entries) implements Response {
    public StoredAll {
      entries = List.copyOf(entries);
    }

    @Override
    public Status status() {
      return Status.OK;
    }

    /** Status OK with the new version, or another status with version 0. */
    public record Entry(Status status, long version) {
      public Entry {
        Objects.requireNonNull(status, "status");
      }
    }
  }

  /**
   * REPLICATE_BATCH: one outcome per entry, in request order, each what a REPLICATE of that entry
   * alone would have got: {@link Ok}, {@link Stale} or a {@link Failure} (CLOCK_OFFSET,
   * BAD_REQUEST...). A refusal of the whole batch (WRONG_EPOCH, FORBIDDEN, a malformed body) is a
   * plain {@link Failure} answer instead.
   */
  record ReplicaOutcomes(List<Response> outcomes) implements Response {
    public ReplicaOutcomes {
      outcomes = List.copyOf(outcomes);
      for (Response r : outcomes) {
        if (!(r instanceof Ok || r instanceof Stale || r instanceof Failure)) {
          throw new IllegalArgumentException(String.format(
              "a batch outcome is Ok, Stale or Failure, got %s", r.getClass().getSimpleName()));
        }
      }
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** DIGEST_RANGES: one digest per range asked for, in order. */
  record Digests(List<Entry> entries) implements Response {
    public Digests {
      entries = List.copyOf(entries);
    }

    @Override
    public Status status() {
      return Status.OK;
    }

    /** The sum (modulo 2^64) of the entry hashes in a range, and how many entries there are. */
    public record Entry(long sum, long count) {}
  }

  /**
   * RECONCILE_RANGE: {@code wanted}, the keys of the request's list the answerer lacks or holds
   * older; {@code newer}, entries the answerer holds newer than the list says, or that the list
   * lacks (REPLICATE entries without write ids); {@code more}, whether {@code newer} was cut to
   * bound the answer (the sender asks again after merging).
   */
  record Reconciled(List<Key> wanted, List<Request.Replicate> newer, boolean more)
      implements Response {
    public Reconciled {
      wanted = List.copyOf(wanted);
      newer = List.copyOf(newer);
      for (Request.Replicate r : newer) {
        if (!r.writeId().isNone()) {
          throw new IllegalArgumentException("a reconciled entry carries no write id");
        }
      }
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** TOPOLOGY: the node's installed topology. */
  record CurrentTopology(Topology topology) implements Response {
    public CurrentTopology {
      Objects.requireNonNull(topology, "topology");
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** STATS: a JSON object. */
  record Stats(String json) implements Response {
    public Stats {
      Objects.requireNonNull(json, "json");
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /**
   * A CACHE_SCAN page: entries of one cache from one range, in position order; {@code
   * nextPosition} is the last position covered, {@code complete} whether the range ended there.
   */
  record Entries(List<Entry> entries, long nextPosition) implements Response {
    public Entries {
      entries = List.copyOf(entries);
    }

    @Override
    public Status status() {
      return Status.OK;
    }

    /** One entry: the key (qualified), its version, remaining TTL (-1: none) and value. */
    public record Entry(Key key, long version, long ttlMillis, Buffer value) {
      public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
      }
    }
  }

  /**
   * An EVENT frame's body: what happened to {@code key}, at {@code version}; {@code value} and
   * {@code oldValue} are null where the event has none; type {@link EventType#MISSED} carries the
   * reason in {@code reason} and nothing else, {@link EventType#HEARTBEAT} nothing. {@code seq}
   * numbers the EVENT frames of one connection 1, 2, 3... as the node writes them (0 until
   * then), so a receiver can tell a gap.
   */
  record Event(EventType type, long seq, Key key, long version, Buffer value, Buffer oldValue,
      String reason) implements Response {
    public Event {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(reason, "reason");
    }

    /** An event before the connection numbers it. */
    public Event(EventType type, Key key, long version, Buffer value, Buffer oldValue,
        String reason) {
      this(type, 0, key, version, value, oldValue, reason);
    }

    /** This event as the {@code seq}-th EVENT frame of its connection. */
    public Event withSeq(long seq) {
      return new Event(type, seq, key, version, value, oldValue, reason);
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /**
   * A LEASE answer: the value ({@code VALUE}: version, remaining TTL or -1, value), the lease
   * ({@code GRANTED}: its token), or that another caller holds it ({@code HELD}: how long its
   * lease has left, in ms); {@code RELEASED} answers a release.
   */
  record LeaseAnswer(LeaseState state, long token, long version, long ttlMillis, Buffer value)
      implements Response {
    public LeaseAnswer {
      Objects.requireNonNull(state, "state");
      if ((state == LeaseState.VALUE) != (value != null)) {
        throw new IllegalArgumentException("a VALUE answer has a value and no other answer has");
      }
    }

    @Override
    public Status status() {
      return Status.OK;
    }
  }

  /** What a LEASE answer says; codes are part of the wire contract. */
  enum LeaseState {
    VALUE(0), GRANTED(1), HELD(2), RELEASED(3);

    private final int code;

    LeaseState(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static LeaseState fromCode(int code) {
      for (LeaseState s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      return null;
    }
  }

  /** Kinds of EVENT; codes are part of the wire contract. */
  enum EventType {
    CREATED(1), UPDATED(2), REMOVED(3), EXPIRED(4),
    /** Events were dropped (the subscriber was too slow); the node closes the connection next. */
    MISSED(5),
    /**
     * Nothing happened: sent every {@code 100 ms} on a connection with subscriptions, so a
     * receiver knows its stream is alive and complete up to now (no gap in {@code seq}).
     */
    HEARTBEAT(6);

    private final int code;

    EventType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    public static EventType fromCode(int code) {
      for (EventType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  /**
   * Any status but OK, VERSION_MISMATCH and STALE, with a human-readable message ("" for the expected
   * outcomes NOT_FOUND and EXISTS).
   */
  record Failure(Status status, String message) implements Response {
    public Failure {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(message, "message");
      if (status == Status.OK || status == Status.VERSION_MISMATCH || status == Status.STALE) {
        throw new IllegalArgumentException(
            String.format("status %s has a typed body, not a message", status));
      }
    }

    public static Failure of(Status status) {
      return new Failure(status, "");
    }
  }
}
