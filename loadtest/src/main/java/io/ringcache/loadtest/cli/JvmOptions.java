package io.ringcache.loadtest.cli;

import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The JVM flags of the nodes or members a command starts, and each system's default.
 *
 * <h2>Design</h2>
 *
 * A comparison should run each system the way its own users would for a latency-sensitive cache
 * on a small machine, and give both the same heap so neither wins on memory (issue 12, item 6):
 *
 * <ul>
 *   <li>ringcache nodes: G1 with a 5 ms pause goal, which sizes its young generation to keep
 *       pauses short. The serial collector the launchers default to collects on one thread with
 *       no pause goal, so a long collection stops the node for as long as it takes.
 *   <li>Hazelcast members: also G1 with a 5 ms pause goal, which is what Hazelcast's official
 *       image ships ({@code JAVA_OPTS_DEFAULT} in hazelcast/hazelcast-docker: {@code
 *       -XX:MaxGCPauseMillis=5} on the JVM's default collector, G1). G1 is named here because
 *       the JVM picks the serial collector on its own on a machine with fewer than 2 CPUs or
 *       less than 1792 MB, and the image's {@code -XX:MaxRAMPercentage=80.0} gives way to the
 *       heap both systems share.
 * </ul>
 *
 * The two defaults are the same flags today, but are kept apart on purpose: each is chosen for
 * its own system and may change without the other.
 *
 * <h2>Failure</h2>
 *
 * {@link #parse} rejects what is not a JVM flag (a word without a leading {@code -}) and the
 * flags the launchers set themselves ({@code -cp}, {@code -jar}), naming the value; picocli turns
 * that into exit code 2. An empty text is allowed and means no flags: the JVM's own defaults.
 *
 * @param flags the flags, in order, each a single command-line word
 */
record JvmOptions(List<String> flags) {

  /** Set by the launchers themselves; declared before the defaults, which {@link #parse} uses. */
  private static final List<String> LAUNCHER_FLAGS =
      List.of("-cp", "-classpath", "--class-path", "-jar");

  static final String RINGCACHE_DEFAULT_TEXT = "-Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=5";
  static final String PEER_DEFAULT_TEXT = "-Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=5";
  static final JvmOptions RINGCACHE_DEFAULT = parse(RINGCACHE_DEFAULT_TEXT);
  static final JvmOptions PEER_DEFAULT = parse(PEER_DEFAULT_TEXT);

  JvmOptions {
    flags = List.copyOf(flags);
  }

  /** Flags separated by white space, e.g. {@code -Xmx256m -XX:+UseG1GC}; blank for none. */
  static JvmOptions parse(String text) {
    String trimmed = text.trim();
    List<String> flags = trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    for (String flag : flags) {
      if (!flag.startsWith("-")) {
        throw new IllegalArgumentException(String.format(
            "JVM flags start with '-'; '%s' in '%s' does not", flag, text));
      }
      if (LAUNCHER_FLAGS.contains(flag)) {
        throw new IllegalArgumentException(String.format(
            "JVM flags must not set the class path or jar (%s), the launcher does; was '%s'",
            flag, text));
      }
    }
    return new JvmOptions(flags);
  }

  /** picocli's converter for {@code --jvm-options} and the per-system options. */
  static final class Converter implements ITypeConverter<JvmOptions> {
    @Override
    public JvmOptions convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
