package io.ringcache.loadtest.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Whole-number options with a bound, checked while picocli parses, so {@code --runs 0} or
 * {@code --nodes 99} is one line and exit code 2 ({@link OneLineErrors}) rather than a loop that
 * never runs or a stack trace from the cluster builder after other work has started.
 */
final class Counts {

  /** The most nodes or members a local cluster starts (LocalCluster's and HazelcastCluster's). */
  static final int MAX_NODES = 32;

  private Counts() {}

  static int within(String text, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is not an int");
    }
    if (n < min || n > max) {
      throw new TypeConversionException(max == Integer.MAX_VALUE
          ? String.format("must be at least %d, was %d", min, n)
          : String.format("must be within %d..%d, was %d", min, max, n));
    }
    return n;
  }

  /** Rounds, callers, processes: at least one. */
  static final class AtLeastOne implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return within(text, 1, Integer.MAX_VALUE);
    }
  }

  /** {@code --nodes}: 1..{@value Counts#MAX_NODES}. */
  static final class Nodes implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      return within(text, 1, MAX_NODES);
    }
  }
}
