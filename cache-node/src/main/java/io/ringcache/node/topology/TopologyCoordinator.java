package io.ringcache.node.topology;

import io.ringcache.node.cluster.ClusteredNode;
import io.ringcache.node.cluster.MemberView;
import io.ringcache.node.cluster.StoredTopology;
import io.ringcache.node.logging.NodeLog;
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
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Computes, publishes and installs topologies, and walks rebalances through their phases.
 *
 * <h2>Design</h2>
 * Every node runs one. Only the oldest Hazelcast member, the coordinator, computes: it asks the
 * {@link TopologyPlanner} (pure, where the rings and the phases of a rebalance are decided) what
 * follows the newest topology, given the live members, and publishes the answer. Progress reports
 * arrive on the {@link ProgressBoard}; each one, each membership change and a timer start a
 * reconciliation.
 *
 * <p>The latest topology lives in cluster-wide state ({@code ClusterState}, a Hazelcast map that
 * only accepts higher epochs), so a new coordinator resumes from it rather than from its own
 * memory, and two coordinators racing during a handover cannot both publish the same epoch.
 *
 * <p>Publication is an event-bus broadcast of the encoded topology (the control plane), and every
 * node also re-reads the stored topology on each membership change and once a second, so a node
 * that missed the broadcast (it was still joining) catches up without help.
 *
 * <p>Under {@code partition-policy majority} a coordinator that sees no majority of the last
 * STABLE topology's members ({@link PartitionGuard}) publishes nothing until it does again: on the
 * smaller side of a split brain it must not declare the other side gone.
 *
 * <h2>Concurrency</h2>
 * All state changes run on one Vert.x context; one reconciliation runs at a time and a change
 * arriving meanwhile schedules exactly one more. Planning (token allocation: tens of ms at 100
 * members) runs on a worker thread.
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
  private final TopologyPlanner planner;
  private final ProgressBoard board;
  private final Context context;

  private MessageConsumer<Buffer> consumer;
  private Runnable membershipSubscription;
  private long refreshTimer = -1;
  private boolean reconciling;
  private Future<Void> inFlight = Future.succeededFuture();
  private boolean again;
  private boolean closed;
  /** Whether the last reconciliation found no majority (logged once per such stretch). */
  private boolean withheld;
  /** Held publications (a test hook): completed, and cleared, on release. */
  private final AtomicReference<Promise<Void>> held =
      new AtomicReference<>();

  public TopologyCoordinator(ClusteredNode cluster, TopologyHolder holder, TokenAllocator allocator,
      int replicationFactor, ProgressBoard board) {
    this.vertx = cluster.vertx();
    this.cluster = cluster;
    this.holder = holder;
    this.planner = new TopologyPlanner(allocator, replicationFactor);
    this.board = board;
    this.context = vertx.getOrCreateContext();
  }

  /** Subscribes to announcements and membership, then installs the current topology. */
  public Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      consumer = vertx.eventBus().consumer(ADDRESS, msg -> installEncoded(msg.body()));
      membershipSubscription = cluster.membership().onChange(
          snapshot -> context.runOnContext(x -> onMembershipChange()));
      board.onChange(() -> context.runOnContext(x -> onProgress()));
      refreshTimer = vertx.setPeriodic(REFRESH_MILLIS, id -> {
        refreshFromState();
        onProgress();
      });
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
    releasePublications();
    context.runOnContext(v -> {
      closed = true;
      if (refreshTimer >= 0) {
        vertx.cancelTimer(refreshTimer);
      }
      if (membershipSubscription != null) {
        membershipSubscription.run();
      }
      // Wait for a reconciliation in flight, so nothing completes onto a closed Vert.x.
      inFlight.transform(x -> consumer == null ? Future.<Void>succeededFuture()
              : consumer.unregister())
          .onComplete(x -> stopped.complete());
    });
    return stopped.future();
  }

  /**
   * Test hook: while this node coordinates, the next topology it computes waits unpublished until
   * {@link #releasePublications()} (production never holds). Restart tests use it to keep the
   * cluster in the window between a node's restart and the first topology naming its new
   * incarnation, which is otherwise a few milliseconds long.
   */
  public void holdPublications() {
    held.compareAndSet(null, Promise.promise());
  }

  /** Publishes the held topology, if any, and stops holding. */
  public void releasePublications() {
    Promise<Void> p = held.getAndSet(null);
    if (p != null) {
      p.tryComplete();
    }
  }

  /** Completes on {@link #context} once publications are not held. */
  private Future<Void> publicationsReleased() {
    Promise<Void> p = held.get();
    if (p == null) {
      return Future.succeededFuture();
    }
    return p.future().compose(v -> {
      Promise<Void> onContext = Promise.promise();
      context.runOnContext(x -> onContext.complete());
      return onContext.future();
    });
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

  private void onProgress() {
    if (!closed && cluster.membership().isOldest()) {
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
        NodeLog.event(LOG, Level.INFO, "topology.installed", cluster.settings().memberName(),
            t.epoch(), String.format("installed topology epoch %d %s: read %s, write %s%s",
                t.epoch(), t.phase(), names(t.readRing()), names(t.writeRing()),
                t.nodes().stream().anyMatch(n -> n.state() != NodeAddress.State.UP)
                    ? ", nodes " + t.nodes().stream().map(n -> n.name() + ":" + n.state()).toList()
                    : ""),
            "phase", t.phase(), "members", t.readRing().size());
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
    inFlight = reconcileOnce();
    inFlight.onComplete(ar -> {
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
    String refusal = holder.guard().refusal();
    if (refusal != null) {
      // Without a majority this side may be the smaller half of a split brain: publishing would
      // drop the other half's members and take their ranges (see PartitionGuard).
      if (!withheld) {
        withheld = true;
        NodeLog.event(LOG, Level.WARNING, "topology.withheld", cluster.settings().memberName(),
            holder.epoch(), "coordinator publishes no topology: " + refusal);
      }
      return Future.succeededFuture();
    }
    if (withheld) {
      withheld = false;
      NodeLog.event(LOG, Level.INFO, "topology.resumed", cluster.settings().memberName(),
          holder.epoch(), "coordinator sees a majority of the last stable topology again");
    }
    return cluster.state().load().compose(stored -> {
      Topology base = newest(stored);
      List<MemberView> members = cluster.membership().members();
      Map<String, String> incarnations = new LinkedHashMap<>();
      members.forEach(m -> incarnations.put(m.name(), m.incarnation()));
      Set<String> draining = board.draining(incarnations);
      TopologyPlanner.Progress progress = new TopologyPlanner.Progress() {
        @Override
        public long installed(MemberView node) {
          return board.installed(node.name(), node.incarnation());
        }

        @Override
        public long transferred(MemberView node) {
          return board.transferred(node.name(), node.incarnation());
        }
      };
      return vertx.<Optional<Topology>>executeBlocking(() -> Optional.ofNullable(
              planner.next(base, members, draining, progress)), false)
          .compose(next -> next.isEmpty() ? Future.succeededFuture()
              : publicationsReleased().compose(v -> closed ? Future.succeededFuture()
                  : publish(next.get().withClusterId(clusterIdAfter(base)))));
    });
  }

  private Topology newest(Optional<StoredTopology> stored) {
    Topology installed = holder.current();
    if (stored.isPresent() && stored.get().epoch() > installed.epoch()) {
      return TopologyCodec.decode(Buffer.buffer(stored.get().bytes()));
    }
    return installed;
  }

  /**
   * The cluster id a topology following {@code base} carries: {@code base}'s, or a new random one
   * when {@code base} has none (the cluster's first topology, after a start from nothing).
   */
  private static long clusterIdAfter(Topology base) {
    long id = base.clusterId();
    while (id == 0) {
      id = new SecureRandom().nextLong();
    }
    return id;
  }

  private Future<Void> publish(Topology next) {
    if (holder.guard().refusal() != null) {
      // The majority was lost while the topology was computed; the next reconciliation logs it.
      again = true;
      return Future.succeededFuture();
    }
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

  private static List<String> names(Ring ring) {
    return ring.members().stream().map(m -> m.name()).toList();
  }
}
