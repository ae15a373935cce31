package io.ringcache.node.resp;

import io.ringcache.node.server.RequestPath;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Read-modify-write commands the binary protocol has no operation for (APPEND, SETRANGE,
 * GETSET, SET with GET or KEEPTTL, GETEX, GETDEL, EXPIRE, PERSIST, INCRBYFLOAT), built as an
 * optimistic loop over operations it has.
 *
 * <h2>Design</h2>
 * Read the key (value, version, remaining TTL); let the command decide from that what to write;
 * write it conditionally: a CAS on the version read when the key existed, a SET IF_ABSENT when
 * it did not. A conflicting write in between (version mismatch, key appeared, key vanished)
 * starts the loop again, so a command's write applies to exactly the value it read, as a Redis
 * command would, at the price of a round trip more. All of it goes through the request path, so
 * reads and writes reach the key's owners from any node.
 *
 * <h2>Limits</h2>
 * After {@value #MAX_ATTEMPTS} conflicts in a row the command gives up and answers an error
 * saying so; nothing was written by it. Removing a key is not conditional (the protocol has no
 * conditional delete): GETDEL, or an expiry in the past, deletes whatever the key holds when the
 * delete lands, which may be a write that came after the read. A kept TTL is the remaining TTL
 * as read, so it may end a few milliseconds later than the original deadline.
 */
final class ReadModifyWrite {

  static final int MAX_ATTEMPTS = 16;

  /** Decides from the current entry ({@code null} when the key is missing) what to do. */
  @FunctionalInterface
  interface Plan {
    Step decide(Response.Value current);
  }

  sealed interface Step {}

  /** Write nothing; answer {@code reply}. */
  record Answer(RespReply reply) implements Step {}

  /** Store {@code value} with {@code ttlMillis} (0 = none), then answer {@code reply}. */
  record Write(Buffer value, long ttlMillis, RespReply reply) implements Step {}

  /** Delete the key (if it was there), then answer {@code reply}. */
  record Remove(RespReply reply) implements Step {}

  private ReadModifyWrite() {}

  /** Runs {@code plan} on {@code key}. Never throws; the future never fails. */
  static Future<RespReply> run(RequestPath path, Key key, Plan plan) {
    return attempt(path, key, plan, 1);
  }

  /** The TTL to write back so that the entry keeps the one it has (0 = none). */
  static long keptTtl(Response.Value current) {
    return current == null || current.ttlMillis() < 0 ? 0 : Math.max(1, current.ttlMillis());
  }

  private static Future<RespReply> attempt(RequestPath path, Key key, Plan plan, int attempt) {
    return path.call(new Request.Get(key)).compose(read -> {
      Response.Value current = read instanceof Response.Value v ? v : null;
      if (current == null && read.status() != Status.NOT_FOUND) {
        return CommandTable.done(Replies.failure(read));
      }
      Step step;
      try {
        step = plan.decide(current);
      } catch (RespError e) {
        return CommandTable.done(e.reply());
      }
      if (step instanceof Answer a) {
        return CommandTable.done(a.reply());
      }
      if (step instanceof Remove r) {
        if (current == null) {
          return CommandTable.done(r.reply());
        }
        return path.call(new Request.Delete(key)).map(res ->
            res.status() == Status.OK || res.status() == Status.NOT_FOUND ? r.reply()
                : Replies.failure(res));
      }
      Write w = (Write) step;
      Request write = current == null
          ? new Request.Set(key, w.value(), w.ttlMillis(), SetMode.IF_ABSENT)
          : new Request.Cas(key, current.version(), w.value(), w.ttlMillis());
      return path.call(write).compose(res -> {
        if (res instanceof Response.Stored) {
          return CommandTable.done(w.reply());
        }
        boolean conflict = res instanceof Response.Mismatch || res.status() == Status.EXISTS
            || res.status() == Status.NOT_FOUND;
        if (!conflict) {
          return CommandTable.done(Replies.failure(res));
        }
        if (attempt >= MAX_ATTEMPTS) {
          return CommandTable.done(RespReply.error(String.format("ERR key changed under %d"
              + " read-modify-write attempts in a row (other clients writing it); nothing was"
              + " written, retry", MAX_ATTEMPTS)));
        }
        return attempt(path, key, plan, attempt + 1);
      });
    });
  }
}
