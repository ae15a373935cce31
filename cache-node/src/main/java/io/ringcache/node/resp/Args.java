package io.ringcache.node.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Reading command arguments the way Redis does; failures are {@link RespError}s. */
final class Args {

  private Args() {}

  static String text(byte[] arg) {
    return new String(arg, StandardCharsets.UTF_8);
  }

  static String upper(byte[] arg) {
    return text(arg).toUpperCase(Locale.ROOT);
  }

  /** Whether {@code arg} is {@code word}, ignoring ASCII case. */
  static boolean is(byte[] arg, String word) {
    return text(arg).equalsIgnoreCase(word);
  }

  /**
   * A signed 64-bit decimal integer as Redis's {@code string2ll} accepts it: optional minus, no
   * plus, no blanks, no leading zeros (but "0"); else {@value RespError#NOT_AN_INTEGER}.
   */
  static long integer(byte[] arg) {
    Long v = parseLong(arg);
    if (v == null) {
      throw new RespError(RespError.NOT_AN_INTEGER);
    }
    return v;
  }

  /** The value {@link #integer} would accept, or null. */
  static Long parseLong(byte[] arg) {
    int n = arg.length;
    if (n == 0 || n > 20) {
      return null;
    }
    boolean negative = arg[0] == '-';
    int i = negative ? 1 : 0;
    if (i == n || (arg[i] == '0' && n > i + 1) || (negative && arg[i] == '0')) {
      return null;
    }
    long value = 0;
    for (; i < n; i++) {
      int d = arg[i] - '0';
      if (d < 0 || d > 9) {
        return null;
      }
      // Accumulate negatively so that Long.MIN_VALUE parses.
      if (value < (Long.MIN_VALUE + d) / 10) {
        return null;
      }
      value = value * 10 - d;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        return null;
      }
      return -value;
    }
    return value;
  }

  /** Redis's arity rule: positive = exactly that many words, negative = at least -arity. */
  static boolean arityMatches(int arity, int words) {
    return arity >= 0 ? words == arity : words >= -arity;
  }

  static RespError wrongArgs(String command) {
    return new RespError("ERR wrong number of arguments for '" + command.toLowerCase(Locale.ROOT)
        + "' command");
  }

  /** The text Redis shows after an unknown command: its first arguments, quoted. */
  static String preview(List<byte[]> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < args.size() && out.length() < 128; i++) {
      String a = text(args.get(i));
      out.append('\'').append(a.length() > 128 ? a.substring(0, 128) : a).append("' ");
    }
    return out.toString();
  }
}
