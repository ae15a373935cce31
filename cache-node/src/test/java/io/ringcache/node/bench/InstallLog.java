package io.ringcache.node.bench;

import io.ringcache.node.CacheNode;
import io.ringcache.node.rebalance.Rebalancer;
import io.ringcache.protocol.Topology;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * When each node installed each topology, taken by a {@code TopologyHolder} listener on the
 * installing thread, so phase durations come from the moment of installation rather than from
 * the interval of whoever polls. Also counts failed transfer attempts, which the rebalancer only
 * logs (it retries a failed transfer whole after a second): a java.util.logging handler on its
 * logger sees them.
 */
final class InstallLog {

  private static final AtomicLong FAILED_TRANSFERS = new AtomicLong();
  /** Held: java.util.logging keeps loggers weakly, and a collected one loses its handlers. */
  private static final Logger REBALANCER = Logger.getLogger(Rebalancer.class.getName());

  static {
    REBALANCER.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel() == Level.WARNING && record.getMessage() != null
            && record.getMessage().startsWith("transfer for epoch")) {
          FAILED_TRANSFERS.incrementAndGet();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  /** One installation of {@code epoch} in {@code phase} on {@code node}, at {@code nanos}. */
  record Install(String node, long epoch, Topology.Phase phase, long nanos) {}

  private final ConcurrentLinkedQueue<Install> installs = new ConcurrentLinkedQueue<>();

  /** Failed transfer attempts logged by any node in this JVM so far. */
  static long failedTransfers() {
    return FAILED_TRANSFERS.get();
  }

  /** Records every topology {@code node} installs from now on. */
  void attach(CacheNode node) {
    node.topologyHolder().onInstall(t ->
        installs.add(new Install(node.name(), t.epoch(), t.phase(), System.nanoTime())));
  }

  /** Earliest installation of {@code epoch} on any node, if one was seen. */
  OptionalLong first(long epoch) {
    return installs.stream().filter(i -> i.epoch() == epoch).mapToLong(Install::nanos).min();
  }

  /** Latest installation of {@code epoch} among {@code nodes}, if one was seen. */
  OptionalLong last(long epoch, List<String> nodes) {
    return installs.stream().filter(i -> i.epoch() == epoch && nodes.contains(i.node()))
        .mapToLong(Install::nanos).max();
  }

  /** Distinct TRANSFER epochs installed at or after {@code sinceNanos}. */
  long transferEpochsSince(long sinceNanos) {
    return installs.stream()
        .filter(i -> i.phase() == Topology.Phase.TRANSFER && i.nanos() - sinceNanos >= 0)
        .mapToLong(Install::epoch).distinct().count();
  }

  /** The phase {@code epoch} was installed in, or null when no node installed it. */
  Topology.Phase phaseOf(long epoch) {
    return installs.stream().filter(i -> i.epoch() == epoch).map(Install::phase).findFirst()
        .orElse(null);
  }
}
