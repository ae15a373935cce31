package io.ringcache.loadtest.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.Locale;

/**
 * How the JSON summary is laid out by Jackson: two spaces per level so a person can read and diff
 * the file, except that an object the writer marks with {@link #inlineNext()} (a timeline
 * interval, a bucket: scalars only) stays on one line with everything inside it, so a long run
 * does not become tens of thousands of lines. Jackson's own printers indent every level or none.
 *
 * <p>Stateful, like Jackson's {@code DefaultPrettyPrinter} instances: one per generator.
 */
final class SummaryLayout implements PrettyPrinter {

  private int depth;
  private int inlineFrom = Integer.MAX_VALUE;
  private boolean inlineNext;

  /** The next object written goes on one line, with all it holds. */
  void inlineNext() {
    inlineNext = true;
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw('\n');
  }

  @Override
  public void writeStartObject(JsonGenerator g) throws IOException {
    g.writeRaw('{');
    depth++;
    if (inlineNext && depth < inlineFrom) {
      inlineFrom = depth;
    }
    inlineNext = false;
  }

  @Override
  public void beforeObjectEntries(JsonGenerator g) throws IOException {
    lineBreak(g);
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
    g.writeRaw(',');
    if (inline()) {
      g.writeRaw(' ');
    } else {
      lineBreak(g);
    }
  }

  @Override
  public void writeEndObject(JsonGenerator g, int entries) throws IOException {
    close(g, entries, '}');
  }

  @Override
  public void writeStartArray(JsonGenerator g) throws IOException {
    g.writeRaw('[');
    depth++;
  }

  @Override
  public void beforeArrayValues(JsonGenerator g) throws IOException {
    lineBreak(g);
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
    writeObjectEntrySeparator(g);
  }

  @Override
  public void writeEndArray(JsonGenerator g, int values) throws IOException {
    close(g, values, ']');
  }

  private void close(JsonGenerator g, int items, char bracket) throws IOException {
    boolean wasInline = inline();
    depth--;
    if (items > 0 && !wasInline) {
      lineBreak(g);
    }
    if (inlineFrom > depth) {
      inlineFrom = Integer.MAX_VALUE;
    }
    g.writeRaw(bracket);
  }

  private boolean inline() {
    return depth >= inlineFrom;
  }

  private void lineBreak(JsonGenerator g) throws IOException {
    if (!inline()) {
      g.writeRaw('\n');
      g.writeRaw("  ".repeat(depth));
    }
  }

  /**
   * JSON's own escapes, plus U+2028 and U+2029 (legal JSON, but they break a script that embeds
   * the file) and surrogates (a lone one has no UTF-8 encoding; Jackson sees one char at a time,
   * so a pair is escaped too, which reads back the same).
   */
  static final class Escapes extends CharacterEscapes {

    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == 0x2028 || ch == 0x2029 || Character.isSurrogate((char) ch)
          ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch))
          : null;
    }
  }
}
