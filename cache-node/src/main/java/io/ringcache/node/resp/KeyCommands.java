package io.ringcache.node.resp;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands on keys whatever they hold: DEL, UNLINK, EXISTS, TOUCH, TYPE, the EXPIRE family,
 * TTL, PTTL and PERSIST. Every value is a string here, so TYPE answers {@code string} or
 * {@code none} and WRONGTYPE never arises.
 *
 * <p>Changing a TTL rewrites the entry with the value read and the new TTL, conditional on the
 * version read ({@link ReadModifyWrite}); a deadline in the past deletes the key, as in Redis.
 */
final class KeyCommands {

  private final RespNode node;
  private final StringCommands strings;

  KeyCommands(RespNode node, StringCommands strings) {
    this.node = node;
    this.strings = strings;
  }

  void register(CommandTable t) {
    t.add("del", -2, "write", 1, -1, 1, "generic", "Deletes one or more keys.",
        (s, a) -> delete(a));
    t.add("unlink", -2, "write fast", 1, -1, 1, "generic",
        "Asynchronously deletes one or more keys.", (s, a) -> delete(a));
    t.add("exists", -2, "readonly fast", 1, -1, 1, "generic",
        "Determines whether one or more keys exist.", (s, a) -> count(a));
    t.add("touch", -2, "readonly fast", 1, -1, 1, "generic",
        "Returns the number of existing keys out of those specified after updating the time they"
            + " were last accessed.", (s, a) -> count(a));
    t.add("type", 2, "readonly fast", 1, 1, 1, "generic",
        "Determines the type of value stored at a key.", (s, a) ->
            get(a.get(1)).map(r -> r instanceof Response.Value ? new RespReply.Simple("string")
                : r.status() == Status.NOT_FOUND ? new RespReply.Simple("none")
                : Replies.failure(r)));
    t.add("expire", -3, "write fast", 1, 1, 1, "generic",
        "Sets the expiration time of a key in seconds.",
        (s, a) -> expire(a, ExpiryOptions.Unit.SECONDS, "expire"));
    t.add("pexpire", -3, "write fast", 1, 1, 1, "generic",
        "Sets the expiration time of a key in milliseconds.",
        (s, a) -> expire(a, ExpiryOptions.Unit.MILLIS, "pexpire"));
    t.add("expireat", -3, "write fast", 1, 1, 1, "generic",
        "Sets the expiration time of a key to a Unix timestamp.",
        (s, a) -> expire(a, ExpiryOptions.Unit.UNIX_SECONDS, "expireat"));
    t.add("pexpireat", -3, "write fast", 1, 1, 1, "generic",
        "Sets the expiration time of a key to a Unix milliseconds timestamp.",
        (s, a) -> expire(a, ExpiryOptions.Unit.UNIX_MILLIS, "pexpireat"));
    t.add("ttl", 2, "readonly fast", 1, 1, 1, "generic",
        "Returns the expiration time in seconds of a key.", (s, a) -> ttl(a.get(1), true));
    t.add("pttl", 2, "readonly fast", 1, 1, 1, "generic",
        "Returns the expiration time in milliseconds of a key.", (s, a) -> ttl(a.get(1), false));
    t.add("persist", 2, "write fast", 1, 1, 1, "generic",
        "Removes the expiration time of a key.", (s, a) ->
            ReadModifyWrite.run(node.path(), strings.key(a.get(1)), current ->
                current == null || current.ttlMillis() < 0
                    ? new ReadModifyWrite.Answer(RespReply.ZERO)
                    : new ReadModifyWrite.Write(current.value(), 0, RespReply.ONE)));
  }

  private Future<Response> get(byte[] rawKey) {
    return node.path().call(new Request.Get(strings.key(rawKey)));
  }

  private List<Key> keys(List<byte[]> a) {
    List<Key> keys = new ArrayList<>(a.size() - 1);
    for (int i = 1; i < a.size(); i++) {
      keys.add(strings.key(a.get(i)));
    }
    return keys;
  }

  private Future<RespReply> delete(List<byte[]> a) {
    List<Future<Response>> deletes = new ArrayList<>();
    for (Key key : keys(a)) {
      deletes.add(node.path().call(new Request.Delete(key)));
    }
    return Future.all(deletes).map(all -> {
      long deleted = 0;
      for (Future<Response> f : deletes) {
        Response r = f.result();
        if (r.status() == Status.OK) {
          deleted++;
        } else if (r.status() != Status.NOT_FOUND) {
          return Replies.failure(r);
        }
      }
      return RespReply.integer(deleted);
    });
  }

  /** EXISTS and TOUCH: how many of the keys exist, a key named twice counted twice. */
  private Future<RespReply> count(List<byte[]> a) {
    List<Key> keys = keys(a);
    int batch = node.settings().limits().maxBatchEntries();
    List<Future<Response>> parts = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += batch) {
      parts.add(node.path().call(new Request.MultiGet(
          keys.subList(from, Math.min(keys.size(), from + batch)))));
    }
    return Future.all(parts).map(all -> {
      long found = 0;
      for (Future<Response> part : parts) {
        if (!(part.result() instanceof Response.Values values)) {
          return Replies.failure(part.result());
        }
        for (Response.Values.Entry e : values.entries()) {
          if (e.status() == Status.OK) {
            found++;
          } else if (e.status() != Status.NOT_FOUND) {
            return Replies.failure(new Response.Failure(e.status(), "reading one of the keys"));
          }
        }
      }
      return RespReply.integer(found);
    });
  }

  private Future<RespReply> ttl(byte[] rawKey, boolean seconds) {
    return get(rawKey).map(r -> {
      if (!(r instanceof Response.Value v)) {
        return r.status() == Status.NOT_FOUND ? RespReply.integer(-2) : Replies.failure(r);
      }
      if (v.ttlMillis() < 0) {
        return RespReply.integer(-1);
      }
      return RespReply.integer(seconds ? (v.ttlMillis() + 500) / 1000 : v.ttlMillis());
    });
  }

  /** EXPIRE and friends, with Redis 7's NX, XX, GT and LT conditions. */
  private Future<RespReply> expire(List<byte[]> a, ExpiryOptions.Unit unit, String command) {
    Key key = strings.key(a.get(1));
    long amount = Args.integer(a.get(2));
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    for (int i = 3; i < a.size(); i++) {
      switch (Args.upper(a.get(i))) {
        case "NX" -> nx = true;
        case "XX" -> xx = true;
        case "GT" -> gt = true;
        case "LT" -> lt = true;
        default -> throw new RespError("ERR Unsupported option " + Args.text(a.get(i)));
      }
    }
    if (nx && (xx || gt || lt)) {
      throw new RespError("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if (gt && lt) {
      throw new RespError("ERR GT and LT options at the same time are not compatible");
    }
    long ttl = ExpiryOptions.ttlMillis(amount, unit, command);
    boolean onlyNew = nx;
    boolean onlyExisting = xx;
    boolean greater = gt;
    boolean less = lt;
    return ReadModifyWrite.run(node.path(), key, current -> {
      if (current == null) {
        return new ReadModifyWrite.Answer(RespReply.ZERO);
      }
      boolean has = current.ttlMillis() >= 0;
      // A key without a TTL counts as one that never expires: GT never beats it, LT always does.
      if ((onlyNew && has) || (onlyExisting && !has) || (greater && (!has
          || ttl <= current.ttlMillis())) || (less && has && ttl >= current.ttlMillis())) {
        return new ReadModifyWrite.Answer(RespReply.ZERO);
      }
      return ttl <= 0 ? new ReadModifyWrite.Remove(RespReply.ONE)
          : new ReadModifyWrite.Write(current.value(), ttl, RespReply.ONE);
    });
  }
}
