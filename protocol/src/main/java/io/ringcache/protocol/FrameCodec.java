package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes typed requests and answers into frames and decodes complete frames back.
 *
 * <h2>Design</h2>
 * One codec for both directions and both kinds of peer: clients and nodes, requests and answers
 * share the frame layout of {@link Frame}. The encoder validates sizes against the
 * {@link ProtocolLimits} <em>before</em> it appends anything, so a refused message leaves the
 * output buffer untouched and a client fails the call locally with the status the node would
 * have sent. The decoder ({@link BodyDecoder}) reads bodies with {@link BodyReader}, which checks
 * every length against the bytes left and the limits before it reads.
 *
 * <h2>Hot path</h2>
 * GET and SET allocate only the key's bytes (a key must be copied to be hashed and stored) and
 * the message record; values are slices of the frame, never copies. Sizes of fixed-layout bodies
 * are computed, not measured, so a frame is written in one pass.
 *
 * <h2>Failure</h2>
 * Decoding throws {@link ProtocolException}, non-fatal and addressed to the frame: the frame
 * boundary is known, so the connection can answer and continue. Encoding throws
 * {@link ProtocolException} for limit violations and {@link IllegalArgumentException} for
 * programming errors (an answer type that does not belong to the opcode).
 *
 * <p>Thread-safe: the codec holds only its immutable limits.
 */
public final class FrameCodec {

  /** The protocol version this codec speaks, sent in HELLO. */
  public static final int PROTOCOL_VERSION = 2;
  /**
   * The oldest version a node still serves: version 1 clients know neither named caches nor
   * events, and everything they send means what it meant.
   */
  public static final int MIN_PROTOCOL_VERSION = 1;

  /** Error messages longer than this many characters are cut, so an answer always fits. */
  static final int MAX_MESSAGE_CHARS = 1024;
  /**
   * Per-entry messages of a REPLICATE_BATCH answer are cut shorter, so that a full batch of
   * failures (1024 entries of at most 3 bytes per char) still fits the default frame limit.
   */
  static final int MAX_ENTRY_MESSAGE_CHARS = 256;

  private final ProtocolLimits limits;

  public FrameCodec(ProtocolLimits limits) {
    this.limits = limits;
  }

  public ProtocolLimits limits() {
    return limits;
  }

  // ---------------------------------------------------------------- encoding requests

  /** A new buffer holding one request frame. */
  public Buffer encodeRequest(int requestId, long epoch, int flags, Request request) {
    int body = requestBodySize(request);
    Buffer out = Buffer.buffer(Frame.HEADER_BYTES + body);
    writeRequest(out, requestId, epoch, flags, request, body);
    return out;
  }

  /** Appends one request frame to {@code out}; on failure {@code out} is unchanged. */
  public void encodeRequest(Buffer out, int requestId, long epoch, int flags, Request request) {
    writeRequest(out, requestId, epoch, flags, request, requestBodySize(request));
  }

  private void writeRequest(Buffer out, int requestId, long epoch, int flags, Request request,
      int bodySize) {
    header(out, bodySize, request.opcode().code(), flags & ~Flags.RESPONSE, 0, requestId, epoch);
    int start = out.length();
    if (request instanceof Request.Get g) {
      BodyWriter.key(out, g.key());
    } else if (request instanceof Request.Set s) {
      BodyWriter.key(out, s.key());
      out.appendLong(s.ttlMillis());
      out.appendUnsignedByte((short) s.mode().code());
      BodyWriter.value(out, s.value());
      writeId(out, s.writeId());
    } else if (request instanceof Request.Delete d) {
      BodyWriter.key(out, d.key());
      writeId(out, d.writeId());
    } else if (request instanceof Request.Cas c) {
      BodyWriter.key(out, c.key());
      out.appendLong(c.expectedVersion());
      out.appendLong(c.ttlMillis());
      BodyWriter.value(out, c.value());
      writeId(out, c.writeId());
    } else if (request instanceof Request.Increment i) {
      BodyWriter.key(out, i.key());
      out.appendLong(i.delta());
      out.appendLong(i.ttlMillis());
      writeId(out, i.writeId());
    } else if (request instanceof Request.MultiGet m) {
      out.appendInt(m.keys().size());
      for (Key k : m.keys()) {
        BodyWriter.key(out, k);
      }
    } else if (request instanceof Request.MultiSet m) {
      out.appendInt(m.entries().size());
      for (Request.MultiSet.Entry e : m.entries()) {
        BodyWriter.key(out, e.key());
        out.appendLong(e.ttlMillis());
        BodyWriter.value(out, e.value());
      }
    } else if (request instanceof Request.Replicate r) {
      writeReplicate(out, r, false);
    } else if (request instanceof Request.ReplicateBatch b) {
      out.appendInt(b.entries().size());
      for (Request.Replicate r : b.entries()) {
        writeReplicate(out, r, true);
      }
    } else if (request instanceof Request.Lease l) {
      BodyWriter.key(out, l.key());
      out.appendUnsignedByte((short) (l.release() ? 1 : 0));
      out.appendLong(l.token());
      out.appendLong(l.leaseMillis());
      out.appendLong(l.maxWaitMillis());
    } else if (request instanceof Request.PutIfVersion c) {
      BodyWriter.key(out, c.key());
      out.appendLong(c.expectedVersion());
      out.appendLong(c.ttlMillis());
      BodyWriter.value(out, c.value());
      writeId(out, c.writeId());
    } else if (request instanceof Request.GetTouch g) {
      BodyWriter.key(out, g.key());
      out.appendLong(g.ttlMillis());
      writeId(out, g.writeId());
    } else if (request instanceof Request.DeleteIf d) {
      BodyWriter.key(out, d.key());
      out.appendLong(d.expectedVersion());
      out.appendUnsignedByte((short) (d.asExpired() ? 1 : 0));
      writeId(out, d.writeId());
    } else if (request instanceof Request.CacheAdmin a) {
      out.appendBytes(Utf8.encode(a.json(), "cache admin json"));
    } else if (request instanceof Request.CacheSize c) {
      BodyWriter.string(out, c.cache(), "cache name");
    } else if (request instanceof Request.CacheClear c) {
      BodyWriter.string(out, c.cache(), "cache name");
      out.appendUnsignedByte((short) (c.withEvents() ? 1 : 0));
    } else if (request instanceof Request.ClearPeer c) {
      BodyWriter.string(out, c.cache(), "cache name");
      out.appendLong(c.belowVersion());
      out.appendUnsignedByte((short) (c.withEvents() ? 1 : 0));
    } else if (request instanceof Request.WriteOutcomes w) {
      out.appendInt(w.writes().size());
      for (Request.LoggedWrite l : w.writes()) {
        out.appendLong(l.id().client());
        out.appendLong(l.id().sequence());
        out.appendLong(l.position());
        out.appendUnsignedByte((short) l.kind().code());
        out.appendLong(l.version());
        out.appendLong(l.counter());
      }
    } else if (request instanceof Request.DigestRanges d) {
      out.appendUnsignedByte((short) (d.indexWhole() ? 1 : 0));
      out.appendInt(d.ranges().size());
      for (PositionRange range : d.ranges()) {
        out.appendLong(range.first());
        out.appendLong(range.last());
      }
    } else if (request instanceof Request.ReconcileRange c) {
      out.appendLong(c.range().first());
      out.appendLong(c.range().last());
      out.appendInt(c.held().size());
      for (Request.ReconcileRange.Held h : c.held()) {
        BodyWriter.key(out, h.key());
        out.appendLong(h.version());
        out.appendUnsignedByte((short) (h.tombstone() ? 1 : 0));
      }
    } else if (request instanceof Request.CacheScan c) {
      BodyWriter.string(out, c.cache(), "cache name");
      out.appendLong(c.afterPosition());
      out.appendUnsignedByte((short) (c.fromStart() ? 1 : 0));
      out.appendInt(c.limit());
    } else if (request instanceof Request.Subscribe c) {
      BodyWriter.string(out, c.cache(), "cache name");
      out.appendInt(c.subscriptionId());
      out.appendUnsignedByte((short) ((c.withOldValues() ? 1 : 0) | (c.cancel() ? 2 : 0)));
    } else if (request instanceof Request.Hello h) {
      out.appendUnsignedShort(h.protocolVersion());
      BodyWriter.string(out, h.authToken(), "auth token");
      BodyWriter.string(out, h.clientName(), "client name");
      if (h.claimsPeer()) {
        byte[] secret = h.peerSecret();
        out.appendUnsignedShort(secret.length);
        out.appendBytes(secret);
      }
    }
    // PING, TOPOLOGY and STATS requests have empty bodies.
    if (out.length() - start != bodySize) {
      throw new IllegalStateException(String.format(
          "%s body is %d bytes, computed %d", request.opcode(), out.length() - start, bodySize));
    }
  }

  /**
   * One REPLICATE entry. Alone, its write id is a trailing field (present when bytes are left); in
   * a batch, flags bit 1 says whether one follows, since the next entry follows at once.
   */
  private static void writeReplicate(Buffer out, Request.Replicate r, boolean batched) {
    boolean hasId = !r.writeId().isNone();
    int flags = (r.tombstone() ? BodyDecoder.REPLICATE_TOMBSTONE : 0)
        | (batched && hasId ? BodyDecoder.REPLICATE_HAS_WRITE_ID : 0);
    BodyWriter.key(out, r.key());
    out.appendLong(r.version());
    out.appendLong(r.ttlMillis());
    out.appendUnsignedByte((short) flags);
    BodyWriter.value(out, r.value());
    if (hasId) {
      writeId(out, r.writeId());
      out.appendUnsignedByte((short) r.outcome().code());
    }
  }

  /**
   * Body bytes of {@code r} as a REPLICATE, which are also its bytes as an entry of a
   * REPLICATE_BATCH; lets a sender bound a batch before it builds one.
   *
   * @throws ProtocolException KEY_TOO_LARGE or VALUE_TOO_LARGE
   */
  public int replicateEntryBytes(Request.Replicate r) {
    return (int) (keySize(r.key()) + 17 + valueSize(r.value())
        + (r.writeId().isNone() ? 0 : WriteId.BYTES + 1));
  }

  /** The optional trailing write id: nothing for {@link WriteId#NONE}. */
  private static void writeId(Buffer out, WriteId id) {
    if (!id.isNone()) {
      out.appendLong(id.client());
      out.appendLong(id.sequence());
    }
  }

  private static int writeIdSize(WriteId id) {
    return id.isNone() ? 0 : WriteId.BYTES;
  }

  /** Validates sizes and returns the body length, before anything is written. */
  private int requestBodySize(Request request) {
    long size;
    if (request instanceof Request.Get g) {
      size = keySize(g.key());
    } else if (request instanceof Request.Set s) {
      size = keySize(s.key()) + 8 + 1 + valueSize(s.value()) + writeIdSize(s.writeId());
    } else if (request instanceof Request.Delete d) {
      size = keySize(d.key()) + writeIdSize(d.writeId());
    } else if (request instanceof Request.Cas c) {
      size = keySize(c.key()) + 16 + valueSize(c.value()) + writeIdSize(c.writeId());
    } else if (request instanceof Request.Increment i) {
      size = keySize(i.key()) + 16 + writeIdSize(i.writeId());
    } else if (request instanceof Request.MultiGet m) {
      checkBatch(m.keys().size());
      size = 4;
      for (Key k : m.keys()) {
        size += keySize(k);
      }
    } else if (request instanceof Request.MultiSet m) {
      checkBatch(m.entries().size());
      size = 4;
      for (Request.MultiSet.Entry e : m.entries()) {
        size += keySize(e.key()) + 8 + valueSize(e.value());
      }
    } else if (request instanceof Request.Replicate r) {
      size = replicateEntryBytes(r);
    } else if (request instanceof Request.ReplicateBatch b) {
      checkBatch(b.entries().size());
      size = 4;
      for (Request.Replicate r : b.entries()) {
        size += replicateEntryBytes(r);
      }
    } else if (request instanceof Request.Lease l) {
      size = keySize(l.key()) + 25;
    } else if (request instanceof Request.PutIfVersion c) {
      size = keySize(c.key()) + 16 + valueSize(c.value()) + writeIdSize(c.writeId());
    } else if (request instanceof Request.GetTouch g) {
      size = keySize(g.key()) + 8 + writeIdSize(g.writeId());
    } else if (request instanceof Request.DeleteIf d) {
      size = keySize(d.key()) + 9 + writeIdSize(d.writeId());
    } else if (request instanceof Request.CacheAdmin a) {
      size = Utf8.encode(a.json(), "cache admin json").length;
    } else if (request instanceof Request.CacheSize c) {
      size = stringSize(c.cache(), "cache name");
    } else if (request instanceof Request.CacheClear c) {
      size = stringSize(c.cache(), "cache name") + 1;
    } else if (request instanceof Request.ClearPeer c) {
      size = stringSize(c.cache(), "cache name") + 9;
    } else if (request instanceof Request.WriteOutcomes w) {
      checkBatch(w.writes().size());
      size = 4 + (long) Request.LoggedWrite.WIRE_BYTES * w.writes().size();
    } else if (request instanceof Request.DigestRanges d) {
      size = 5 + 16L * d.ranges().size();
    } else if (request instanceof Request.ReconcileRange c) {
      size = 20;
      for (Request.ReconcileRange.Held h : c.held()) {
        size += keySize(h.key()) + 9;
      }
    } else if (request instanceof Request.CacheScan c) {
      size = stringSize(c.cache(), "cache name") + 13;
    } else if (request instanceof Request.Subscribe c) {
      size = stringSize(c.cache(), "cache name") + 5;
    } else if (request instanceof Request.Hello h) {
      size = 2 + stringSize(h.authToken(), "auth token")
          + stringSize(h.clientName(), "client name")
          + (h.claimsPeer() ? 2 + h.peerSecret().length : 0);
    } else {
      size = 0;
    }
    return checkFrame(size);
  }

  // ---------------------------------------------------------------- encoding answers

  /** A new buffer holding one answer frame. */
  public Buffer encodeResponse(Opcode opcode, int requestId, long epoch, int flags,
      Response response) {
    Buffer out = Buffer.buffer(Frame.HEADER_BYTES + 64);
    encodeResponse(out, opcode, requestId, epoch, flags, response);
    return out;
  }

  /**
   * Appends the answer to a request of {@code opcode}; the RESPONSE flag is set whatever
   * {@code flags} holds. On failure {@code out} is unchanged.
   *
   * @throws IllegalArgumentException if {@code response} is not an answer to {@code opcode}
   */
  public void encodeResponse(Buffer out, Opcode opcode, int requestId, long epoch, int flags,
      Response response) {
    requireAnswers(opcode, response);
    int code = opcode.code();
    int f = flags | Flags.RESPONSE;
    int status = response.status().code();
    if (response instanceof Response.Value v) {
      int size = checkFrame(16L + valueSize(v.value()));
      header(out, size, code, f, status, requestId, epoch);
      out.appendLong(v.version());
      out.appendLong(v.ttlMillis());
      BodyWriter.value(out, v.value());
    } else if (response instanceof Response.Stored s) {
      header(out, 8, code, f, status, requestId, epoch);
      out.appendLong(s.version());
    } else if (response instanceof Response.Mismatch m) {
      header(out, 8, code, f, status, requestId, epoch);
      out.appendLong(m.currentVersion());
    } else if (response instanceof Response.Stale st) {
      header(out, 8, code, f, status, requestId, epoch);
      out.appendLong(st.heldVersion());
    } else if (response instanceof Response.Counter c) {
      header(out, 16, code, f, status, requestId, epoch);
      out.appendLong(c.value());
      out.appendLong(c.version());
    } else if (response instanceof Response.Ok) {
      header(out, 0, code, f, status, requestId, epoch);
    } else if (response instanceof Response.Values v) {
      checkBatch(v.entries().size());
      long size = 4;
      for (Response.Values.Entry e : v.entries()) {
        size += 1 + 8 + valueSize(e.value());
      }
      header(out, checkFrame(size), code, f, status, requestId, epoch);
      out.appendInt(v.entries().size());
      for (Response.Values.Entry e : v.entries()) {
        out.appendUnsignedByte((short) e.status().code());
        out.appendLong(e.version());
        BodyWriter.value(out, e.value());
      }
    } else if (response instanceof Response.StoredAll s) {
      checkBatch(s.entries().size());
      header(out, checkFrame(4L + 9L * s.entries().size()), code, f, status, requestId, epoch);
      out.appendInt(s.entries().size());
      for (Response.StoredAll.Entry e : s.entries()) {
        out.appendUnsignedByte((short) e.status().code());
        out.appendLong(e.version());
      }
    } else if (response instanceof Response.Digests d) {
      header(out, checkFrame(4L + 16L * d.entries().size()), code, f, status, requestId, epoch);
      out.appendInt(d.entries().size());
      for (Response.Digests.Entry e : d.entries()) {
        out.appendLong(e.sum());
        out.appendLong(e.count());
      }
    } else if (response instanceof Response.Reconciled r) {
      long size = 1 + 4 + 4;
      for (Key k : r.wanted()) {
        size += keySize(k);
      }
      for (Request.Replicate e : r.newer()) {
        size += replicateEntryBytes(e);
      }
      header(out, checkFrame(size), code, f, status, requestId, epoch);
      out.appendUnsignedByte((short) (r.more() ? 1 : 0));
      out.appendInt(r.wanted().size());
      for (Key k : r.wanted()) {
        BodyWriter.key(out, k);
      }
      out.appendInt(r.newer().size());
      for (Request.Replicate e : r.newer()) {
        writeReplicate(out, e, true);
      }
    } else if (response instanceof Response.ReplicaOutcomes o) {
      checkBatch(o.outcomes().size());
      long size = 4;
      byte[][] messages = new byte[o.outcomes().size()][];
      for (int i = 0; i < messages.length; i++) {
        messages[i] = o.outcomes().get(i) instanceof Response.Failure e
            ? Utf8.encode(cut(e.message(), MAX_ENTRY_MESSAGE_CHARS), "message") : new byte[0];
        size += 1 + 8 + 2 + messages[i].length;
      }
      header(out, checkFrame(size), code, f, status, requestId, epoch);
      out.appendInt(messages.length);
      for (int i = 0; i < messages.length; i++) {
        Response r = o.outcomes().get(i);
        out.appendUnsignedByte((short) r.status().code());
        out.appendLong(r instanceof Response.Stale st ? st.heldVersion() : 0);
        out.appendUnsignedShort(messages[i].length);
        out.appendBytes(messages[i]);
      }
    } else {
      // Variable bodies off the hot path: build first, then measure.
      Buffer body = Buffer.buffer();
      if (response instanceof Response.Hello h) {
        BodyWriter.string(body, h.nodeName(), "node name");
        body.appendUnsignedShort(h.protocolVersion());
      } else if (response instanceof Response.CurrentTopology t) {
        TopologyCodec.encode(t.topology(), body);
      } else if (response instanceof Response.Stats s) {
        body.appendBytes(Utf8.encode(s.json(), "stats json"));
      } else if (response instanceof Response.LeaseAnswer l) {
        body.appendUnsignedByte((short) l.state().code());
        body.appendLong(l.token());
        body.appendLong(l.version());
        body.appendLong(l.ttlMillis());
        if (l.value() != null) {
          BodyWriter.value(body, l.value());
        }
      } else if (response instanceof Response.Entries e) {
        body.appendLong(e.nextPosition());
        body.appendInt(e.entries().size());
        for (Response.Entries.Entry en : e.entries()) {
          keySize(en.key());
          valueSize(en.value());
          BodyWriter.key(body, en.key());
          body.appendLong(en.version());
          body.appendLong(en.ttlMillis());
          BodyWriter.value(body, en.value());
        }
      } else if (response instanceof Response.Event ev) {
        body.appendUnsignedByte((short) ev.type().code());
        body.appendLong(ev.seq());
        body.appendLong(ev.version());
        if (ev.type() == Response.EventType.HEARTBEAT) {
          // Type, seq and version only.
        } else if (ev.type() == Response.EventType.MISSED) {
          BodyWriter.string(body, cut(ev.reason()), "reason");
        } else {
          keySize(ev.key());
          BodyWriter.key(body, ev.key());
          optionalValue(body, ev.value());
          optionalValue(body, ev.oldValue());
        }
      } else if (response instanceof Response.Failure e) {
        body.appendBytes(Utf8.encode(cut(e.message()), "message"));
      }
      header(out, checkFrame(body.length()), code, f, status, requestId, epoch);
      out.appendBuffer(body);
    }
  }

  private void optionalValue(Buffer out, Buffer value) {
    if (value == null) {
      out.appendInt(-1);
    } else {
      valueSize(value);
      BodyWriter.value(out, value);
    }
  }

  /**
   * Appends an error answer. {@code opcodeCode} is raw so that an unknown opcode can be echoed;
   * messages over {@value #MAX_MESSAGE_CHARS} characters are cut.
   */
  public void encodeError(Buffer out, int opcodeCode, int requestId, long epoch, Status status,
      String message) {
    Response.Failure failure = new Response.Failure(status, message);
    byte[] body = Utf8.encode(cut(failure.message()), "message");
    header(out, body.length, opcodeCode & 0xFF, Flags.RESPONSE, status.code(), requestId, epoch);
    out.appendBytes(body);
  }

  /** Appends the answer to a rejected frame (request id 0 when the header was unreadable). */
  public void encodeError(Buffer out, ProtocolException e, long epoch) {
    encodeError(out, e.opcodeCode(), e.hasRequestId() ? e.requestId() : 0, epoch, e.status(),
        e.getMessage());
  }

  private static String cut(String message) {
    return cut(message, MAX_MESSAGE_CHARS);
  }

  private static String cut(String message, int max) {
    if (message.length() <= max) {
      return message;
    }
    int end = max;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end);
  }

  private static void requireAnswers(Opcode opcode, Response r) {
    if (r instanceof Response.Failure) {
      return;
    }
    boolean ok;
    switch (opcode) {
      case HELLO -> ok = r instanceof Response.Hello;
      case PING, DELETE -> ok = r instanceof Response.Ok;
      case REPLICATE -> ok = r instanceof Response.Ok || r instanceof Response.Stale;
      case REPLICATE_BATCH -> ok = r instanceof Response.ReplicaOutcomes;
      case GET -> ok = r instanceof Response.Value;
      case SET -> ok = r instanceof Response.Stored;
      case CAS, PUT_IF_VERSION -> ok = r instanceof Response.Stored
          || r instanceof Response.Mismatch;
      case INCREMENT -> ok = r instanceof Response.Counter;
      case MULTI_GET -> ok = r instanceof Response.Values;
      case MULTI_SET -> ok = r instanceof Response.StoredAll;
      case TOPOLOGY -> ok = r instanceof Response.CurrentTopology;
      case STATS, CACHE_ADMIN -> ok = r instanceof Response.Stats;
      case GET_TOUCH -> ok = r instanceof Response.Value;
      case DELETE_IF -> ok = r instanceof Response.Ok || r instanceof Response.Mismatch;
      case CACHE_SIZE, CACHE_CLEAR, CLEAR_PEER, SUBSCRIBE, WRITE_OUTCOMES ->
          ok = r instanceof Response.Counter;
      case CACHE_SCAN -> ok = r instanceof Response.Entries;
      case EVENT -> ok = r instanceof Response.Event;
      case LEASE -> ok = r instanceof Response.LeaseAnswer;
      case DIGEST_RANGES -> ok = r instanceof Response.Digests;
      case RECONCILE_RANGE -> ok = r instanceof Response.Reconciled;
      default -> ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(String.format(
          "%s does not answer %s", r.getClass().getSimpleName(), opcode));
    }
  }

  // ---------------------------------------------------------------- decoding

  /**
   * The request in {@code frame}.
   *
   * @throws ProtocolException UNKNOWN_OP, KEY_TOO_LARGE, VALUE_TOO_LARGE or BAD_REQUEST,
   *     non-fatal and addressed to the frame
   */
  public Request decodeRequest(Frame frame) {
    BodyReader r = new BodyReader(frame.body(), limits, frame);
    Opcode op = frame.opcode();
    if (op == null) {
      throw r.fail(Status.UNKNOWN_OP, "unknown opcode 0x%02x", frame.opcodeCode());
    }
    if (frame.isResponse()) {
      throw r.fail(Status.BAD_REQUEST, "expected a request, got a %s answer", op);
    }
    Request request;
    try {
      request = BodyDecoder.request(op, r, limits);
    } catch (IllegalArgumentException e) {
      throw r.fail(Status.BAD_REQUEST, "invalid %s request: %s", op, e.getMessage());
    }
    r.end(op.name());
    return request;
  }

  /**
   * The answer in {@code frame}. Any status other than OK, VERSION_MISMATCH and STALE decodes to a
   * {@link Response.Failure}, whatever the opcode, so an UNKNOWN_OP answer echoing an unknown
   * opcode still decodes.
   *
   * @throws ProtocolException BAD_REQUEST for a malformed answer (the peer is broken)
   */
  public Response decodeResponse(Frame frame) {
    BodyReader r = new BodyReader(frame.body(), limits, frame);
    Status status = frame.status();
    if (status == null) {
      throw r.fail(Status.BAD_REQUEST, "unknown status code %d", frame.statusCode());
    }
    if (!frame.isResponse()) {
      throw r.fail(Status.BAD_REQUEST, "expected an answer, got a request");
    }
    if (status != Status.OK && status != Status.VERSION_MISMATCH && status != Status.STALE) {
      return new Response.Failure(status, r.rest("message"));
    }
    Opcode op = frame.opcode();
    if (op == null) {
      throw r.fail(Status.UNKNOWN_OP, "unknown opcode 0x%02x in a %s answer", frame.opcodeCode(),
          status);
    }
    Response response;
    try {
      response = switch (status) {
        case VERSION_MISMATCH -> BodyDecoder.mismatch(op, r);
        case STALE -> BodyDecoder.stale(op, r);
        default -> BodyDecoder.ok(op, r, limits);
      };
    } catch (IllegalArgumentException e) {
      throw r.fail(Status.BAD_REQUEST, "invalid %s answer: %s", op, e.getMessage());
    }
    r.end(op.name() + " answer");
    return response;
  }

  // ---------------------------------------------------------------- sizes and header

  private static void header(Buffer out, int bodySize, int opcode, int flags, int status,
      int requestId, long epoch) {
    out.appendInt(Frame.MIN_LENGTH + bodySize);
    out.appendUnsignedByte((short) opcode);
    out.appendUnsignedByte((short) (flags & 0xFF));
    out.appendUnsignedByte((short) status);
    out.appendUnsignedByte((short) 0);
    out.appendInt(requestId);
    out.appendLong(epoch);
  }

  private int keySize(Key key) {
    int userBytes = key.isQualified() ? key.userKeyLength() : key.length();
    if (userBytes > limits.maxKeyBytes()) {
      throw ProtocolException.of(Status.KEY_TOO_LARGE, String.format(
          "key is %d bytes, limit is %d (maxKeyBytes)", userBytes, limits.maxKeyBytes()));
    }
    if (key.length() > 0xFFFF) {
      throw ProtocolException.of(Status.KEY_TOO_LARGE, String.format(
          "key with its cache name is %d bytes, limit is 65535", key.length()));
    }
    return 2 + key.length();
  }

  private long valueSize(Buffer value) {
    if (value.length() > limits.maxValueBytes()) {
      throw ProtocolException.of(Status.VALUE_TOO_LARGE, String.format(
          "value is %d bytes, limit is %d (maxValueBytes)", value.length(),
          limits.maxValueBytes()));
    }
    return 4L + value.length();
  }

  private static int stringSize(String s, String what) {
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    if (n > 0xFFFF) {
      throw new IllegalArgumentException(String.format("%s is %d bytes, limit is 65535", what, n));
    }
    return 2 + n;
  }

  private void checkBatch(int entries) {
    if (entries > limits.maxBatchEntries()) {
      throw ProtocolException.of(Status.BAD_REQUEST, String.format(
          "batch has %d entries, limit is %d (maxBatchEntries)", entries,
          limits.maxBatchEntries()));
    }
  }

  private int checkFrame(long bodySize) {
    long frame = Frame.HEADER_BYTES + bodySize;
    if (frame > limits.maxFrameBytes()) {
      throw ProtocolException.of(Status.FRAME_TOO_LARGE, String.format(
          "frame is %d bytes, limit is %d (maxFrameBytes)", frame, limits.maxFrameBytes()));
    }
    return (int) bodySize;
  }
}
