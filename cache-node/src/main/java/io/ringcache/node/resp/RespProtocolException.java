package io.ringcache.node.resp;

/**
 * Input that breaks RESP framing: the connection is answered {@code -ERR Protocol error: ...}
 * and closed, since the next command boundary is unknown. Expected in volume from hostile
 * clients, so it carries no stack trace.
 */
final class RespProtocolException extends RuntimeException {

  RespProtocolException(String message) {
    super(message, null, false, false);
  }
}
