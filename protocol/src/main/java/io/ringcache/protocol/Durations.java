package io.ringcache.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's one duration grammar: a whole number and a unit, {@code ms}, {@code s}, {@code m}
 * or {@code h} (case-insensitive, blanks allowed around and between): {@code 500ms}, {@code 2s},
 * {@code 1m}, {@code 1h}. The node's settings and the loadtest's options both read durations
 * here, as they read addresses through {@link HostPort}, so a value one accepts the other accepts
 * with the same meaning ({@code docs/configuration.md}, "Durations").
 *
 * <p>Design: a bare number is refused, zero included. The node once read {@code 30} as
 * milliseconds and the loadtest as seconds; a reader of a script cannot tell which was meant, so
 * the error names both readings. It lives in this module, the lowest one both depend on at run
 * time (the loadtest's jar carries no node classes).
 */
public final class Durations {

  /** The accepted forms, as every duration error names them. */
  public static final String FORMS =
      "a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h)";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,19})\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException one line naming the text and the accepted forms; the caller
   *     prefixes the setting or option it came from
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("expected a duration, " + FORMS + ", was null");
    }
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration, " + FORMS + ", was '" + text + "'");
    }
    String n = m.group(1);
    if (m.group(2) == null) {
      throw new IllegalArgumentException(
          "'" + text.strip() + "' has no unit; write " + n + "s or " + n + "ms (units: ms, s, m, h)");
    }
    try {
      long millis =
          switch (m.group(2)) {
            case "ms" -> Long.parseLong(n);
            case "s" -> Math.multiplyExact(Long.parseLong(n), 1_000L);
            case "m" -> Math.multiplyExact(Long.parseLong(n), 60_000L);
            default -> Math.multiplyExact(Long.parseLong(n), 3_600_000L);
          };
      return Duration.ofMillis(millis);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration is too long, was '" + text + "'");
    }
  }

  /** {@code d} in its largest exact unit, as {@link #parse} reads it back: {@code 1h}, {@code 2s}, {@code 500ms}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis != 0 && millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
