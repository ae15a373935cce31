package io.ringcache.node.resp;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One RESP answer, independent of the protocol version the connection speaks: {@link
 * ReplyWriter} writes a {@link Map} as a RESP3 map or as a RESP2 flat array, and {@link #NIL} as
 * RESP3's null or RESP2's null bulk string.
 */
sealed interface RespReply {

  RespReply OK = new Simple("OK");
  RespReply NIL = new Nil();
  RespReply ZERO = new Int(0);
  RespReply ONE = new Int(1);

  /** A simple string ({@code +OK}); must not hold CR or LF. */
  record Simple(String text) implements RespReply {
    public Simple {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An error ({@code -ERR ...}): {@code text} starts with its code (ERR, WRONGPASS, NOAUTH,
   * NOPROTO...). CR and LF are replaced by spaces when written.
   */
  record Error(String text) implements RespReply {
    public Error {
      Objects.requireNonNull(text, "text");
    }
  }

  record Int(long value) implements RespReply {}

  /** A bulk string: binary-safe bytes. */
  record Bulk(Buffer bytes) implements RespReply {
    public Bulk {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** The null reply: {@code $-1} in RESP2, {@code _} in RESP3. */
  record Nil() implements RespReply {}

  record Array(List<RespReply> items) implements RespReply {
    public Array {
      items = List.copyOf(items);
    }
  }

  /** Alternating keys and values: a RESP3 map, a flat array in RESP2. */
  record Map(List<RespReply> keysAndValues) implements RespReply {
    public Map {
      keysAndValues = List.copyOf(keysAndValues);
      if (keysAndValues.size() % 2 != 0) {
        throw new IllegalArgumentException(String.format(
            "a map needs pairs, got %d items", keysAndValues.size()));
      }
    }
  }

  static RespReply error(String text) {
    return new Error(text);
  }

  static RespReply bulk(String text) {
    return new Bulk(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  static RespReply bulk(byte[] bytes) {
    return new Bulk(Buffer.buffer(bytes));
  }

  static RespReply integer(long value) {
    return value == 0 ? ZERO : value == 1 ? ONE : new Int(value);
  }
}
