package io.ringcache.node.logging;

import io.ringcache.node.logging.NodeLog.Event;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One log record, one line. Text:
 *
 * <pre>2026-11-23T06:40:01.120Z INFO  n1 e7 topology.installed installed epoch 7 TRANSFER ...</pre>
 *
 * JSON: {@code {"ts":..,"level":..,"node":..,"epoch":..,"event":..,"logger":..,"msg":..,
 * <fields>,"error":..}}, newlines escaped, so a record never spans lines. A record's message
 * parameters are only formatted for records that are not events ({@code {0}} placeholders).
 */
final class LineFormatter extends Formatter {

  private final boolean json;

  LineFormatter(boolean json) {
    this.json = json;
  }

  @Override
  public String format(LogRecord record) {
    Event event = eventOf(record);
    String node = event != null && event.node() != null ? event.node() : NodeLog.boundNode();
    long epoch = event != null && event.epoch() >= 0 ? event.epoch() : NodeLog.boundEpoch();
    String message = event != null ? record.getMessage() : formatMessage(record);
    String error = record.getThrown() == null ? null : stackTrace(record.getThrown());
    return json
        ? json(record, node, epoch, event, message, error)
        : text(record, node, epoch, event, message, error);
  }

  private static String text(LogRecord record, String node, long epoch, Event event,
      String message, String error) {
    StringBuilder out = new StringBuilder(160);
    out.append(record.getInstant()).append(' ')
        .append(String.format("%-5s", levelName(record.getLevel()))).append(' ')
        .append(node.isEmpty() ? "-" : node).append(' ')
        .append(epoch >= 0 ? "e" + epoch : "e-").append(' ');
    if (event != null) {
      out.append(event.name()).append(' ');
    } else {
      out.append(shortLogger(record.getLoggerName())).append(": ");
    }
    out.append(oneLine(message));
    if (error != null) {
      out.append(" | ").append(oneLine(error));
    }
    return out.append(System.lineSeparator()).toString();
  }

  private static String json(LogRecord record, String node, long epoch, Event event,
      String message, String error) {
    StringBuilder out = new StringBuilder(200).append('{');
    field(out, "ts", record.getInstant().toString());
    out.append(',');
    field(out, "level", levelName(record.getLevel()));
    out.append(',');
    field(out, "node", node);
    out.append(",\"epoch\":").append(epoch >= 0 ? Long.toString(epoch) : "null").append(',');
    if (event != null) {
      field(out, "event", event.name());
      out.append(',');
    }
    field(out, "logger", record.getLoggerName() == null ? "" : record.getLoggerName());
    out.append(',');
    field(out, "msg", message == null ? "" : message);
    if (event != null) {
      for (Map.Entry<String, Object> f : event.fields().entrySet()) {
        out.append(',');
        Object v = f.getValue();
        if (v instanceof Number || v instanceof Boolean) {
          quote(out, f.getKey());
          out.append(':').append(v);
        } else if (v instanceof Collection<?> items) {
          quote(out, f.getKey());
          out.append(":[");
          String sep = "";
          for (Object item : items) {
            out.append(sep);
            quote(out, String.valueOf(item));
            sep = ",";
          }
          out.append(']');
        } else {
          field(out, f.getKey(), String.valueOf(v));
        }
      }
    }
    if (error != null) {
      out.append(',');
      field(out, "error", error);
    }
    return out.append('}').append(System.lineSeparator()).toString();
  }

  private static Event eventOf(LogRecord record) {
    Object[] params = record.getParameters();
    return params != null && params.length == 1 && params[0] instanceof Event e ? e : null;
  }

  /** The names operators know, the same as {@code LogLevel}'s. */
  static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARN";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    } else if (v >= Level.FINE.intValue()) {
      return "DEBUG";
    }
    return "TRACE";
  }

  private static String shortLogger(String name) {
    if (name == null) {
      return "";
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replace("\r", "").replace("\n", " \\n ");
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString().strip();
  }

  private static void field(StringBuilder out, String name, String value) {
    quote(out, name);
    out.append(':');
    quote(out, value);
  }

  /** A JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
