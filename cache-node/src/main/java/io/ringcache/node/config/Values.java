package io.ringcache.node.config;

import io.ringcache.protocol.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text to typed values and back. Parsers throw {@link IllegalArgumentException} whose message is
 * the problem alone ("expected an integer, was 'abc'"); callers prefix the name of the setting.
 * Formatters produce text the parsers accept, so a described configuration can be fed back in.
 */
final class Values {

  static final long KIB = 1024;
  static final long MIB = 1024 * KIB;
  static final long GIB = 1024 * MIB;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kmg])?b?");
  private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*%");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,19})\\s*(ms|s|m|h)?");

  /** The accepted duration forms, as every duration error names them. */
  static final String DURATION_FORMS = "a whole number and a unit: ms, s, m or h (500ms, 2s, 1m, 1h)";

  private Values() {}

  static long parseLong(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer, was " + quote(text));
    }
  }

  static double parsePositiveNumber(String text) {
    try {
      double d = Double.parseDouble(text.strip());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // falls through to the common message
    }
    throw new IllegalArgumentException("expected a positive number, was " + quote(text));
  }

  /**
   * Bytes, plain or with a binary suffix: {@code 1048576}, {@code 512k}, {@code 256m}, {@code 2g}
   * (case-insensitive, an optional trailing {@code b}); with {@code maxHeap > 0} also a percentage
   * of it, {@code 30%}.
   */
  static long parseSize(String text, long maxHeap) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(s);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        return m.group(2) == null ? n : Math.multiplyExact(n, unit(m.group(2).charAt(0)));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("size is too large, was " + quote(text));
      }
    }
    m = PERCENT.matcher(s);
    if (maxHeap > 0 && m.matches()) {
      double percent = Double.parseDouble(m.group(1));
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            "percentage of the max heap must be above 0 and at most 100, was " + quote(text));
      }
      if (maxHeap == Long.MAX_VALUE) {
        throw new IllegalArgumentException(
            "a percentage needs a bounded heap (set -Xmx), was " + quote(text));
      }
      return (long) (maxHeap * (percent / 100));
    }
    throw new IllegalArgumentException(
        "expected a size in bytes (e.g. 1048576, 512k, 256m, 2g"
            + (maxHeap > 0 ? ") or a percentage of the max heap (e.g. 30%)" : ")")
            + ", was "
            + quote(text));
  }

  /**
   * A whole number and a unit, {@code ms}, {@code s}, {@code m} or {@code h} (case-insensitive,
   * blanks allowed between): {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}. A bare number is
   * refused, zero included: the node once read it as milliseconds and the loadtest as seconds,
   * so an unnamed unit is a guess either way ({@code docs/configuration.md}, "Durations").
   */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration, " + DURATION_FORMS + ", was " + quote(text));
    }
    if (m.group(2) == null) {
      String n = m.group(1);
      throw new IllegalArgumentException(
          quote(text.strip()) + " has no unit; write " + n + "s or " + n + "ms (units: ms, s, m, h)");
    }
    try {
      long n = Long.parseLong(m.group(1));
      long millis =
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> Math.multiplyExact(n, 1_000L);
            case "m" -> Math.multiplyExact(n, 60_000L);
            default -> Math.multiplyExact(n, 3_600_000L);
          };
      return Duration.ofMillis(millis);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration is too long, was " + quote(text));
    }
  }

  /** Comma-separated {@code host:port} items; blanks around items and empty items are dropped. */
  static List<String> parseSeeds(String text) {
    List<String> seeds = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      String seed = item.strip();
      if (!seed.isEmpty()) {
        seeds.add(HostPort.parse("seed", seed).toString());
      }
    }
    return List.copyOf(seeds);
  }

  static <E extends Enum<?>> E parseEnum(String text, Class<E> type) {
    String s = text.strip().toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(s)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(
        "expected one of "
            + String.join(", ", names)
            + " (case-insensitive), was "
            + quote(text));
  }

  /** The shortest exact spelling: {@code 2g}, {@code 256m}, {@code 1k}, else plain bytes. */
  static String formatSize(long bytes) {
    if (bytes != 0 && bytes % GIB == 0) {
      return bytes / GIB + "g";
    }
    if (bytes != 0 && bytes % MIB == 0) {
      return bytes / MIB + "m";
    }
    if (bytes != 0 && bytes % KIB == 0) {
      return bytes / KIB + "k";
    }
    return Long.toString(bytes);
  }

  /** The largest exact unit: {@code 1h}, {@code 1m}, {@code 2s}, else {@code 500ms}. */
  static String formatDuration(Duration d) {
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

  static String quote(String text) {
    return text == null ? "null" : "'" + text + "'";
  }

  private static long unit(char suffix) {
    return switch (suffix) {
      case 'k' -> KIB;
      case 'm' -> MIB;
      default -> GIB;
    };
  }
}
