package io.ringcache.loadtest.cluster;

import static io.ringcache.loadtest.cluster.JvmProcessLauncher.requirePositive;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings every cluster of JVM processes has, whatever runs in them: how many to start, their
 * JVM flags, where the logs go and how long readiness and a graceful stop may take. {@link
 * LocalCluster.Builder} and the peer launcher's builder extend it with what their processes need;
 * each sets its own defaults for the count, the timeouts and the log root.
 *
 * @param <B> the builder, returned by every setter so calls chain
 */
public abstract class ProcessGroupSettings<B extends ProcessGroupSettings<B>> {

  /** The most processes a cluster starts at once. */
  public static final int MAX_PROCESSES = 32;

  private int count;
  private List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC");
  private Path logRoot;
  private Duration readyTimeout;
  private Duration stopTimeout;

  /** Defaults: {@code count} processes, logs in {@code java.io.tmpdir/<logDirectory>}, bounds. */
  protected ProcessGroupSettings(
      int count, String logDirectory, Duration readyTimeout, Duration stopTimeout) {
    this.count = count;
    this.logRoot = Path.of(System.getProperty("java.io.tmpdir"), logDirectory);
    this.readyTimeout = readyTimeout;
    this.stopTimeout = stopTimeout;
  }

  /**
   * How many processes the cluster starts, 1..{@value #MAX_PROCESSES}; a subclass names the
   * setting ({@code what}) after what they are.
   */
  protected B count(String what, int count) {
    this.count = within(what, count, 1, MAX_PROCESSES);
    return self();
  }

  /** How many processes the cluster starts. */
  public int count() {
    return count;
  }

  /**
   * JVM flags before the jar or class path; replaces the default {@code -Xmx256m
   * -XX:+UseSerialGC}, which every cluster shares so a comparison starts from the same heap.
   *
   * @throws IllegalArgumentException if a flag is blank or sets the class path or jar ({@code
   *     -cp}, {@code -classpath}, {@code -jar}), which the launcher sets itself
   */
  public B jvmOptions(List<String> options) {
    Objects.requireNonNull(options, "options");
    for (String o : options) {
      if (o == null || o.isBlank() || o.equals("-cp") || o.equals("-classpath")
          || o.equals("-jar")) {
        throw new IllegalArgumentException(
            "jvmOptions must be JVM flags, not blank, -cp or -jar; was " + options);
      }
    }
    this.jvmOptions = List.copyOf(options);
    return self();
  }

  /** {@link #jvmOptions(List)}. */
  public B jvmOptions(String... options) {
    return jvmOptions(List.of(options));
  }

  /** Logs go to {@code <root>/<clusterName>/}, one {@code <name>.log} per process name. */
  public B logRoot(Path root) {
    this.logRoot = Objects.requireNonNull(root, "logRoot");
    return self();
  }

  /** Bound of the cluster's {@code awaitReady()}. */
  public B readyTimeout(Duration timeout) {
    this.readyTimeout = requirePositive("readyTimeout", timeout);
    return self();
  }

  /** Bound of the cluster's graceful {@code stop}, after which the process is killed. */
  public B stopTimeout(Duration timeout) {
    this.stopTimeout = requirePositive("stopTimeout", timeout);
    return self();
  }

  /** The JVM flags set, or the default. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /** The log root set, or the cluster's default. */
  public Path logRoot() {
    return logRoot;
  }

  /** The readiness bound set, or the cluster's default. */
  public Duration readyTimeout() {
    return readyTimeout;
  }

  /** The graceful stop's bound set, or the cluster's default. */
  public Duration stopTimeout() {
    return stopTimeout;
  }

  /**
   * Checks a count setting.
   *
   * @return {@code value}
   * @throws IllegalArgumentException naming {@code what}, the range and the value, outside it
   */
  protected static int within(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format("%s must be within %d..%d, was %d", what, min, max, value));
    }
    return value;
  }

  @SuppressWarnings("unchecked") // B is the subclass, as the class's bound requires
  private B self() {
    return (B) this;
  }
}
