package io.ringcache.loadtest.cli;

/**
 * The simulation named on the command line cannot be used: no such name or class, a class that
 * is not a {@link io.ringcache.loadtest.dsl.SimulationFactory}, or user code that threw. The
 * message is one line naming the problem; the command prints it and exits 2 without a stack
 * trace, because the fault is in the input, not in the tool.
 */
final class BadSimulationException extends RuntimeException {

  BadSimulationException(String message) {
    // A user's exception message may span lines; the command's answer is one.
    super(message.replaceAll("\\s*\\R\\s*", " "));
  }
}
