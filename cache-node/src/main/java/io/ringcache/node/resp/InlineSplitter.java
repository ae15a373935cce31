package io.ringcache.node.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line as Redis does ({@code sdssplitargs}): blanks separate
 * arguments; {@code "..."} may hold blanks and the escapes {@code \n \r \t \b \a \\ \" \xHH};
 * {@code '...'} is literal but for {@code \'}. A closing quote must be followed by a blank or the
 * end of the line; unbalanced quotes are a protocol error.
 */
final class InlineSplitter {

  private InlineSplitter() {}

  static List<byte[]> split(byte[] line) {
    List<byte[]> out = new ArrayList<>();
    int i = 0;
    int n = line.length;
    while (true) {
      while (i < n && isBlank(line[i])) {
        i++;
      }
      if (i >= n) {
        return out;
      }
      ByteArrayOutputStream arg = new ByteArrayOutputStream();
      byte quote = line[i] == '"' || line[i] == '\'' ? line[i] : 0;
      if (quote != 0) {
        i++;
      }
      boolean closed = quote == 0;
      while (i < n) {
        byte b = line[i];
        if (quote == 0) {
          if (isBlank(b)) {
            break;
          }
          arg.write(b);
          i++;
        } else if (b == quote) {
          i++;
          if (i < n && !isBlank(line[i])) {
            throw new RespProtocolException("unbalanced quotes in request");
          }
          closed = true;
          break;
        } else if (b == '\\' && i + 1 < n) {
          i = escape(line, i, quote, arg);
        } else {
          arg.write(b);
          i++;
        }
      }
      if (!closed) {
        throw new RespProtocolException("unbalanced quotes in request");
      }
      out.add(arg.toByteArray());
    }
  }

  /** Writes the escape at {@code line[i]} (a backslash) and returns the index after it. */
  private static int escape(byte[] line, int i, byte quote, ByteArrayOutputStream arg) {
    byte e = line[i + 1];
    if (quote == '\'') {
      arg.write(e == '\'' ? '\'' : '\\');
      return e == '\'' ? i + 2 : i + 1;
    }
    if (e == 'x' && i + 3 < line.length && hex(line[i + 2]) >= 0 && hex(line[i + 3]) >= 0) {
      arg.write(hex(line[i + 2]) * 16 + hex(line[i + 3]));
      return i + 4;
    }
    arg.write(switch (e) {
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'a' -> 7;
      default -> e;
    });
    return i + 2;
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0;
  }
}
