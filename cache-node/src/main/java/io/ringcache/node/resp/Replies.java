package io.ringcache.node.resp;

import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;

/** Turning the request path's answers into RESP replies. */
final class Replies {

  private Replies() {}

  /**
   * The error for an answer no command expects: {@code -ERR <STATUS>: <message>}, with the
   * binary protocol's status name (UNAVAILABLE, TIMEOUT, BUSY...), so a client sees the same
   * reason through every front-end. A write refused for want of a majority ({@code NO_QUORUM})
   * starts with {@code CLUSTERDOWN} instead of {@code ERR}, the prefix Redis Cluster uses when a
   * node cannot serve because the cluster is split, which Redis clients already recognise.
   */
  static RespReply failure(Response r) {
    String message = r instanceof Response.Failure f ? f.message() : "";
    Status s = r.status();
    if (s == Status.OK) {
      return RespReply.error("ERR INTERNAL: unexpected answer " + r.getClass().getSimpleName());
    }
    String prefix = s == Status.NO_QUORUM ? "CLUSTERDOWN " : "ERR ";
    return RespReply.error(prefix + s.name() + (message.isEmpty() ? "" : ": " + message));
  }

  /** The value of a GET answer, nil when the key is missing, else the failure. */
  static RespReply value(Response r) {
    if (r instanceof Response.Value v) {
      return new RespReply.Bulk(v.value());
    }
    return r.status() == Status.NOT_FOUND ? RespReply.NIL : failure(r);
  }

  /** About the bytes {@code reply} takes on the wire, for accounting. */
  static long size(RespReply reply) {
    if (reply instanceof RespReply.Bulk b) {
      return b.bytes().length() + 16L;
    }
    if (reply instanceof RespReply.Array a) {
      long n = 16;
      for (RespReply r : a.items()) {
        n += size(r);
      }
      return n;
    }
    if (reply instanceof RespReply.Map m) {
      long n = 16;
      for (RespReply r : m.keysAndValues()) {
        n += size(r);
      }
      return n;
    }
    if (reply instanceof RespReply.Simple s) {
      return s.text().length() + 3L;
    }
    if (reply instanceof RespReply.Error e) {
      return e.text().length() + 3L;
    }
    return 16;
  }
}
