package io.ringcache.loadtest.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Escaping and number formatting for the HTML report. Everything goes through {@link Locale#ROOT}
 * so a report renders the same on every machine (no decimal commas inside SVG coordinates).
 */
final class Fmt {

  private static final DateTimeFormatter START = DateTimeFormatter
      .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Fmt() {}

  /** Text or attribute content; {@code null} renders as nothing. */
  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Other C0 controls are not allowed in XML (inline SVG) and carry nothing readable.
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** An SVG coordinate. Callers keep values finite; a stray NaN must not break the drawing. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A rate such as requests per second: whole numbers once large, one decimal below 100. */
  static String rate(double v) {
    if (!Double.isFinite(v)) {
      return "\u2013";
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Microseconds as milliseconds with about three significant digits. */
  static String millis(double micros) {
    if (!Double.isFinite(micros)) {
      return "\u2013";
    }
    double ms = micros / 1000.0;
    double abs = Math.abs(ms);
    String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
    return String.format(Locale.ROOT, pattern, ms);
  }

  /** An axis tick in milliseconds from microseconds: no trailing zeros, never exponent form. */
  static String tickMillis(double micros) {
    return plain(micros / 1000.0);
  }

  /** A tick value without trailing zeros, never in exponent form. */
  static String plain(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  static String percent(long part, long whole) {
    if (whole <= 0) {
      return "0%";
    }
    double p = 100.0 * part / whole;
    if (part > 0 && p < 0.01) {
      return "<0.01%";
    }
    return String.format(Locale.ROOT, p >= 10 || p == 0 ? "%.0f%%" : "%.2f%%", p);
  }

  static String startTime(long epochMillis) {
    return START.format(Instant.ofEpochMilli(epochMillis));
  }

  /** {@code 45.2 s}, {@code 90.0 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
  static String duration(long millis) {
    if (millis < 120_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long s = millis / 1000;
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  /** A label cut to {@code max} characters with an ellipsis, for fixed-width SVG columns. */
  static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return s;
    }
    int end = max - 1;
    // Never split a surrogate pair: half of one is not valid UTF-8 when the file is written.
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "\u2026";
  }
}
