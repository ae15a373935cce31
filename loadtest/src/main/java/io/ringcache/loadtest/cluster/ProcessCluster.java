package io.ringcache.loadtest.cluster;

import java.nio.file.Path;

/**
 * A cluster whose members are processes of one {@link JvmProcessLauncher}: {@link LocalCluster}
 * (ringcache nodes) and the peer launcher (Hazelcast members). What every such cluster answers
 * the same way lives here: its unique name, where its logs are, and closing it, which kills every
 * process still running.
 */
public abstract class ProcessCluster implements AutoCloseable {

  /** Starts, signals and cleans up the members' processes. */
  protected final JvmProcessLauncher launcher;

  protected ProcessCluster(JvmProcessLauncher launcher) {
    this.launcher = launcher;
  }

  /** The cluster's unique name, its launcher's group: a prefix and 8 hex digits. */
  public String clusterName() {
    return launcher.group();
  }

  /** Where the logs go: one {@code <name>.log} per member name. */
  public Path logDirectory() {
    return launcher.logDirectory();
  }

  /** Kills every member still running (SIGKILL, by its PID) and waits for them; idempotent. */
  @Override
  public void close() {
    launcher.close();
  }
}
