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
  private static final byte[] NIL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);

  private ReplyWriter() {}

  /** Appends {@code reply} to {@code out}; {@code protocol} is 2 or 3. */
  static void write(RespReply reply, int protocol, Buffer out) {
    if (reply instanceof RespReply.Simple s) {
      line(out, '+', oneLine(s.text()));
    } else if (reply instanceof RespReply.Error e) {
      line(out, '-', oneLine(e.text()));
    } else if (reply instanceof RespReply.Int i) {
      line(out, ':', Long.toString(i.value()));
    } else if (reply instanceof RespReply.Bulk b) {
      line(out, '$', Integer.toString(b.bytes().length()));
      out.appendBuffer(b.bytes()).appendBytes(CRLF);
    } else if (reply instanceof RespReply.Nil) {
      out.appendBytes(protocol >= 3 ? NIL3 : NIL2);
    } else if (reply instanceof RespReply.Array a) {
      line(out, '*', Integer.toString(a.items().size()));
      for (RespReply item : a.items()) {
        write(item, protocol, out);
      }
    } else if (reply instanceof RespReply.Map m) {
      int n = m.keysAndValues().size();
      if (protocol >= 3) {
        line(out, '%', Integer.toString(n / 2));
      } else {
        line(out, '*', Integer.toString(n));
      }
      for (RespReply item : m.keysAndValues()) {
        write(item, protocol, out);
      }
    }
  }

  private static void line(Buffer out, char type, String text) {
    out.appendByte((byte) type).appendString(text, "UTF-8").appendBytes(CRLF);
  }

  /** A simple string or error must not break the line it is framed by. */
  private static String oneLine(String text) {
    return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text
        : text.replace('\r', ' ').replace('\n', ' ');
  }
}
