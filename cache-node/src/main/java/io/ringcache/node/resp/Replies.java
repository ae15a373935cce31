package io.ringcache.node.resp;

import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;

/** Turning the request path's answers into RESP replies. */
final class Replies {

  private Replies() {}

  /**
   * The error for an answer no command expects: {@code -ERR <STATUS>: <message>}, with the
   * binary protocol's status name (UNAVAILABLE, TIMEOUT, BUSY...), so a client sees the same
   * reason through every front-end.
   */
  static Reply failure(Response r) {
    String message = r instanceof Response.Failure f ? f.message() : "";
    Status s = r.status();
    if (s == Status.OK) {
      return Reply.error("ERR INTERNAL: unexpected answer " + r.getClass().getSimpleName());
    }
    return Reply.error("ERR " + s.name() + (message.isEmpty() ? "" : ": " + message));
  }

  /** The value of a GET answer, nil when the key is missing, else the failure. */
  static Reply value(Response r) {
    if (r instanceof Response.Value v) {
      return new Reply.Bulk(v.value());
    }
    return r.status() == Status.NOT_FOUND ? Reply.NIL : failure(r);
  }

  /** About the bytes {@code reply} takes on the wire, for accounting. */
  static long size(Reply reply) {
    if (reply instanceof Reply.Bulk b) {
      return b.bytes().length() + 16L;
    }
    if (reply instanceof Reply.Array a) {
      long n = 16;
      for (Reply r : a.items()) {
        n += size(r);
      }
      return n;
    }
    if (reply instanceof Reply.Map m) {
      long n = 16;
      for (Reply r : m.keysAndValues()) {
        n += size(r);
      }
      return n;
    }
    if (reply instanceof Reply.Simple s) {
      return s.text().length() + 3L;
    }
    if (reply instanceof Reply.Error e) {
      return e.text().length() + 3L;
    }
    return 16;
  }
}
