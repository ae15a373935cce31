package io.ringcache.loadtest.cli;

/**
 * The command line names something that cannot be used: a simulation (no such name or class, a
 * class that is not a {@link io.ringcache.loadtest.dsl.SimulationFactory}, a {@code --classpath}
 * entry that is missing or not a jar, user code that threw) or an option value (a duration that
 * does not parse, too few nodes for a local cluster). The message is one line naming the problem;
 * the command prints it and exits 2 without a stack trace, before any cluster starts, because the
 * fault is in the input, not in the tool.
 */
final class BadInputException extends RuntimeException {

  BadInputException(String message) {
    // A user's exception message may span lines; the command's answer is one.
    super(message.replaceAll("\\s*\\R\\s*", " "));
  }
}
