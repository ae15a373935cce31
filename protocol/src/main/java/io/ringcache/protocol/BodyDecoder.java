package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request and answer bodies, one case per opcode; the layouts are specified in
 * {@code docs/protocol.md} and written by {@link FrameCodec}. Record constructors may throw
 * {@link IllegalArgumentException} for values the layout admits but the message forbids (a
 * negative TTL); the codec turns those into BAD_REQUEST.
 */
final class BodyDecoder {

  /** Bit 0 of REPLICATE's flags byte. */
  static final int REPLICATE_TOMBSTONE = 1;
  /** Bit 1 of a REPLICATE_BATCH entry's flags: a write id and outcome follow the value. */
  static final int REPLICATE_HAS_WRITE_ID = 2;
  /** Smallest REPLICATE_BATCH entry: 1-byte key, version, ttl, flags, empty value. */
  private static final int MIN_REPLICATE_ENTRY_BYTES = 3 + 17 + 4;
  /** Smallest REPLICATE_BATCH answer entry: status, version, empty message. */
  private static final int MIN_OUTCOME_BYTES = 1 + 8 + 2;

  private BodyDecoder() {}

  static Request request(Opcode op, BodyReader r, ProtocolLimits limits) {
    switch (op) {
      case GET:
        return new Request.Get(r.key());
      case SET: {
        Key key = r.key();
        long ttl = r.i64("ttl");
        int modeCode = r.u8("mode");
        SetMode mode = SetMode.fromCode(modeCode);
        if (mode == null) {
          throw r.fail(Status.BAD_REQUEST, "unknown SET mode %d", modeCode);
        }
        Buffer value = r.value();
        return new Request.Set(key, value, ttl, mode, writeId(r));
      }
      case DELETE: {
        Key key = r.key();
        return new Request.Delete(key, writeId(r));
      }
      case CAS: {
        Key key = r.key();
        long expected = r.i64("expected version");
        long ttl = r.i64("ttl");
        Buffer value = r.value();
        return new Request.Cas(key, expected, value, ttl, writeId(r));
      }
      case INCREMENT: {
        Key key = r.key();
        long delta = r.i64("delta");
        long ttl = r.i64("ttl");
        return new Request.Increment(key, delta, ttl, writeId(r));
      }
      case MULTI_GET: {
        int n = r.count("MULTI_GET", limits.maxBatchEntries(), "maxBatchEntries", 3);
        List<Key> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          keys.add(r.key());
        }
        return new Request.MultiGet(keys);
      }
      case MULTI_SET: {
        int n = r.count("MULTI_SET", limits.maxBatchEntries(), "maxBatchEntries", 15);
        List<Request.MultiSet.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Key key = r.key();
          long ttl = r.i64("ttl");
          entries.add(new Request.MultiSet.Entry(key, r.value(), ttl));
        }
        return new Request.MultiSet(entries);
      }
      case REPLICATE:
        return replicate(r, false);
      case REPLICATE_BATCH: {
        int n = r.count("REPLICATE_BATCH", limits.maxBatchEntries(), "maxBatchEntries",
            MIN_REPLICATE_ENTRY_BYTES);
        if (n == 0) {
          throw r.fail(Status.BAD_REQUEST, "REPLICATE_BATCH has no entries, needs at least 1");
        }
        List<Request.Replicate> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          entries.add(replicate(r, true));
        }
        return new Request.ReplicateBatch(entries);
      }
      case HELLO: {
        int version = r.u16("protocol version");
        String token = r.string("auth token");
        String name = r.string("client name");
        // Optional trailing field, so a HELLO from before it existed still decodes.
        byte[] secret = r.remaining() == 0 ? new byte[0]
            : r.bytes(r.u16("peer secret length"), "peer secret",
                Request.Hello.MAX_PEER_SECRET_BYTES);
        return new Request.Hello(version, token, name, secret);
      }
      case GET_TOUCH: {
        Key key = r.key();
        long ttl = r.i64("ttl");
        return new Request.GetTouch(key, ttl, writeId(r));
      }
      case LEASE: {
        Key key = r.key();
        boolean release = r.u8("release flag") != 0;
        long token = r.i64("token");
        long lease = r.i64("lease ms");
        return new Request.Lease(key, release, token, lease, r.i64("max wait ms"));
      }
      case PUT_IF_VERSION: {
        Key key = r.key();
        long expected = r.i64("expected version");
        long ttl = r.i64("ttl");
        Buffer value = r.value();
        return new Request.PutIfVersion(key, expected, value, ttl, writeId(r));
      }
      case DELETE_IF: {
        Key key = r.key();
        long expected = r.i64("expected version");
        boolean expired = r.u8("expired flag") != 0;
        return new Request.DeleteIf(key, expected, expired, writeId(r));
      }
      case CACHE_ADMIN:
        return new Request.CacheAdmin(r.rest("cache admin json"));
      case CACHE_SIZE:
        return new Request.CacheSize(r.string("cache name"));
      case CACHE_CLEAR: {
        String cache = r.string("cache name");
        return new Request.CacheClear(cache, r.u8("events flag") != 0);
      }
      case CLEAR_PEER: {
        String cache = r.string("cache name");
        long below = r.i64("below version");
        return new Request.ClearPeer(cache, below, r.u8("events flag") != 0);
      }
      case WRITE_OUTCOMES: {
        int n = r.count("WRITE_OUTCOMES", limits.maxBatchEntries(), "maxBatchEntries",
            Request.LoggedWrite.WIRE_BYTES);
        if (n == 0) {
          throw r.fail(Status.BAD_REQUEST, "WRITE_OUTCOMES has no outcomes, needs at least 1");
        }
        List<Request.LoggedWrite> writes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          WriteId id = new WriteId(r.i64("write id client"), r.i64("write id sequence"));
          long position = r.i64("position");
          int code = r.u8("write outcome");
          Request.WriteOutcome kind = Request.WriteOutcome.fromCode(code);
          if (id.isNone() || kind == null || kind == Request.WriteOutcome.NONE) {
            throw r.fail(Status.BAD_REQUEST,
                "WRITE_OUTCOMES entry %d needs a write id and an outcome 1..4 (id %s, outcome %d)",
                i, id, code);
          }
          long version = r.i64("version");
          writes.add(new Request.LoggedWrite(id, position, kind, version, r.i64("counter")));
        }
        return new Request.WriteOutcomes(writes);
      }
      case DIGEST_RANGES: {
        int flags = r.u8("digest flags");
        if ((flags & ~1) != 0) {
          throw r.fail(Status.BAD_REQUEST, "unknown DIGEST_RANGES flags 0x%02x", flags);
        }
        int n = r.count("DIGEST_RANGES", Request.DigestRanges.MAX_RANGES, "MAX_RANGES", 16);
        List<PositionRange> ranges = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long first = r.i64("first position");
          ranges.add(new PositionRange(first, r.i64("last position")));
        }
        return new Request.DigestRanges(ranges, flags == 1);
      }
      case RECONCILE_RANGE: {
        long first = r.i64("first position");
        PositionRange range = new PositionRange(first, r.i64("last position"));
        // Smallest entry: a 1-byte key (2 + 1), version, flags.
        int n = r.count("RECONCILE_RANGE", Integer.MAX_VALUE, "frame", 12);
        List<Request.ReconcileRange.Held> held = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Key key = r.key();
          long version = r.i64("version");
          int flags = r.u8("held flags");
          if ((flags & ~1) != 0) {
            throw r.fail(Status.BAD_REQUEST, "unknown RECONCILE_RANGE flags 0x%02x", flags);
          }
          held.add(new Request.ReconcileRange.Held(key, version, flags == 1));
        }
        return new Request.ReconcileRange(range, held);
      }
      case CACHE_SCAN: {
        String cache = r.string("cache name");
        long after = r.i64("after position");
        boolean fromStart = r.u8("from-start flag") != 0;
        return new Request.CacheScan(cache, after, fromStart, r.i32("limit"));
      }
      case SUBSCRIBE: {
        String cache = r.string("cache name");
        int id = r.i32("subscription id");
        int flags = r.u8("subscribe flags");
        return new Request.Subscribe(cache, id, (flags & 1) != 0, (flags & 2) != 0);
      }
      case PING:
        return new Request.Ping();
      case TOPOLOGY:
        return new Request.GetTopology();
      case STATS:
        return new Request.GetStats();
      default:
        throw r.fail(Status.UNKNOWN_OP, "unknown opcode 0x%02x", op.code());
    }
  }

  /**
   * A REPLICATE body, or one entry of a REPLICATE_BATCH: there the write id is announced by flags
   * bit 1 rather than by the bytes left.
   */
  private static Request.Replicate replicate(BodyReader r, boolean batched) {
    Key key = r.key();
    long version = r.i64("version");
    long ttl = r.i64("ttl");
    int flags = r.u8("replicate flags");
    int known = REPLICATE_TOMBSTONE | (batched ? REPLICATE_HAS_WRITE_ID : 0);
    if ((flags & ~known) != 0) {
      throw r.fail(Status.BAD_REQUEST, "unknown REPLICATE flags 0x%02x", flags);
    }
    boolean tombstone = (flags & REPLICATE_TOMBSTONE) != 0;
    Buffer value = r.value();
    WriteId id;
    if (batched) {
      id = (flags & REPLICATE_HAS_WRITE_ID) == 0 ? WriteId.NONE
          : new WriteId(r.i64("write id client"), r.i64("write id sequence"));
    } else {
      id = writeId(r);
    }
    Request.WriteOutcome outcome = Request.WriteOutcome.NONE;
    if (!id.isNone()) {
      int code = r.u8("write outcome");
      outcome = Request.WriteOutcome.fromCode(code);
      if (outcome == null || outcome == Request.WriteOutcome.NONE) {
        throw r.fail(Status.BAD_REQUEST, "unknown REPLICATE write outcome %d", code);
      }
    }
    return new Request.Replicate(key, version, ttl, tombstone, value, id, outcome);
  }

  /**
   * The optional trailing write id of a single-key write: absent when the body ends here, so a
   * write from a client that sends none (or from before write ids existed) still decodes.
   */
  private static WriteId writeId(BodyReader r) {
    if (r.remaining() == 0) {
      return WriteId.NONE;
    }
    long client = r.i64("write id client");
    long sequence = r.i64("write id sequence");
    return new WriteId(client, sequence);
  }

  static Response mismatch(Opcode op, BodyReader r) {
    if (op != Opcode.CAS && op != Opcode.DELETE_IF && op != Opcode.PUT_IF_VERSION) {
      throw r.fail(Status.BAD_REQUEST, "VERSION_MISMATCH does not answer %s", op);
    }
    return new Response.Mismatch(r.i64("current version"));
  }

  static Response stale(Opcode op, BodyReader r) {
    if (op != Opcode.REPLICATE) {
      throw r.fail(Status.BAD_REQUEST, "STALE does not answer %s", op);
    }
    return new Response.Stale(r.i64("held version"));
  }

  static Response ok(Opcode op, BodyReader r, ProtocolLimits limits) {
    switch (op) {
      case GET: {
        long version = r.i64("version");
        long ttl = r.i64("ttl");
        return new Response.Value(version, ttl, r.value());
      }
      case GET_TOUCH: {
        long version = r.i64("version");
        long ttl = r.i64("ttl");
        return new Response.Value(version, ttl, r.value());
      }
      case SET:
      case CAS:
      case PUT_IF_VERSION:
        return new Response.Stored(r.i64("version"));
      case CACHE_SIZE:
      case CACHE_CLEAR:
      case CLEAR_PEER:
      case WRITE_OUTCOMES:
      case SUBSCRIBE: {
        long value = r.i64("value");
        return new Response.Counter(value, r.i64("version"));
      }
      case CACHE_ADMIN:
        return new Response.Stats(r.rest("cache admin json"));
      case LEASE: {
        int code = r.u8("lease state");
        Response.LeaseState state = Response.LeaseState.fromCode(code);
        if (state == null) {
          throw r.fail(Status.BAD_REQUEST, "unknown lease state %d", code);
        }
        long token = r.i64("token");
        long version = r.i64("version");
        long ttl = r.i64("ttl");
        return new Response.LeaseAnswer(state, token, version, ttl,
            state == Response.LeaseState.VALUE ? r.value() : null);
      }
      case DIGEST_RANGES: {
        int n = r.count("DIGEST_RANGES answer", Request.DigestRanges.MAX_RANGES, "MAX_RANGES",
            16);
        List<Response.Digests.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          long sum = r.i64("digest sum");
          entries.add(new Response.Digests.Entry(sum, r.i64("digest count")));
        }
        return new Response.Digests(entries);
      }
      case RECONCILE_RANGE: {
        int flags = r.u8("reconciled flags");
        if ((flags & ~1) != 0) {
          throw r.fail(Status.BAD_REQUEST, "unknown RECONCILE_RANGE answer flags 0x%02x", flags);
        }
        int wantedCount = r.count("RECONCILE_RANGE wanted", Integer.MAX_VALUE, "frame", 3);
        List<Key> wanted = new ArrayList<>(wantedCount);
        for (int i = 0; i < wantedCount; i++) {
          wanted.add(r.key());
        }
        int newerCount = r.count("RECONCILE_RANGE newer", Integer.MAX_VALUE, "frame",
            MIN_REPLICATE_ENTRY_BYTES);
        List<Request.Replicate> newer = new ArrayList<>(newerCount);
        for (int i = 0; i < newerCount; i++) {
          Request.Replicate e = replicate(r, true);
          if (!e.writeId().isNone()) {
            throw r.fail(Status.BAD_REQUEST, "a reconciled entry carries no write id");
          }
          newer.add(e);
        }
        return new Response.Reconciled(wanted, newer, flags == 1);
      }
      case CACHE_SCAN: {
        long next = r.i64("next position");
        // Smallest entry: a 1-byte key (2 + 1), version, ttl, an empty value (4).
        int n = r.count("CACHE_SCAN answer", Integer.MAX_VALUE, "frame", 23);
        List<Response.Entries.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Key key = r.key();
          long version = r.i64("version");
          long ttl = r.i64("ttl");
          entries.add(new Response.Entries.Entry(key, version, ttl, r.value()));
        }
        return new Response.Entries(entries, next);
      }
      case EVENT: {
        int code = r.u8("event type");
        Response.EventType type = Response.EventType.fromCode(code);
        if (type == null) {
          throw r.fail(Status.BAD_REQUEST, "unknown event type %d", code);
        }
        long seq = r.i64("seq");
        long version = r.i64("version");
        if (type == Response.EventType.HEARTBEAT) {
          return new Response.Event(type, seq, null, version, null, null, "");
        }
        if (type == Response.EventType.MISSED) {
          return new Response.Event(type, seq, null, version, null, null, r.string("reason"));
        }
        Key key = r.key();
        Buffer value = optionalValue(r);
        Buffer old = optionalValue(r);
        return new Response.Event(type, seq, key, version, value, old, "");
      }
      case INCREMENT: {
        long value = r.i64("value");
        return new Response.Counter(value, r.i64("version"));
      }
      case PING:
      case DELETE:
      case DELETE_IF:
      case REPLICATE:
        return new Response.Ok();
      case MULTI_GET: {
        int n = r.count("MULTI_GET answer", limits.maxBatchEntries(), "maxBatchEntries", 13);
        List<Response.Values.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Status s = entryStatus(r);
          long version = r.i64("version");
          entries.add(new Response.Values.Entry(s, version, r.value()));
        }
        return new Response.Values(entries);
      }
      case MULTI_SET: {
        int n = r.count("MULTI_SET answer", limits.maxBatchEntries(), "maxBatchEntries", 9);
        List<Response.StoredAll.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Status s = entryStatus(r);
          entries.add(new Response.StoredAll.Entry(s, r.i64("version")));
        }
        return new Response.StoredAll(entries);
      }
      case REPLICATE_BATCH: {
        int n = r.count("REPLICATE_BATCH answer", limits.maxBatchEntries(), "maxBatchEntries",
            MIN_OUTCOME_BYTES);
        List<Response> outcomes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          Status s = entryStatus(r);
          long version = r.i64("held version");
          String message = r.string("message");
          outcomes.add(switch (s) {
            case OK -> new Response.Ok();
            case STALE -> new Response.Stale(version);
            case VERSION_MISMATCH -> throw r.fail(Status.BAD_REQUEST,
                "VERSION_MISMATCH does not answer a REPLICATE_BATCH entry");
            default -> new Response.Failure(s, message);
          });
        }
        return new Response.ReplicaOutcomes(outcomes);
      }
      case HELLO: {
        String node = r.string("node name");
        return new Response.Hello(node, r.u16("protocol version"));
      }
      case TOPOLOGY:
        return new Response.CurrentTopology(TopologyCodec.decode(r));
      case STATS:
        return new Response.Stats(r.rest("stats"));
      default:
        throw r.fail(Status.UNKNOWN_OP, "unknown opcode 0x%02x", op.code());
    }
  }

  private static Buffer optionalValue(BodyReader r) {
    if (r.remaining() >= 4 && r.peekI32() == -1) {
      r.i32("absent value");
      return null;
    }
    return r.value();
  }

  private static Status entryStatus(BodyReader r) {
    int code = r.u8("entry status");
    Status s = Status.fromCode(code);
    if (s == null) {
      throw r.fail(Status.BAD_REQUEST, "unknown entry status %d", code);
    }
    return s;
  }
}
