package io.ringcache.node.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TraceLevel;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The node's command line through picocli: one option per {@link Setting}, generated from the
 * table (so a setting's flag, meaning and default are written once), plus {@code --config} and
 * {@code --help}. Picocli splits {@code --key=value} and {@code --key value}, refuses unknown and
 * repeated flags and missing values; {@link ConfigLoader} then parses each raw value with its
 * setting's type, in one precedence with the variables and the file.
 *
 * <p>Design: options are typed {@code String} and carry no picocli default, so "given on the
 * command line" stays distinguishable from "left to the variable, the file or the default", and a
 * bad value gets the same message whichever source it came from. Picocli's errors become {@link
 * ConfigException}s in the loader's words, one line naming the flag; a secret is never in them,
 * since picocli's messages name options, not values, and its tracing, which would log values, is
 * held at WARN. {@code @file} expansion is off: an argument starting with {@code @} is a value,
 * not a file to read.
 */
final class NodeCommandLine {

  static final String CONFIG = "config";
  private static final String HELP = "help";

  private NodeCommandLine() {}

  /**
   * Flag name (file-key spelling, {@code max-in-flight}) to raw value, in the order given.
   *
   * @throws ConfigException naming the flag or argument that is wrong
   */
  static Map<String, String> parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      Objects.requireNonNull(args[i], "args[" + i + "]");
    }
    // Picocli's tracing (-Dpicocli.trace) logs every option's value, the auth tokens included.
    if (CommandLine.tracer().isInfo()) {
      CommandLine.tracer().setLevel(TraceLevel.WARN);
    }
    ParseResult parsed;
    try {
      parsed = commandLine().parseArgs(args);
    } catch (UnmatchedArgumentException e) {
      throw e.getUnmatched().isEmpty()
          ? new ConfigException(e.getMessage() + " (see --help)")
          : unmatched(e.getUnmatched().get(0));
    } catch (MissingParameterException e) {
      throw missingValue(name(e.getMissing().get(0)));
    } catch (OverwrittenOptionException e) {
      throw new ConfigException(name(e.getOverwritten()) + ": given more than once");
    } catch (ParameterException e) {
      throw new ConfigException(e.getMessage() + " (see --help)");
    }
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> given = List.of(args);
    for (OptionSpec option : parsed.matchedOptions()) {
      if (option.usageHelp()) {
        continue;
      }
      String flag = option.longestName();
      String value = option.getValue();
      // Picocli takes an unknown "--x" after a flag as its value; a flag followed by another
      // (mistyped) flag has no value. "--zone=--x" says it is meant.
      if (value.startsWith("--") && !given.contains(flag + "=" + value)) {
        throw missingValue(flag);
      }
      flags.put(flag.substring(2), value);
    }
    return flags;
  }

  /** {@code --help}: the synopsis, then every option with its variable and default. */
  static String usage() {
    CommandLine commandLine = commandLine();
    commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST,
        help -> optionRows(help.commandSpec()));
    return commandLine.getUsageMessage(Help.Ansi.OFF);
  }

  /** Every flag the node knows, file-key spelling, {@code config} and {@code help} included. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (OptionSpec option : commandLine().getCommandSpec().options()) {
      names.add(option.longestName().substring(2));
    }
    return names;
  }

  private static CommandLine commandLine() {
    CommandSpec spec = CommandSpec.create().name("ringcache-node");
    spec.usageMessage()
        .customSynopsis("ringcache-node [--key=value | --key value]... [--config <file>] [--help]")
        .description(
            "",
            "Every setting is a flag (--key), an environment variable (RINGCACHE_KEY) or a",
            "key in a Java properties file (key = value). A flag beats a variable, a variable",
            "beats the file, the file beats the default. Sizes: 1048576, 512k, 256m, 2g",
            "(max-memory also 30%% of the max heap). Durations: 500ms, 2s, 1m, 1h; a unit is",
            "required. Unknown RINGCACHE_* variables are ignored; empty ones count as unset.",
            "");
    spec.addOption(option("--" + CONFIG, "<file>", ConfigLoader.CONFIG_ENV, "(none)",
        "properties file with the keys below"));
    for (Setting setting : Setting.values()) {
      spec.addOption(option(setting.flag(), "<" + setting.kebab() + ">", setting.env(),
          setting.defaultText, setting.meaning));
    }
    spec.addOption(OptionSpec.builder("--" + HELP, "-h").usageHelp(true)
        .description("print this text").build());
    spec.parser().expandAtFiles(false);
    return new CommandLine(spec);
  }

  /**
   * An option whose description holds, in order, its meaning, variable and default; picocli
   * reads descriptions as format strings, so a {@code %} ("25%") is doubled here and halved in
   * {@link #optionRows}.
   */
  private static OptionSpec option(String flag, String label, String env, String dflt,
      String meaning) {
    return OptionSpec.builder(flag).type(String.class).arity("1").paramLabel(label)
        .description(escape(meaning), env, escape(dflt)).build();
  }

  private static String escape(String text) {
    return text.replace("%", "%%");
  }

  /**
   * Two lines per option, {@code --flag  VARIABLE  default: x} then the meaning, so a reader
   * finds a setting by any of its spellings; picocli's own layout wraps them into one column.
   */
  private static String optionRows(CommandSpec spec) {
    StringBuilder out = new StringBuilder();
    for (OptionSpec option : spec.options()) {
      String[] d = option.description().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] = d[i].replace("%%", "%");
      }
      String flag = option.usageHelp() ? String.join(", ", option.names())
          : option.longestName().equals("--" + CONFIG) ? "--" + CONFIG + " <file>"
          : option.longestName();
      String env = d.length > 1 ? d[1] : "";
      String dflt = d.length > 2 ? "default: " + d[2] : "";
      out.append(String.format("  %-22s %-31s %s", flag, env, dflt).stripTrailing())
          .append('\n').append("      ").append(d[0]).append('\n');
    }
    return out.toString();
  }

  private static ConfigException unmatched(String arg) {
    if (!arg.startsWith("--") || arg.length() == 2) {
      return new ConfigException("unexpected argument " + Values.quote(arg)
          + "; settings are flags, --key=value or --key value (see --help)");
    }
    int eq = arg.indexOf('=');
    String name = arg.substring(2, eq < 0 ? arg.length() : eq);
    String near = ConfigLoader.closest(name, names());
    return new ConfigException("--" + name + ": unknown flag"
        + (near == null ? "" : "; did you mean --" + near + "?") + " (see --help)");
  }

  private static ConfigException missingValue(String flag) {
    return new ConfigException(
        flag + ": missing value; write " + flag + "=value or " + flag + " value");
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }
}
