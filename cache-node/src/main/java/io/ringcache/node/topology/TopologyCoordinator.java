package io.ringcache.node.topology;

import io.ringcache.node.cluster.ClusteredNode;
import io.ringcache.node.cluster.MemberView;
import io.ringcache.node.cluster.StoredTopology;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.TopologyCodec;
import io.ringcache.ring.Ring;
import io.ringcache.ring.TokenAllocator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Computes, publishes and installs topologies.
 *
 * <h2>Design</h2>
 * Every node runs one. Only the oldest Hazelcast member, the coordinator, computes: on each
 * membership change it removes departed members from the ring (only their tokens go), adds new
 * members in join order with the {@link TokenAllocator}, and publishes {@code epoch + 1}. The
 * latest topology lives in cluster-wide state ({@code ClusterState}, a Hazelcast map that only
 * accepts higher epochs), so a new coordinator resumes from it rather than from its own memory,
 * and two coordinators racing during a handover cannot both publish the same epoch.
 *
 * <p>Publication is an event-bus broadcast of the encoded topology (the control plane), and every
 * node also re-reads the stored topology on each membership change and once a second, so a node
 * that missed the broadcast (it was still joining) catches up without help.
 *
 * <h2>Concurrency</h2>
 * All state changes run on one Vert.x context; one reconciliation runs at a time and a change
 * arriving meanwhile schedules exactly one more. Token allocation (tens of ms at 100 members)
 * runs on a worker thread.
 *
 * <h2>Failure</h2>
 * A failed publish (stale epoch: another coordinator won) reloads and retries; a failed load
 * retries on the next change or tick. Nothing here blocks an event loop.
 */
public final class TopologyCoordinator {

  /** Event-bus address of topology announcements. */
  public static final String ADDRESS = "ringcache.topology";

  private static final Logger LOG = Logger.getLogger(TopologyCoordinator.class.getName());
  private static final long REFRESH_MILLIS = 1000;

  private final Vertx vertx;
  private final ClusteredNode cluster;
  private final TopologyHolder holder;
  private final TokenAllocator allocator;
  private final int replicationFactor;
  private final Context context;

  private MessageConsumer<Buffer> consumer;
  private Runnable membershipSubscription;
  private long refreshTimer = -1;
  private boolean reconciling;
  private boolean again;
  private boolean closed;

  public TopologyCoordinator(ClusteredNode cluster, TopologyHolder holder, TokenAllocator allocator,
      int replicationFactor) {
    this.vertx = cluster.vertx();
    this.cluster = cluster;
    this.holder = holder;
    this.allocator = allocator;
    this.replicationFactor = replicationFactor;
    this.context = vertx.getOrCreateContext();
  }

  /** Subscribes to announcements and membership, then installs the current topology. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      consumer = vertx.eventBus().consumer(ADDRESS, msg -> installEncoded(msg.body()));
      membershipSubscription = cluster.membership().onChange(
          snapshot -> context.runOnContext(x -> onMembershipChange()));
      refreshTimer = vertx.setPeriodic(REFRESH_MILLIS, id -> refreshFromState());
      consumer.completion()
          .compose(x -> refreshFromState())
          .onComplete(x -> {
            onMembershipChange();
            started.complete();
          });
    });
    return started.future();
  }

  /** Stops listening; the installed topology stays. */
  public Future<Void> stop() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      if (refreshTimer >= 0) {
        vertx.cancelTimer(refreshTimer);
      }
      if (membershipSubscription != null) {
        membershipSubscription.run();
      }
      (consumer == null ? Future.<Void>succeededFuture() : consumer.unregister())
          .onComplete(x -> stopped.complete());
    });
    return stopped.future();
  }

  /** Whether this node currently computes topologies. */
  public boolean isCoordinator() {
    return cluster.membership().isOldest();
  }

  private void onMembershipChange() {
    if (closed) {
      return;
    }
    refreshFromState();
    if (cluster.membership().isOldest()) {
      reconcile();
    }
  }

  private Future<Void> refreshFromState() {
    if (closed) {
      return Future.succeededFuture();
    }
    return cluster.state().load()
        .map(stored -> {
          stored.ifPresent(s -> installEncoded(Buffer.buffer(s.bytes())));
          return (Void) null;
        })
        .otherwise(err -> {
          LOG.log(Level.FINE, "could not read the stored topology", err);
          return null;
        });
  }

  private void installEncoded(Buffer bytes) {
    try {
      Topology t = TopologyCodec.decode(bytes);
      if (holder.install(t)) {
        LOG.info(() -> String.format("installed topology epoch %d: %d members %s", t.epoch(),
            t.readRing().size(), t.readRing().members().stream().map(m -> m.name()).toList()));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ignored an undecodable topology announcement", e);
    }
  }

  /** Runs on {@link #context}: one reconciliation at a time, at most one queued behind it. */
  private void reconcile() {
    if (reconciling) {
      again = true;
      return;
    }
    reconciling = true;
    reconcileOnce().onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "topology reconciliation failed; retrying on the next change",
            ar.cause());
      }
      reconciling = false;
      if (again && !closed) {
        again = false;
        reconcile();
      }
    });
  }

  private Future<Void> reconcileOnce() {
    return cluster.state().load().compose(stored -> {
      Topology base = newest(stored);
      List<MemberView> members = cluster.membership().members();
      return vertx.<Optional<Topology>>executeBlocking(
          () -> Optional.ofNullable(plan(base, members, allocator, replicationFactor)), false)
          .compose(next -> next.isEmpty() ? Future.succeededFuture() : publish(next.get()));
    });
  }

  private Topology newest(Optional<StoredTopology> stored) {
    Topology installed = holder.current();
    if (stored.isPresent() && stored.get().epoch() > installed.epoch()) {
      return TopologyCodec.decode(Buffer.buffer(stored.get().bytes()));
    }
    return installed;
  }

  private Future<Void> publish(Topology next) {
    Buffer encoded = TopologyCodec.encode(next);
    return cluster.state().publishIfNewer(next.epoch(), encoded.getBytes()).map(stored -> {
      if (stored) {
        vertx.eventBus().publish(ADDRESS, encoded);
        installEncoded(encoded);
      } else {
        again = true;
      }
      return null;
    });
  }

  /**
   * The topology that follows {@code base} for the live {@code members} (oldest first), or
   * {@code null} when nothing changed. Departed members lose only their tokens; new members are
   * allocated in join order. A name seen twice (a restarted node whose old incarnation is not yet
   * declared dead) keeps the youngest address.
   */
  static Topology plan(Topology base, List<MemberView> members, TokenAllocator allocator,
      int replicationFactor) {
    Map<String, MemberView> byName = new LinkedHashMap<>();
    for (MemberView m : members) {
      byName.remove(m.name());
      byName.put(m.name(), m);
    }
    Ring ring = base.readRing();
    Set<String> live = new HashSet<>(byName.keySet());
    for (var m : ring.members()) {
      if (!live.contains(m.name())) {
        ring = ring.without(m.name());
      }
    }
    for (MemberView m : byName.values()) {
      if (!ring.contains(m.name())) {
        ring = allocator.add(ring, m.toRingMember());
      }
    }
    List<NodeAddress> nodes = new ArrayList<>();
    for (MemberView m : byName.values()) {
      nodes.add(new NodeAddress(m.name(), m.host(), m.clientPort(), m.httpPort(),
          NodeAddress.State.UP));
    }
    boolean sameNodes = new HashSet<>(nodes).equals(new HashSet<>(base.nodes()));
    if (base.epoch() > 0 && ring.equals(base.readRing()) && sameNodes) {
      return null;
    }
    if (ring.isEmpty()) {
      return null;
    }
    return Topology.stable(base.epoch() + 1, replicationFactor, nodes, ring);
  }
}
