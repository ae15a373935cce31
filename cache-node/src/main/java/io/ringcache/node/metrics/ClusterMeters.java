package io.ringcache.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringcache.node.rebalance.RebalanceStatus;
import io.ringcache.node.server.NodeStats;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The {@code ringcache.*} meters that read state the node already keeps: forwarding, replication
 * and connection counters ({@link NodeStats}), the installed topology ({@link TopologyHolder}) and
 * this node's transfer progress ({@link RebalanceStatus}). All of them are evaluated at scrape
 * time, so they add nothing to the request path.
 *
 * <p>The rebalance phase is a state set, one gauge per phase that reads 1 for the installed phase
 * and 0 for the others, rather than one gauge holding a phase code: {@code
 * ringcache_rebalance_phase{phase="transfer"} == 1} needs no table to read. Members are counted per
 * state from the installed topology, which is what the node routes by; a crashed member counts as
 * {@code down} until the rebalance that replaces it ends.
 */
final class ClusterMeters implements MeterBinder {

  private final TopologyHolder topology;
  private final NodeStats stats;
  private final RebalanceStatus rebalance;

  ClusterMeters(TopologyHolder topology, NodeStats stats, RebalanceStatus rebalance) {
    this.topology = topology;
    this.stats = stats;
    this.rebalance = rebalance;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    bindRequests(registry);
    bindTopology(registry);
    bindRebalance(registry);
    Gauge.builder("ringcache.connections.open", stats, s -> s.openConnections.get())
        .description("Open binary-protocol connections, from clients and from peer nodes")
        .register(registry);
    counter(registry, "ringcache.connections.accepted", stats.connectionsAccepted,
        "Binary-protocol connections accepted");
    counter(registry, "ringcache.connections.rejected", stats.connectionsRejected,
        "Binary-protocol connections refused with BUSY because maxConnections were open");
    counter(registry, "ringcache.peer.only.refused", stats.peerOnlyRefused,
        "Peer-only requests (replication, transfer) refused with FORBIDDEN on a connection that"
            + " did not authenticate as a cluster peer");
    counter(registry, "ringcache.clock.offset.rejected", stats.clockOffsetRejected,
        "Replicated and transferred entries refused with CLOCK_OFFSET: their version was further"
            + " ahead of this node's clock than max-clock-offset");
  }

  private void bindRequests(MeterRegistry registry) {
    FunctionCounter.builder("ringcache.forwards", stats.forwarded, LongAdder::sum)
        .tag("direction", "sent")
        .description("Requests forwarded between nodes: sent on to the key's owner, or received"
            + " from a node that does not own the key")
        .register(registry);
    FunctionCounter.builder("ringcache.forwards", stats.forwardedIn, LongAdder::sum)
        .tag("direction", "received")
        .description("Requests forwarded between nodes: sent on to the key's owner, or received"
            + " from a node that does not own the key")
        .register(registry);
    counter(registry, "ringcache.replication.sent", stats.replicationsSent,
        "Replica writes this node sent to other owners as a key's coordinating owner");
    counter(registry, "ringcache.replication.acks", stats.replicationAcks,
        "Replica writes another owner acknowledged as applied");
    counter(registry, "ringcache.replication.failures", stats.replicationFailures,
        "Replica writes refused, unanswered or failed (timeouts included)");
    counter(registry, "ringcache.replication.timeouts", stats.replicationTimeouts,
        "Replica writes the other owner did not answer within the request timeout");
    counter(registry, "ringcache.replication.retries", stats.replicationRetries,
        "Replica writes sent again because a replica was on another epoch or out of reach");
    counter(registry, "ringcache.replication.applied", stats.replicationsApplied,
        "Replica writes and transferred entries this node applied from other nodes");
    counter(registry, "ringcache.replication.stale", stats.staleReplicas,
        "Replica writes and transferred entries this node kept a newer entry over (answered"
            + " STALE)");
    counter(registry, "ringcache.replication.restamps", stats.restamps,
        "Writes this node coordinated that it re-stamped above a newer version a replica held");
    counter(registry, "ringcache.write.retries.answered", stats.writeRetriesAnswered,
        "Writes that came again with a recorded write id, answered by their first outcome");
  }

  private void bindTopology(MeterRegistry registry) {
    Gauge.builder("ringcache.topology.epoch", topology, TopologyHolder::epoch)
        .description("Epoch of the topology this node routes by")
        .register(registry);
    for (NodeAddress.State state : NodeAddress.State.values()) {
      Gauge.builder("ringcache.members", topology, t -> count(t.current(), state))
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("Members of the installed topology, by state")
          .register(registry);
    }
    for (Topology.Phase phase : Topology.Phase.values()) {
      Gauge.builder("ringcache.rebalance.phase", topology,
              t -> t.current().phase() == phase ? 1 : 0)
          .tag("phase", phase.name().toLowerCase(Locale.ROOT))
          .description("1 for the rebalance phase of the installed topology, 0 for the others")
          .register(registry);
    }
  }

  private void bindRebalance(MeterRegistry registry) {
    gauge(registry, "ringcache.rebalance.ranges", "planned", RebalanceStatus::ranges,
        "Ranges this node streams out in the current or last transfer");
    gauge(registry, "ringcache.rebalance.ranges", "done", RebalanceStatus::rangesDone,
        "Ranges this node streams out in the current or last transfer");
    gauge(registry, "ringcache.rebalance.entries", "planned", RebalanceStatus::entriesPlanned,
        "Entries this node sends in the current or last transfer");
    gauge(registry, "ringcache.rebalance.entries", "sent", RebalanceStatus::entriesSent,
        "Entries this node sends in the current or last transfer");
    Gauge.builder("ringcache.rebalance.sent", rebalance, RebalanceStatus::bytesSent)
        .baseUnit("bytes")
        .description("Bytes of entries this node sent in the current or last transfer")
        .register(registry);
    FunctionCounter.builder("ringcache.rebalance.dropped.entries", rebalance,
            RebalanceStatus::entriesDropped)
        .description("Entries dropped because a stable topology no longer placed them here")
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String progress,
      ToDoubleFunction<RebalanceStatus> value, String description) {
    Gauge.builder(name, rebalance, value).tag("progress", progress).description(description)
        .register(registry);
  }

  private static void counter(MeterRegistry registry, String name, LongAdder adder,
      String description) {
    FunctionCounter.builder(name, adder, LongAdder::sum).description(description)
        .register(registry);
  }

  private static long count(Topology t, NodeAddress.State state) {
    long n = 0;
    for (NodeAddress node : t.nodes()) {
      if (node.state() == state) {
        n++;
      }
    }
    return n;
  }
}
