package io.ringcache.node.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringcache.node.caches.CacheServices;
import io.ringcache.node.rebalance.RebalanceStatus;
import io.ringcache.node.replication.AntiEntropyStats;
import io.ringcache.node.server.NodeStats;
import io.ringcache.node.server.ServerMetrics;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's meters in one Prometheus registry: the store's cache meters, the {@code ringcache_*}
 * meters and the JVM's.
 *
 * <p>Each node has its own registry, never Micrometer's global one: tests run several nodes in
 * one JVM, and each node's {@code /metrics} must show that node alone. The JVM meters are
 * therefore the same on every node of one JVM, as they should be. Tag values come only from
 * enums and constants (and, for the JVM meters, the JVM's own pool and collector names), so no
 * key, value or client address can become a label and the number of series does not grow with
 * traffic.
 *
 * <p>Thread-safe: requests are recorded from every event loop, scrapes come from worker threads.
 */
public final class NodeMetrics implements ServerMetrics, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NodeMetrics.class.getName());

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RequestTimers requests = new RequestTimers(registry);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public NodeMetrics(LocalStore store, TopologyHolder topology, NodeStats stats,
      RebalanceStatus rebalance) {
    bind(new StoreMeters(store));
    bind(new ClusterMeters(topology, stats, rebalance));
    bind(new JvmMemoryMetrics());
    bind(new JvmGcMetrics());
    bind(new JvmThreadMetrics());
    bind(new ProcessorMetrics());
    bind(new UptimeMetrics());
  }

  private void bind(MeterBinder binder) {
    binder.bindTo(registry);
    if (binder instanceof AutoCloseable c) {
      closeables.add(c);
    }
  }

  @Override
  public void requestServed(Opcode op, Status status, long nanos) {
    requests.record(op, status, nanos);
  }

  @Override
  public String scrape() {
    return registry.scrape(CONTENT_TYPE);
  }

  /** Adds the named caches' meters (they exist once the node's cache services do). */
  public void bindCaches(CacheServices caches, NodeStats stats) {
    bind(new CacheMeters(caches, stats));
  }

  /** Adds anti-entropy's meters. */
  public void bindAntiEntropy(AntiEntropyStats stats,
      LocalStore store) {
    bind(new AntiEntropyMeters(stats, store));
  }

  /** The registry, for tests and for binding more meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Unhooks the binders that listen to the JVM (GC notifications) and closes the registry. */
  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing " + c.getClass().getSimpleName() + " failed", e);
      }
    }
    closeables.clear();
    registry.close();
  }
}
