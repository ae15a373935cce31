package io.ringcache.loadtest.report;

import java.util.Locale;

/**
 * A minimal streaming JSON writer (the loadtest module takes no JSON library). Indents two spaces
 * per level so a person can read and diff the file; objects that hold only scalars (a timeline
 * interval, a bucket) stay on one line so a long run does not become tens of thousands of lines.
 *
 * <p>Strings are escaped per RFC 8259: quote, backslash and every control character, plus U+2028
 * and U+2029 (legal JSON, but they break a script that embeds the file) and lone surrogates (which
 * have no UTF-8 encoding). Non-finite doubles become {@code null}: JSON has no NaN.
 */
final class JsonWriter {

  private final StringBuilder out = new StringBuilder(16 * 1024);
  private int depth;
  private boolean first = true;
  private int inlineDepth = Integer.MAX_VALUE;
  private boolean afterName;

  JsonWriter beginObject() {
    return open('{', false);
  }

  /** An object written on one line, and everything inside it. */
  JsonWriter beginInlineObject() {
    return open('{', true);
  }

  JsonWriter endObject() {
    return close('}');
  }

  JsonWriter beginArray() {
    return open('[', false);
  }

  JsonWriter endArray() {
    return close(']');
  }

  JsonWriter name(String name) {
    separator();
    string(name);
    out.append(": ");
    afterName = true;
    return this;
  }

  JsonWriter value(String s) {
    valueStart();
    if (s == null) {
      out.append("null");
    } else {
      string(s);
    }
    return this;
  }

  JsonWriter value(long n) {
    valueStart();
    out.append(n);
    return this;
  }

  JsonWriter value(double d) {
    valueStart();
    if (!Double.isFinite(d)) {
      out.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      // Whole values print as integers (42, not 42.0): the same field reads the same in any tool.
      out.append((long) d);
    } else {
      out.append(Double.toString(d));
    }
    return this;
  }

  JsonWriter value(boolean b) {
    valueStart();
    out.append(b);
    return this;
  }

  JsonWriter nullValue() {
    valueStart();
    out.append("null");
    return this;
  }

  String finish() {
    return out.append('\n').toString();
  }

  private JsonWriter open(char c, boolean inlineObject) {
    valueStart();
    out.append(c);
    depth++;
    if (inlineObject && inlineDepth > depth) {
      inlineDepth = depth;
    }
    first = true;
    return this;
  }

  private JsonWriter close(char c) {
    boolean wasEmpty = first;
    boolean wasInline = inline();
    depth--;
    if (!wasEmpty && !wasInline) {
      newline();
    }
    if (inlineDepth > depth) {
      inlineDepth = Integer.MAX_VALUE;
    }
    out.append(c);
    first = false;
    return this;
  }

  /** Before a value: nothing after a name, the separator in an array. */
  private void valueStart() {
    if (afterName) {
      afterName = false;
    } else {
      separator();
    }
  }

  private void separator() {
    if (!first) {
      out.append(inline() ? ", " : ",");
    }
    if (!inline() && depth > 0) {
      newline();
    }
    first = false;
  }

  private boolean inline() {
    return depth >= inlineDepth;
  }

  private void newline() {
    out.append('\n');
    out.append("  ".repeat(depth));
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          boolean paired = Character.isHighSurrogate(c)
              ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
              : !Character.isLowSurrogate(c)
                  || i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || !paired) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
