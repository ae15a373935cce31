package io.ringcache.node.metrics;

import java.util.List;
import java.util.OptionalDouble;

/** Reads samples out of a Prometheus text exposition, for assertions. */
public final class Scrape {

  private final String text;

  public Scrape(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /**
   * The value of the one sample named {@code name} whose labels include every {@code
   * labels[i]="labels[i+1]"} pair; empty when no sample matches. Fails when several match, so a
   * test cannot pass by reading the wrong series.
   */
  public OptionalDouble value(String name, String... labels) {
    List<String> matches = text.lines()
        .filter(line -> !line.startsWith("#"))
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> hasLabels(line, labels))
        .toList();
    if (matches.size() > 1) {
      throw new AssertionError("several samples match " + name + " " + List.of(labels) + ": "
          + matches);
    }
    if (matches.isEmpty()) {
      return OptionalDouble.empty();
    }
    String line = matches.get(0);
    return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
  }

  /** {@link #value} that must exist. */
  public double get(String name, String... labels) {
    return value(name, labels).orElseThrow(() -> new AssertionError(
        "no sample " + name + " " + List.of(labels) + " in:\n" + text));
  }

  private static boolean hasLabels(String line, String[] labels) {
    int end = line.indexOf('}');
    String set = end < 0 ? "" : line.substring(0, end);
    for (int i = 0; i + 1 < labels.length; i += 2) {
      String pair = labels[i] + "=\"" + labels[i + 1] + "\"";
      if (!set.contains("{" + pair) && !set.contains("," + pair)) {
        return false;
      }
    }
    return true;
  }
}
