package io.ringcache.node;

import io.ringcache.node.config.ConfigException;
import io.ringcache.node.config.ConfigLoader;
import io.ringcache.node.config.NodeConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar cache-node.jar [--flags]}: loads the configuration (flag > environment >
 * file > default), logs it with secrets redacted, starts the node, and leaves the cluster on
 * SIGTERM or Ctrl-C.
 *
 * <p>Exit codes: 0 after a clean stop, 2 for a bad configuration, 1 when the node cannot start.
 */
public final class NodeMain {

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
    long drainMillis = config.drainTimeout().toMillis();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping node '" + node.name() + "'");
      try {
        node.close().toCompletionStage().toCompletableFuture()
            .get(drainMillis, TimeUnit.MILLISECONDS);
        LOG.info("node '" + node.name() + "' left the cluster");
      } catch (Exception e) {
        LOG.log(Level.WARNING, "node did not stop within " + drainMillis + " ms (drainTimeout)", e);
      }
      stopped.complete(null);
    }, "ringcache-shutdown"));
    stopped.join();
  }
}
