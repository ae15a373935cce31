package io.ringcache.loadtest.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * The loadtest's answer to bad input, whichever command and whenever it is found: one line on
 * standard error, {@code loadtest <command>: <problem>}, and exit code 2, as {@link Main}
 * promises. Picocli finds some problems while parsing (an unknown option, a number or a duration
 * that does not parse); the commands find the rest ({@link BadInputException}: an unknown
 * simulation, a non-loopback seed, too few nodes). Both end here.
 *
 * <p>Design: picocli's own answer to a parse error is its message followed by the whole usage
 * page, and an exception from a command is a stack trace with exit code 1; neither names the
 * problem in a line a script can show. Any other exception is a fault of the tool or of the
 * cluster it started, not of the input, and keeps picocli's stack trace and exit code 1.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  /** The exit code of bad input. */
  static final int BAD_INPUT = 2;

  private OneLineErrors() {}

  /** {@code commandLine} and its subcommands, answering bad input in one line. */
  static CommandLine install(CommandLine commandLine) {
    OneLineErrors handler = new OneLineErrors();
    return commandLine.setParameterExceptionHandler(handler)
        .setExecutionExceptionHandler(handler);
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    return print(e.getCommandLine(), problem(e));
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed)
      throws Exception {
    if (e instanceof BadInputException) {
      return print(command, e.getMessage());
    }
    throw e;
  }

  /**
   * A conversion failure as {@code --option: problem}, the way {@link BadInputException}s name
   * options; any other parse error in picocli's words with a pointer to the help.
   */
  private static String problem(ParameterException e) {
    if (e.getCause() instanceof TypeConversionException && e.getArgSpec() instanceof OptionSpec o) {
      return o.longestName() + ": " + e.getCause().getMessage();
    }
    return e.getMessage() + " (see --help)";
  }

  private static int print(CommandLine command, String problem) {
    String name = command.getParent() == null
        ? command.getCommandName() : "loadtest " + command.getCommandName();
    command.getErr().println(name + ": " + problem.replaceAll("\\s*\\R\\s*", " "));
    return BAD_INPUT;
  }
}
