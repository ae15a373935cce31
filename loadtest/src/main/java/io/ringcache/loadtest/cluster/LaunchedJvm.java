package io.ringcache.loadtest.cluster;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One JVM process a {@link JvmProcessLauncher} started: its name, its {@link Process} handle, the
 * log its output goes to and whether the launcher has signalled it. Only the launcher signals it;
 * callers read it.
 */
public final class LaunchedJvm {

  private final String name;
  private final Process process;
  private final Path log;
  /** Copies the output when the caller follows its lines; {@code null} when it is redirected. */
  private final Thread reader;
  private final AtomicBoolean signalled = new AtomicBoolean();

  LaunchedJvm(String name, Process process, Path log, Thread reader) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.reader = reader;
  }

  /** The name it was launched under, unique among the launcher's running processes. */
  public String name() {
    return name;
  }

  /** The operating-system process id. */
  public long pid() {
    return process.pid();
  }

  /** The file its standard output and error are appended to. */
  public Path log() {
    return log;
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Whether the launcher has sent it a signal (stop, kill, cleanup): an exit after that is one the
   * launcher caused, not a crash.
   */
  public boolean signalled() {
    return signalled.get();
  }

  /** It has exited although nobody signalled it. */
  boolean crashed() {
    return !signalled.get() && !process.isAlive();
  }

  Process process() {
    return process;
  }

  LaunchedJvm signal() {
    signalled.set(true);
    return this;
  }

  void startReader() {
    if (reader != null) {
      reader.start();
    }
  }

  /** Waits (bounded) until its last output lines are in the log, when a reader copies them. */
  void awaitOutput(long millis) throws InterruptedException {
    if (reader != null) {
      reader.join(millis);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
