package io.ringcache.node.resp;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link RespReply} values in RESP2 or RESP3 (the version a connection chose with HELLO).
 * The only types whose encoding differs are the null reply and maps; everything else is the same
 * bytes in both versions.
 */
final class ReplyWriter {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);

  private ReplyWriter() {}

  /** Appends {@code reply} to {@code out}; {@code protocol} is 2 or 3. */
  static void write(RespReply reply, int protocol, Buffer out) {
    if (reply == RespReply.OK) {
      out.appendBytes(OK);
    } else if (reply instanceof RespReply.Simple s) {
      line(out, '+', oneLine(s.text()));
    } else if (reply instanceof RespReply.Error e) {
      line(out, '-', oneLine(e.text()));
    } else if (reply instanceof RespReply.Int i) {
      number(out, ':', i.value());
    } else if (reply instanceof RespReply.Bulk b) {
      number(out, '$', b.bytes().length());
      out.appendBuffer(b.bytes()).appendBytes(CRLF);
    } else if (reply instanceof RespReply.Nil) {
      out.appendBytes(protocol >= 3 ? NIL3 : NIL2);
    } else if (reply instanceof RespReply.Array a) {
      number(out, '*', a.items().size());
      for (RespReply item : a.items()) {
        write(item, protocol, out);
      }
    } else if (reply instanceof RespReply.Map m) {
      int n = m.keysAndValues().size();
      if (protocol >= 3) {
        number(out, '%', n / 2);
      } else {
        number(out, '*', n);
      }
      for (RespReply item : m.keysAndValues()) {
        write(item, protocol, out);
      }
    }
  }

  private static void line(Buffer out, char type, String text) {
    out.appendByte((byte) type).appendBytes(text.getBytes(StandardCharsets.UTF_8))
        .appendBytes(CRLF);
  }

  /** {@code type}, {@code value} in decimal, CR LF; without building a string. */
  static void number(Buffer out, char type, long value) {
    out.appendByte((byte) type);
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        out.appendBytes(MIN_LONG).appendBytes(CRLF);
        return;
      }
      out.appendByte((byte) '-');
      value = -value;
    }
    long div = 1;
    while (div <= value / 10) {
      div *= 10;
    }
    for (; div > 0; div /= 10) {
      out.appendByte((byte) ('0' + value / div % 10));
    }
    out.appendBytes(CRLF);
  }

  /** A simple string or error must not break the line it is framed by. */
  private static String oneLine(String text) {
    return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text
        : text.replace('\r', ' ').replace('\n', ' ');
  }
}
