package io.ringcache.node.resp;

/**
 * A command refused before it did anything (bad arguments, a key over its limit): the
 * dispatcher answers it as {@code -<message>}. The message starts with its code (ERR, WRONGPASS,
 * NOAUTH...). Expected in volume, so it carries no stack trace.
 */
final class RespError extends RuntimeException {

  static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
  static final String SYNTAX = "ERR syntax error";
  static final String NOT_A_FLOAT = "ERR value is not a valid float";

  RespError(String message) {
    super(message, null, false, false);
  }

  RespReply reply() {
    return RespReply.error(getMessage());
  }
}
