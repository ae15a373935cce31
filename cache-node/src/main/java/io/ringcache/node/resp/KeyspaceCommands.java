package io.ringcache.node.resp;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands over the whole keyspace, which is the {@code default} cache: SCAN and FLUSHDB.
 *
 * <p>SCAN walks the ring one range at a time, each page read from the range's primary owner, so
 * its cursor is a ring position: the guarantees are Redis's (a key present for the whole walk is
 * returned at least once, possibly more than once across a rebalance; keys added or removed
 * meanwhile may or may not be). The cursor is the position written as an unsigned number, shifted
 * so that Redis's {@code 0} means both "start" and "done". COUNT bounds a page (default 10, as in
 * Redis); a page may hold fewer keys, even none, before the walk is done. MATCH filters with
 * Redis's glob syntax after the page is read. TYPE keeps keys only for {@code string}, the one
 * type this endpoint stores.
 *
 * <p>FLUSHDB clears the default cache on every member (CACHE_CLEAR: entries in flight in a
 * rebalance are not brought back); ASYNC and SYNC are accepted and both wait for the clear.
 */
final class KeyspaceCommands {

  private final RespNode node;

  KeyspaceCommands(RespNode node) {
    this.node = node;
  }

  void register(CommandTable t) {
    t.add("scan", -2, "readonly", 0, 0, 0, "generic",
        "Iterates over the key names in the database.", (s, a) -> scan(a));
    t.add("flushdb", -1, "write", 0, 0, 0, "server",
        "Removes all keys from the current database.", (s, a) -> flush(a));
  }

  private Future<RespReply> scan(List<byte[]> a) {
    long cursor = parseCursor(a.get(1));
    int count = 10;
    String match = null;
    boolean strings = true;
    for (int i = 2; i < a.size(); i++) {
      if (i + 1 >= a.size()) {
        throw new RespError(RespError.SYNTAX);
      }
      byte[] value = a.get(++i);
      if (Args.is(a.get(i - 1), "count")) {
        long c = Args.integer(value);
        if (c < 1) {
          throw new RespError(RespError.SYNTAX);
        }
        count = (int) Math.min(c, 10_000);
      } else if (Args.is(a.get(i - 1), "match")) {
        match = Args.text(value);
      } else if (Args.is(a.get(i - 1), "type")) {
        strings = Args.is(value, "string");
      } else {
        throw new RespError(RespError.SYNTAX);
      }
    }
    boolean fromStart = cursor == 0;
    long after = fromStart ? Long.MIN_VALUE : cursor - 1 + Long.MIN_VALUE;
    String pattern = match;
    boolean keep = strings;
    return node.path().call(new Request.CacheScan(Key.DEFAULT_CACHE, after, fromStart, count))
        .map(r -> {
          if (!(r instanceof Response.Entries page)) {
            return Replies.failure(r);
          }
          List<RespReply> keys = new ArrayList<>();
          for (Response.Entries.Entry e : page.entries()) {
            String key = e.key().asString();
            if (keep && (pattern == null || Glob.matches(pattern, key))) {
              keys.add(RespReply.bulk(key));
            }
          }
          long next = page.nextPosition() == Long.MAX_VALUE ? 0
              : page.nextPosition() - Long.MIN_VALUE + 1;
          return new RespReply.Array(List.of(RespReply.bulk(Long.toUnsignedString(next)),
              new RespReply.Array(keys)));
        });
  }

  /** Redis's cursor: an unsigned 64-bit decimal; anything else is {@code ERR invalid cursor}. */
  private static long parseCursor(byte[] arg) {
    try {
      return Long.parseUnsignedLong(Args.text(arg));
    } catch (NumberFormatException e) {
      throw new RespError("ERR invalid cursor");
    }
  }

  private Future<RespReply> flush(List<byte[]> a) {
    if (a.size() > 2 || (a.size() == 2 && !Args.is(a.get(1), "async")
        && !Args.is(a.get(1), "sync"))) {
      throw new RespError(RespError.SYNTAX);
    }
    return node.path().call(new Request.CacheClear(Key.DEFAULT_CACHE, false))
        .map(r -> r instanceof Response.Counter ? RespReply.OK : Replies.failure(r));
  }
}
