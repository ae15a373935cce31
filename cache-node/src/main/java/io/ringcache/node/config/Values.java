package io.ringcache.node.config;

import io.ringcache.protocol.HostPort;
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
