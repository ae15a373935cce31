package io.ringcache.loadtest.cluster;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Starts JVM processes on this machine, waits for them to be ready, and stops, kills and cleans
 * them up: the one process launcher behind {@link LocalCluster} (ringcache nodes) and the peer
 * launcher ({@code HazelcastCluster}), and through them the tests that kill real processes, the
 * load test and {@code loadtest cluster}.
 *
 * <h2>Design</h2>
 *
 * A launcher is one group of processes, each under a name that is unique among those running (a
 * stopped or killed name may start again): it names the group ({@code <prefix>-} and 8 hex digits,
 * so groups of concurrent tests never meet), owns its log directory ({@code <logRoot>/<group>/},
 * one {@code <name>.log} per process name, appended across restarts, each start headed by its
 * command line) and a JVM shutdown hook. A {@link Launch} says what to run: the java binary
 * (default: this JVM's), JVM options, a jar or a class path and main class, arguments, and which
 * inherited environment variables to drop so the arguments are the whole configuration. Output
 * goes straight to the log, or, when the caller follows the lines ({@link Launch#onLine}), through
 * a reader thread that copies each line to the log before handing it on.
 *
 * <p>Readiness is the caller's condition ({@link #await}): an HTTP probe, a port that accepts
 * ({@link #portAccepts}), a line seen. It is tested again on every output line, on every exit and
 * at least every {@value #POLL_MILLIS} ms, so a condition on lines is seen at once and one on a
 * probe is polled.
 *
 * <h2>Concurrency</h2>
 *
 * Thread-safe. Starts, stops, kills and {@link #close} are serialized on one lock, held while
 * waiting for a process, so a name is never started while its previous process is still being
 * stopped. One monitor guards the running processes and an event count that reader threads and
 * exit callbacks bump; waiters sleep on it, never in {@code Thread.sleep}. Conditions are tested
 * outside both, so a slow probe holds neither.
 *
 * <h2>Failure</h2>
 *
 * Every wait is bounded and fails with the caller's exception type (a {@link Failure}) naming the
 * process, its pid, the bound and the log. A process that exits unsignalled while a caller waits
 * for readiness fails the wait at once. Only processes this launcher started are signalled, each
 * through its own {@link ProcessHandle} (by PID): {@link Process#destroy()} would also close the
 * output pipe, so a process stopping gracefully would lose its last lines. The shutdown hook kills
 * (SIGKILL) whatever still runs if the JVM exits without {@link #close}, so no process outlives it
 * unless the JVM itself is killed with SIGKILL.
 */
public final class JvmProcessLauncher implements AutoCloseable {

  /** How long a SIGKILLed process may take to be gone before that is an error. */
  public static final Duration KILL_WAIT = Duration.ofSeconds(15);

  static final long POLL_MILLIS = 200;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Makes the caller's exception from a message and a cause ({@code null} for none). */
  @FunctionalInterface
  public interface Failure {
    RuntimeException of(String message, Throwable cause);
  }

  private final String group;
  private final String kind;
  private final Path logDirectory;
  private final Failure failure;
  /** Serializes start, stop, kill and close; held while waiting for a process. */
  private final Object changes = new Object();
  /** Guards {@link #running} and {@link #events}; notified on every line and exit. */
  private final Object monitor = new Object();
  /** By name, in start order. */
  private final Map<String, LaunchedJvm> running = new LinkedHashMap<>();
  private long events;
  private final Thread shutdownHook;
  private volatile boolean closed;

  /**
   * A launcher whose group is {@code prefix-} and 8 hex digits, with its log directory created
   * under {@code logRoot}.
   *
   * @param kind what the processes are, for messages: "node", "member"
   * @param failure the exception its waits fail with
   */
  public JvmProcessLauncher(String prefix, String kind, Path logRoot, Failure failure) {
    this.group = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.failure = Objects.requireNonNull(failure, "failure");
    this.logDirectory = logRoot.resolve(group).toAbsolutePath();
    try {
      Files.createDirectories(logDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + logDirectory, e);
    }
    this.shutdownHook = new Thread(this::killAll, group + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The group's unique name, {@code <prefix>-} and 8 hex digits. */
  public String group() {
    return group;
  }

  /** Where the logs go: one {@code <name>.log} per process name. */
  public Path logDirectory() {
    return logDirectory;
  }

  /**
   * Starts the process and returns without waiting for it to be ready.
   *
   * @throws IllegalArgumentException if a process of that name runs
   * @throws IllegalStateException if the launcher is closed
   * @throws RuntimeException the caller's {@link Failure} if the process cannot be started
   */
  public LaunchedJvm start(Launch launch) {
    synchronized (changes) {
      checkOpen();
      synchronized (monitor) {
        if (running.containsKey(launch.name)) {
          throw new IllegalArgumentException(String.format(
              "%s '%s' is running already; running: %s", kind, launch.name, running.keySet()));
        }
      }
      LaunchedJvm jvm = spawn(launch);
      synchronized (monitor) {
        running.put(jvm.name(), jvm);
      }
      jvm.startReader();
      jvm.process().onExit().thenRun(this::event);
      return jvm;
    }
  }

  private LaunchedJvm spawn(Launch launch) {
    Path log = logDirectory.resolve(launch.name + ".log");
    List<String> command = launch.command();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(launch.dropEnvironment);
    if (launch.lines == null) {
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    BufferedWriter out = null;
    Process process;
    try {
      out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      out.write("== " + Instant.now() + " starting: " + String.join(" ", command));
      out.newLine();
      out.flush();
      process = builder.start();
    } catch (IOException e) {
      closeQuietly(out);
      throw failure.of("cannot start " + kind + " '" + launch.name + "': " + e.getMessage(), e);
    }
    if (launch.lines == null) {
      closeQuietly(out);
      return new LaunchedJvm(launch.name, process, log, null);
    }
    BufferedWriter copy = out;
    Thread reader = new Thread(() -> follow(process, copy, launch.lines),
        group + "-" + launch.name + "-output");
    reader.setDaemon(true);
    return new LaunchedJvm(launch.name, process, log, reader);
  }

  /** Names of the running processes, in start order. */
  public List<String> names() {
    synchronized (monitor) {
      return List.copyOf(running.keySet());
    }
  }

  /** The running process of that name, if any. */
  public Optional<LaunchedJvm> process(String name) {
    synchronized (monitor) {
      return Optional.ofNullable(running.get(name));
    }
  }

  /**
   * Waits until {@code ready} holds, testing it on every output line and exit and at least every
   * {@value #POLL_MILLIS} ms.
   *
   * @param what the condition in words, for the timeout's message
   * @param lastSeen what the condition saw last, for the timeout's message
   * @throws RuntimeException the caller's {@link Failure} if the bound passes first, or a process
   *     of this launcher exits unsignalled while waiting
   */
  public void await(String what, BooleanSupplier ready, Duration timeout,
      Supplier<String> lastSeen) {
    requirePositive("timeout", timeout);
    checkOpen();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      synchronized (monitor) {
        seen = events;
      }
      failIfCrashed();
      if (ready.getAsBoolean()) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw failure.of(String.format("%s not ready within %d ms (%s); last seen: %s; logs in %s",
            group, timeout.toMillis(), what, lastSeen.get(), logDirectory), null);
      }
      synchronized (monitor) {
        try {
          if (events == seen) {
            TimeUnit.NANOSECONDS.timedWait(monitor,
                Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure.of("interrupted while waiting for readiness of " + group, e);
        }
      }
    }
  }

  /** Wakes waiters so they test their condition again: a line came or a process exited. */
  private void event() {
    synchronized (monitor) {
      events++;
      monitor.notifyAll();
    }
  }

  /**
   * Kills the process with SIGKILL, like {@code kill -9}: no shutdown hook runs, nothing drains.
   * Waits for it to be gone.
   *
   * @return the exit code the OS reported (137 on Linux)
   * @throws IllegalArgumentException if no process of that name runs
   */
  public int kill(String name) {
    return killTogether(List.of(name)).get(0);
  }

  /**
   * Kills these processes with SIGKILL at one moment, as when a zone loses power: every one is
   * signalled before the launcher waits for any. Nothing is signalled unless every name runs.
   *
   * @return their exit codes, in the order named
   * @throws IllegalArgumentException if a name is not running
   */
  public List<Integer> killTogether(List<String> names) {
    synchronized (changes) {
      List<LaunchedJvm> victims = names.stream().map(this::require).toList();
      victims.forEach(j -> j.signal().process().toHandle().destroyForcibly());
      List<Integer> exits = new ArrayList<>();
      try {
        for (LaunchedJvm j : victims) {
          exits.add(awaitExit(j, KILL_WAIT, "SIGKILL"));
        }
      } finally {
        victims.forEach(this::forget);
      }
      return exits;
    }
  }

  /**
   * Stops the process with SIGTERM, which lets it drain and leave, and waits for it to exit.
   *
   * @return its exit code
   * @throws IllegalArgumentException if no process of that name runs
   * @throws RuntimeException the caller's {@link Failure} if it still runs after {@code timeout};
   *     it is then killed
   */
  public int stop(String name, Duration timeout) {
    requirePositive("timeout", timeout);
    synchronized (changes) {
      LaunchedJvm jvm = require(name).signal();
      jvm.process().toHandle().destroy();
      try {
        return awaitExit(jvm, timeout, "SIGTERM");
      } catch (RuntimeException e) {
        jvm.process().toHandle().destroyForcibly();
        awaitExit(jvm, KILL_WAIT, "SIGKILL after a SIGTERM timeout");
        throw e;
      } finally {
        forget(jvm);
      }
    }
  }

  /** Kills every process still running (SIGKILL) and waits for them; idempotent. */
  @Override
  public void close() {
    synchronized (changes) {
      if (closed) {
        return;
      }
      closed = true;
      killAll();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook runs or has run, which is as good.
    }
  }

  /** @throws IllegalStateException if {@link #close} has run */
  public void checkOpen() {
    if (closed) {
      throw new IllegalStateException(kind + " launcher " + group + " is closed");
    }
  }

  /**
   * Checks a process name: 1 to 64 letters, digits, dots, dashes or underscores (it names a file).
   *
   * @return the name
   */
  public static String requireName(String kind, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          kind + " name must match " + NAME.pattern() + ", was '" + name + "'");
    }
    return name;
  }

  /** @throws IllegalArgumentException naming {@code what} unless {@code d} is positive */
  public static Duration requirePositive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  /** A readiness condition: a TCP connection to {@code host:port} succeeds now. */
  public static BooleanSupplier portAccepts(String host, int port) {
    return () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 1_000);
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }

  private LaunchedJvm require(String name) {
    checkOpen();
    synchronized (monitor) {
      LaunchedJvm jvm = running.get(name);
      if (jvm == null) {
        throw new IllegalArgumentException(String.format("no running %s named '%s'; running: %s",
            kind, name, running.keySet()));
      }
      return jvm;
    }
  }

  private void failIfCrashed() {
    LaunchedJvm crashed;
    synchronized (monitor) {
      crashed = running.values().stream().filter(LaunchedJvm::crashed).findFirst().orElse(null);
    }
    if (crashed == null) {
      return;
    }
    try {
      crashed.awaitOutput(KILL_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw failure.of(String.format(
        "%s '%s' (pid %d) exited while waiting for readiness (exit code %d); see %s", kind,
        crashed.name(), crashed.pid(), crashed.process().exitValue(), crashed.log()), null);
  }

  private int awaitExit(LaunchedJvm jvm, Duration timeout, String signal) {
    try {
      if (!jvm.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure.of(String.format("%s '%s' (pid %d) still runs %d ms after %s; see %s",
            kind, jvm.name(), jvm.pid(), timeout.toMillis(), signal, jvm.log()), null);
      }
      // The last lines are in the log when this returns.
      jvm.awaitOutput(KILL_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure.of("interrupted waiting for " + kind + " '" + jvm.name() + "' to exit", e);
    }
    return jvm.process().exitValue();
  }

  private void forget(LaunchedJvm jvm) {
    synchronized (monitor) {
      running.remove(jvm.name(), jvm);
      events++;
      monitor.notifyAll();
    }
  }

  private void killAll() {
    List<LaunchedJvm> all;
    synchronized (monitor) {
      all = new ArrayList<>(running.values());
      running.clear();
    }
    all.forEach(j -> j.signal().process().toHandle().destroyForcibly());
    for (LaunchedJvm j : all) {
      try {
        j.process().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Copies the output to the log, hands each line on, and wakes waiters after each. */
  private void follow(Process process, BufferedWriter log, Consumer<String> lines) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = log) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        lines.accept(line);
        event();
      }
    } catch (IOException e) {
      // The stream closes when the process dies; either way its output has ended.
    }
  }

  private static void closeQuietly(Writer w) {
    if (w == null) {
      return;
    }
    try {
      w.close();
    } catch (IOException e) {
      // Only the header line was written; the process's own output goes elsewhere.
    }
  }

  /** What to run: a java command line, its environment and where its output goes. */
  public static final class Launch {

    private final String name;
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private List<String> jvmOptions = List.of();
    private List<String> entry = List.of();
    private List<String> arguments = List.of();
    private Predicate<String> dropEnvironment = k -> false;
    private Consumer<String> lines;

    private Launch(String name) {
      this.name = name;
    }

    /** A process of this name (its log is {@code <name>.log}); see {@link #requireName}. */
    public static Launch named(String name) {
      return new Launch(requireName("process", name));
    }

    /** The java binary; default: this JVM's. */
    public Launch java(Path binary) {
      this.java = Objects.requireNonNull(binary, "java");
      return this;
    }

    /** Flags before the jar or class path. */
    public Launch jvmOptions(List<String> options) {
      this.jvmOptions = List.copyOf(options);
      return this;
    }

    /** Runs {@code -jar <jar>}. */
    public Launch jar(Path jar) {
      this.entry = List.of("-jar", jar.toAbsolutePath().toString());
      return this;
    }

    /** Runs {@code -cp <classpath> <mainClass>}. */
    public Launch mainClass(String classpath, String mainClass) {
      this.entry = List.of("-cp", classpath, mainClass);
      return this;
    }

    /** The program's arguments, after the jar or main class. */
    public Launch arguments(List<String> args) {
      this.arguments = List.copyOf(args);
      return this;
    }

    /** Inherited environment variables to remove, by name. */
    public Launch dropEnvironment(Predicate<String> names) {
      this.dropEnvironment = Objects.requireNonNull(names, "names");
      return this;
    }

    /**
     * Follows the output: each line, after it is in the log, goes to {@code consumer} on the
     * process's reader thread. Without it the output goes to the log directly.
     */
    public Launch onLine(Consumer<String> consumer) {
      this.lines = Objects.requireNonNull(consumer, "consumer");
      return this;
    }

    List<String> command() {
      if (entry.isEmpty()) {
        throw new IllegalStateException(
            "launch '" + name + "' names neither a jar nor a main class");
      }
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.addAll(jvmOptions);
      command.addAll(entry);
      command.addAll(arguments);
      return command;
    }
  }
}
