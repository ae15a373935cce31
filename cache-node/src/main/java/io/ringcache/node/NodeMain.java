package io.ringcache.node;

import io.ringcache.node.config.ConfigException;
import io.ringcache.node.config.ConfigLoader;
import io.ringcache.node.config.NodeConfig;
import io.ringcache.node.logging.NodeLog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * {@code java -jar cache-node.jar [--flags]}: loads the configuration (flag > environment >
 * file > default), logs it with secrets redacted, starts the node, and leaves the cluster on
 * SIGTERM, Ctrl-C or {@code POST /v1/admin/drain} after draining: readiness turns false, the
 * coordinator rebalances without this node, the node keeps serving and streams its ranges until
 * a STABLE topology without it is installed, then writes its warm-restart snapshot when a
 * {@code data-dir} is set, then leaves.
 *
 * <p>Exit codes: 0 after a clean drain and stop, 3 when the drain timeout ran out, 2 for a bad
 * configuration, 1 when the node cannot start or stop.
 */
public final class NodeMain {

  static {
    // Before any logger exists: keeps log handlers alive through the shutdown hook, so a drain
    // on SIGTERM is logged to the end (the JDK's LogManager resets handlers in its own hook).
    System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
  }

  private static final Logger LOG = Logger.getLogger(NodeMain.class.getName());

  private NodeMain() {}

  public static void main(String[] args) {
    System.setProperty("hazelcast.phone.home.enabled", "false");
    if (ConfigLoader.helpRequested(args)) {
      System.out.println(ConfigLoader.usage());
      return;
    }
    NodeConfig config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("ringcache: " + e.getMessage());
      System.err.println("run with --help for every setting");
      System.exit(2);
      return;
    }
    NodeLog.configure(config.logFormat(), config.logLevel());
    NodeLog.bind(config.name(), () -> -1);
    LOG.info("effective configuration:\n" + config.describe());
    CacheNode node;
    try {
      node = CacheNode.start(CacheNode.settingsOf(config)).toCompletionStage()
          .toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      LOG.log(Level.SEVERE, "node failed to start: " + cause.getMessage(), cause);
      System.exit(1);
      return;
    }
    NodeLog.bind(node.name(), node.topologyHolder()::epoch);
    Duration drainTimeout = config.drainTimeout();
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicInteger exitCode = new AtomicInteger();
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop = () -> {
      if (stopping.compareAndSet(false, true)) {
        exitCode.set(drainAndLeave(node, drainTimeout));
        stopped.countDown();
      }
      awaitQuietly(stopped);
    };
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      flushLogs();
      // halt: the exit status of a JVM stopped by SIGTERM would be 143 whatever happened.
      Runtime.getRuntime().halt(exitCode.get());
    }, "ringcache-shutdown"));
    node.drainRequested().onSuccess(v -> new Thread(() -> {
      stop.run();
      System.exit(exitCode.get());
    }, "ringcache-admin-drain").start());
    awaitQuietly(stopped);
  }

  /**
   * Drains, then leaves the cluster. Returns the process exit code: 0 when the data was handed
   * over, 3 when the drain timeout ran out first (the node leaves anyway; replicas elsewhere keep
   * the data if the replication factor allows).
   */
  static int drainAndLeave(CacheNode node, Duration timeout) {
    NodeLog.event(LOG, Level.INFO, "drain.requested", node.name(), -1, "node '" + node.name()
        + "' stopping: draining (timeout " + timeout.toMillis() + " ms)",
        "timeoutMillis", timeout.toMillis());
    int code = 0;
    try {
      boolean drained = node.drain(timeout).toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      if (drained) {
        LOG.info("node '" + node.name() + "' drained: its ranges live on other nodes");
      } else {
        LOG.warning("node '" + node.name() + "' did not finish draining within "
            + timeout.toMillis() + " ms (drainTimeout); leaving anyway, exit code 3");
        code = 3;
      }
    } catch (Exception e) {
      LOG.log(Level.WARNING, "drain failed; leaving anyway, exit code 3", e);
      code = 3;
    }
    if (node.warmRestart().enabled()) {
      // After the drain: a node that handed its ranges over writes what it still holds (little
      // or nothing); the last members, with nobody to hand to, write their whole share.
      // Bounded like the drain: a stop must end. A write still running then is interrupted by
      // close(), and the previous snapshot stays.
      try {
        node.snapshot().toCompletionStage().toCompletableFuture()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warning("node '" + node.name() + "': no snapshot written: the write did not finish"
            + " within " + timeout.toMillis() + " ms (drainTimeout); the previous snapshot, if"
            + " any, is kept");
      } catch (ExecutionException e) {
        LOG.warning("node '" + node.name() + "': no snapshot written: "
            + e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warning("node '" + node.name() + "': no snapshot written: interrupted");
      }
    }
    try {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      NodeLog.event(LOG, Level.INFO, "node.left", node.name(), -1,
          "node '" + node.name() + "' left the cluster", "exitCode", code);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "node did not close within 30 s", e);
      code = code == 0 ? 1 : code;
    }
    return code;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void flushLogs() {
    System.out.flush();
    System.err.flush();
    for (java.util.logging.Handler h : Logger.getLogger("").getHandlers()) {
      h.flush();
    }
  }

  /**
   * A {@link java.util.logging.LogManager} that ignores the reset the JDK runs at shutdown (from
   * its {@code LogManager$Cleaner} hook thread, in no fixed order with ours), so the drain that
   * our hook runs is logged to the end. Explicit resets still work.
   */
  public static final class ShutdownSafeLogManager extends LogManager {
    @Override
    public void reset() {
      if (!Thread.currentThread().getClass().getName().endsWith("LogManager$Cleaner")) {
        super.reset();
      }
    }
  }
}
