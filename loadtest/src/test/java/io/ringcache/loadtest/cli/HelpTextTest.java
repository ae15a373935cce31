package io.ringcache.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} formats cleanly. Picocli runs descriptions through
 * {@code String.format}; a bare {@code %} makes it print a warning to standard error and show
 * the raw text, which users see on every {@code --help}.
 */
class HelpTextTest {

  @Test
  void usage_everyCommand_formatsWithoutPicocliWarnings() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> usages = new ArrayList<>();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      CommandLine main = Main.commandLine();
      usages.add(main.getUsageMessage());
      for (CommandLine sub : main.getSubcommands().values()) {
        usages.add(sub.getUsageMessage());
      }
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("[picocli WARN]");
    assertThat(usages).allSatisfy(u -> assertThat(u).startsWith("Usage: "));
  }
}
