package io.ringcache.node.resp;

import io.netty.buffer.Unpooled;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * The string commands that map onto one operation of the request path: GET, SET and its
 * variants, MGET, MSET, MSETNX, STRLEN, GETRANGE and the integer counters. Read-modify-write
 * string commands live in {@link StringEditCommands}.
 *
 * <p>Every command builds a {@link Request} and hands it to the node's request path, which routes
 * it to the key's owners from whichever node the client is connected to. Multi-key commands
 * are split into batches of at most {@code maxBatchEntries} keys; the path splits a batch per
 * owner. MSET is therefore not atomic across keys (each key is written atomically, and a failure
 * names how many were stored); MSETNX of more than one key is refused, since no owner can
 * decide for keys held by others.
 */
final class StringCommands {

  private final RespNode node;
  private final ProtocolLimits limits;

  StringCommands(RespNode node) {
    this.node = node;
    this.limits = node.settings().limits();
  }

  void register(CommandTable t) {
    t.add("get", 2, "readonly fast", 1, 1, 1, "string", "Returns the string value of a key.",
        (s, a) -> call(new Request.Get(key(a.get(1)))).map(Replies::value));
    t.add("set", -3, "write denyoom", 1, 1, 1, "string",
        "Sets the string value of a key, ignoring its type.", (s, a) -> set(a));
    t.add("setnx", 3, "write denyoom fast", 1, 1, 1, "string",
        "Set the string value of a key only when the key doesn't exist.", (s, a) ->
            call(new Request.Set(key(a.get(1)), value(a.get(2)), 0, SetMode.IF_ABSENT))
                .map(r -> r instanceof Response.Stored ? RespReply.ONE
                    : r.status() == Status.EXISTS ? RespReply.ZERO : Replies.failure(r)));
    t.add("setex", 4, "write denyoom", 1, 1, 1, "string",
        "Sets the string value and expiration time of a key.",
        (s, a) -> setWithTtl(a, ExpiryOptions.Unit.SECONDS, "setex"));
    t.add("psetex", 4, "write denyoom", 1, 1, 1, "string",
        "Sets both string value and expiration time in milliseconds of a key.",
        (s, a) -> setWithTtl(a, ExpiryOptions.Unit.MILLIS, "psetex"));
    t.add("mget", -2, "readonly fast", 1, -1, 1, "string",
        "Atomically returns the string values of one or more keys.", (s, a) -> mget(a));
    t.add("mset", -3, "write denyoom", 1, -1, 2, "string",
        "Atomically creates or modifies the string values of one or more keys.",
        (s, a) -> mset(a));
    t.add("msetnx", -3, "write denyoom", 1, -1, 2, "string",
        "Atomically modifies the string values of one or more keys only when all keys don't"
            + " exist.", (s, a) -> msetnx(a));
    t.add("strlen", 2, "readonly fast", 1, 1, 1, "string",
        "Returns the length of a string value.", (s, a) ->
            call(new Request.Get(key(a.get(1)))).map(r -> r instanceof Response.Value v
                ? RespReply.integer(v.value().length())
                : r.status() == Status.NOT_FOUND ? RespReply.ZERO : Replies.failure(r)));
    t.add("getrange", 4, "readonly", 1, 1, 1, "string",
        "Returns a substring of the string stored at a key.", (s, a) -> getRange(a));
    t.add("incr", 2, "write denyoom fast", 1, 1, 1, "string",
        "Increments the integer value of a key by one.", (s, a) -> add(a.get(1), 1));
    t.add("decr", 2, "write denyoom fast", 1, 1, 1, "string",
        "Decrements the integer value of a key by one.", (s, a) -> add(a.get(1), -1));
    t.add("incrby", 3, "write denyoom fast", 1, 1, 1, "string",
        "Increments the integer value of a key by a number.",
        (s, a) -> add(a.get(1), Args.integer(a.get(2))));
    t.add("decrby", 3, "write denyoom fast", 1, 1, 1, "string",
        "Decrements a number from the integer value of a key.", (s, a) -> {
          long by = Args.integer(a.get(2));
          if (by == Long.MIN_VALUE) {
            throw new RespError("ERR decrement would overflow");
          }
          return add(a.get(1), -by);
        });
  }

  private Future<Response> call(Request r) {
    return node.path().call(r);
  }

  Key key(byte[] raw) {
    return RespKeys.toKey(raw, limits.maxKeyBytes());
  }

  /** The argument as a value, wrapped, not copied: the parser gave it an array of its own. */
  Buffer value(byte[] raw) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(checkedLength(raw.length, raw)));
  }

  private byte[] checkedLength(long length, byte[] raw) {
    if (length > limits.maxValueBytes()) {
      throw new RespError(String.format("ERR value is %d bytes, limit is %d (maxValueBytes)",
          length, limits.maxValueBytes()));
    }
    return raw;
  }

  // ------------------------------------------------------------------ SET

  private Future<RespReply> set(List<byte[]> a) {
    Key key = key(a.get(1));
    Buffer value = value(a.get(2));
    SetOptions o = SetOptions.parse(a, 3);
    if (o.simple()) {
      SetMode mode = o.nx ? SetMode.IF_ABSENT : o.xx ? SetMode.IF_PRESENT : SetMode.ALWAYS;
      return call(new Request.Set(key, value, o.hasTtl ? o.ttlMillis : 0, mode)).map(r ->
          r instanceof Response.Stored ? RespReply.OK
              : r.status() == Status.EXISTS || r.status() == Status.NOT_FOUND ? RespReply.NIL
              : Replies.failure(r));
    }
    return ReadModifyWrite.run(node.path(), key, current -> {
      RespReply old = current == null ? RespReply.NIL : new RespReply.Bulk(current.value());
      RespReply done = o.get ? old : RespReply.OK;
      if ((o.nx && current != null) || (o.xx && current == null)) {
        return new ReadModifyWrite.Answer(o.get ? old : RespReply.NIL);
      }
      if (o.hasTtl && o.ttlMillis <= 0) {
        return new ReadModifyWrite.Remove(done);
      }
      long ttl = o.keepTtl ? ReadModifyWrite.keptTtl(current) : o.hasTtl ? o.ttlMillis : 0;
      return new ReadModifyWrite.Write(value, ttl, done);
    });
  }

  private Future<RespReply> setWithTtl(List<byte[]> a, ExpiryOptions.Unit unit, String command) {
    Key key = key(a.get(1));
    long amount = Args.integer(a.get(2));
    if (amount <= 0) {
      throw ExpiryOptions.invalid(command);
    }
    long ttl = ExpiryOptions.ttlMillis(amount, unit, command);
    return call(new Request.Set(key, value(a.get(3)), ttl, SetMode.ALWAYS))
        .map(r -> r instanceof Response.Stored ? RespReply.OK : Replies.failure(r));
  }

  /** SET's options, parsed and checked as Redis does. */
  private static final class SetOptions {
    boolean nx;
    boolean xx;
    boolean get;
    boolean keepTtl;
    boolean hasTtl;
    long ttlMillis;

    /** Whether one conditional SET does it, without reading first. */
    boolean simple() {
      return !get && !keepTtl && !(hasTtl && ttlMillis <= 0);
    }

    static SetOptions parse(List<byte[]> a, int from) {
      SetOptions o = new SetOptions();
      for (int i = from; i < a.size(); i++) {
        String word = Args.upper(a.get(i));
        ExpiryOptions.Unit unit = ExpiryOptions.unitOf(word);
        if (unit != null) {
          if (o.hasTtl || o.keepTtl || i + 1 >= a.size()) {
            throw new RespError(RespError.SYNTAX);
          }
          long amount = Args.integer(a.get(++i));
          if (amount <= 0) {
            throw ExpiryOptions.invalid("set");
          }
          o.hasTtl = true;
          o.ttlMillis = ExpiryOptions.ttlMillis(amount, unit, "set");
        } else if (word.equals("NX") && !o.xx) {
          o.nx = true;
        } else if (word.equals("XX") && !o.nx) {
          o.xx = true;
        } else if (word.equals("GET")) {
          o.get = true;
        } else if (word.equals("KEEPTTL") && !o.hasTtl) {
          o.keepTtl = true;
        } else {
          throw new RespError(RespError.SYNTAX);
        }
      }
      return o;
    }
  }

  // ------------------------------------------------------------------ multi-key

  private Future<RespReply> mget(List<byte[]> a) {
    List<Key> keys = new ArrayList<>(a.size() - 1);
    for (int i = 1; i < a.size(); i++) {
      keys.add(key(a.get(i)));
    }
    List<Future<Response>> parts = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += limits.maxBatchEntries()) {
      parts.add(call(new Request.MultiGet(
          keys.subList(from, Math.min(keys.size(), from + limits.maxBatchEntries())))));
    }
    return Future.all(parts).map(all -> {
      List<RespReply> out = new ArrayList<>(keys.size());
      long bytes = 0;
      for (Future<Response> part : parts) {
        Response r = part.result();
        if (!(r instanceof Response.Values values)) {
          return Replies.failure(r);
        }
        for (Response.Values.Entry e : values.entries()) {
          if (e.status() == Status.OK) {
            out.add(new RespReply.Bulk(e.value()));
            bytes += e.value().length();
          } else if (e.status() == Status.NOT_FOUND) {
            out.add(RespReply.NIL);
          } else if (e.status() == Status.FRAME_TOO_LARGE) {
            return RespReply.error(String.format("ERR MGET answer from one owner exceeds %d bytes"
                + " (maxFrameBytes); ask for fewer keys per call", limits.maxFrameBytes()));
          } else {
            return Replies.failure(new Response.Failure(e.status(), "reading one of the keys"));
          }
        }
      }
      if (bytes > limits.maxFrameBytes()) {
        // The binary protocol's bound on one MULTI_GET answer, for the same reason.
        return RespReply.error(String.format("ERR MGET answer would hold %d bytes of values, limit"
            + " is %d (maxFrameBytes); ask for fewer keys per call", bytes,
            limits.maxFrameBytes()));
      }
      return new RespReply.Array(out);
    });
  }

  private Future<RespReply> mset(List<byte[]> a) {
    if ((a.size() - 1) % 2 != 0) {
      throw Args.wrongArgs("mset");
    }
    List<Request.MultiSet.Entry> entries = new ArrayList<>();
    for (int i = 1; i < a.size(); i += 2) {
      entries.add(new Request.MultiSet.Entry(key(a.get(i)), value(a.get(i + 1)), 0));
    }
    List<Future<Response>> parts = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += limits.maxBatchEntries()) {
      parts.add(call(new Request.MultiSet(
          entries.subList(from, Math.min(entries.size(), from + limits.maxBatchEntries())))));
    }
    return Future.all(parts).map(all -> {
      int stored = 0;
      Status failed = null;
      for (Future<Response> part : parts) {
        Response r = part.result();
        if (!(r instanceof Response.StoredAll done)) {
          failed = failed == null ? r.status() : failed;
          continue;
        }
        for (Response.StoredAll.Entry e : done.entries()) {
          if (e.status() == Status.OK) {
            stored++;
          } else if (failed == null) {
            failed = e.status();
          }
        }
      }
      return failed == null ? RespReply.OK : RespReply.error(String.format(
          "ERR %s: MSET stored %d of %d keys (not atomic across keys; see docs/resp.md)",
          failed, stored, entries.size()));
    });
  }

  private Future<RespReply> msetnx(List<byte[]> a) {
    if ((a.size() - 1) % 2 != 0) {
      throw Args.wrongArgs("msetnx");
    }
    if (a.size() > 3) {
      throw new RespError("ERR MSETNX of more than one key is not supported: ringcache cannot"
          + " write several keys atomically, since different nodes own them; use SETNX per key");
    }
    return call(new Request.Set(key(a.get(1)), value(a.get(2)), 0, SetMode.IF_ABSENT))
        .map(r -> r instanceof Response.Stored ? RespReply.ONE
            : r.status() == Status.EXISTS ? RespReply.ZERO : Replies.failure(r));
  }

  // ------------------------------------------------------------------ ranges and counters

  private Future<RespReply> getRange(List<byte[]> a) {
    Key key = key(a.get(1));
    long start = Args.integer(a.get(2));
    long end = Args.integer(a.get(3));
    return call(new Request.Get(key)).map(r -> {
      if (!(r instanceof Response.Value v)) {
        return r.status() == Status.NOT_FOUND ? RespReply.bulk("") : Replies.failure(r);
      }
      int len = v.value().length();
      // Redis: both negative and start after end is empty, before any clamping.
      if (start < 0 && end < 0 && start > end) {
        return RespReply.bulk("");
      }
      long from = start < 0 ? Math.max(0, len + start) : start;
      long to = end < 0 ? Math.max(0, len + end) : end;
      to = Math.min(to, len - 1L);
      if (len == 0 || from > to) {
        return RespReply.bulk("");
      }
      return new RespReply.Bulk(v.value().getBuffer((int) from, (int) to + 1));
    });
  }

  private Future<RespReply> add(byte[] rawKey, long delta) {
    return call(new Request.Increment(key(rawKey), delta, 0)).map(r -> {
      if (r instanceof Response.Counter c) {
        return RespReply.integer(c.value());
      }
      if (r.status() == Status.BAD_REQUEST && r instanceof Response.Failure f) {
        return RespReply.error(f.message().contains("range") && f.message().contains("leaves")
            ? "ERR increment or decrement would overflow" : RespError.NOT_AN_INTEGER);
      }
      return Replies.failure(r);
    });
  }
}
