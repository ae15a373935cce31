package io.ringcache.node.topology;

import io.ringcache.node.cluster.ClusteredNode;
import io.ringcache.node.cluster.MemberView;
import io.ringcache.node.cluster.StoredTopology;
import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.rebalance.ProgressBoard;
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
import java.util.ArrayList;
import java.util.HashSet;
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
 * Every node runs one. Only the oldest Hazelcast member, the coordinator, computes. From the
 * current read ring it derives the target ring: members that are gone or draining hand their
 * ranges to the others ({@link TokenAllocator#remove}: in balanced mode to the survivors that keep
 * ownership even, in random mode to the clockwise neighbours), so only their keys change primary;
 * new members get tokens from the {@link TokenAllocator} in join order.
 * A rebalance from R to R' is four epochs ({@link #next}):
 * <pre>
 *   STABLE(R) -> TRANSFER(read R, write R ∪ R') -> SWITCH(read R', write R ∪ R') -> STABLE(R')
 * </pre>
 * TRANSFER moves on when every live member has installed it and reported its outgoing transfers
 * done; SWITCH moves on when every live member has installed it. Progress reports arrive on the
 * {@link ProgressBoard}. A crashed member stays on the rings marked DOWN until the rebalance that
 * replaces it ends, so nobody routes to it but the plan still sees which owners lack its data. Any
 * membership change during a rebalance aborts it and starts a new one from the current read ring,
 * which always holds complete data.
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
    this.allocator = allocator;
    this.replicationFactor = replicationFactor;
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
      members.forEach(m -> incarnations.put(m.name(), incarnation(m)));
      Set<String> draining = board.draining(incarnations);
      Progress progress = new Progress() {
        @Override
        public long installed(MemberView node) {
          return board.installed(node.name(), incarnation(node));
        }

        @Override
        public long transferred(MemberView node) {
          return board.transferred(node.name(), incarnation(node));
        }
      };
      return vertx.<Optional<Topology>>executeBlocking(() -> Optional.ofNullable(
              next(base, members, draining, progress, allocator, replicationFactor)), false)
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

  /** What the coordinator knows of each node's progress (from the {@link ProgressBoard}). */
  interface Progress {
    long installed(MemberView node);

    long transferred(MemberView node);
  }

  /**
   * The topology that follows {@code t} given the live {@code members} (oldest first) and the
   * nodes asking to drain, or {@code null} when nothing is to be published yet.
   *
   * <p>The target ring is always derived from {@code t}'s read ring, the one holding complete data:
   * gone and draining members hand their ranges to the survivors, all in one
   * {@link TokenAllocator#remove}, then live newcomers are allocated in join order. The allocator
   * is deterministic, so every reconciliation derives the same target from the same ring. A
   * name seen twice (a restarted node whose old incarnation is not yet declared dead) keeps the
   * youngest address.
   */
  static Topology next(Topology t, List<MemberView> members, Set<String> draining,
      Progress progress, TokenAllocator allocator, int replicationFactor) {
    Map<String, MemberView> live = new LinkedHashMap<>();
    for (MemberView m : members) {
      live.remove(m.name());
      live.put(m.name(), m);
    }
    // A ring member only counts as alive in the incarnation that owns its data: a process
    // restarted under the same name has an empty store, so it is treated like a crashed member
    // until the rebalance that replaces the old one ends, and joins afresh after that. A member
    // already marked DOWN that shows up again in the same incarnation (a partition healed) is
    // treated the same way: its store lacks every write made while it was away, so it must not
    // serve as an owner of its old ranges; it joins afresh, and transfers bring it up to date.
    Map<String, MemberView> usable = new LinkedHashMap<>(live);
    for (Ring ring : List.of(t.readRing(), t.writeRing())) {
      for (var m : ring.members()) {
        MemberView now = live.get(m.name());
        Optional<NodeAddress> known = t.node(m.name());
        String recorded = known.map(NodeAddress::incarnation).orElse("");
        boolean wasDown = known.map(n -> n.state() == NodeAddress.State.DOWN).orElse(false);
        if (now != null && (wasDown
            || !recorded.isEmpty() && !recorded.equals(incarnation(now)))) {
          usable.remove(m.name());
        }
      }
    }
    Ring read = t.readRing();
    long epoch = t.epoch() + 1;
    int rf = t.epoch() == 0 ? replicationFactor : t.replicationFactor();
    if (!read.isEmpty() && !live.isEmpty()
        && read.members().stream().noneMatch(m -> usable.containsKey(m.name()))) {
      // No member holding data survives: nothing can be moved, start over with who is here.
      Ring fresh = allocator.build(live.values().stream().map(MemberView::toRingMember).toList());
      return Topology.stable(epoch, rf, nodes(t, live, draining, Ring.empty(), Ring.empty()),
          fresh);
    }
    Ring target = target(read, usable, draining, allocator);
    switch (t.phase()) {
      case STABLE: {
        if (target.isEmpty()) {
          return null;
        }
        if (read.isEmpty()) {
          return Topology.stable(epoch, rf, nodes(t, usable, draining, target, target), target);
        }
        if (target.equals(read)) {
          List<NodeAddress> nodes = nodes(t, usable, draining, read, read);
          return sameNodes(nodes, t.nodes()) ? null : Topology.stable(epoch, rf, nodes, read);
        }
        return transfer(t, epoch, rf, usable, draining, read, target);
      }
      case TRANSFER: {
        boolean changed = !target.equals(t.writeRing())
            || !sameNodes(nodes(t, usable, draining, read, t.writeRing()), t.nodes());
        if (changed) {
          return target.equals(read)
              ? Topology.stable(epoch, rf, nodes(t, usable, draining, read, read), read)
              : transfer(t, epoch, rf, usable, draining, read, target);
        }
        for (MemberView m : usable.values()) {
          if (progress.installed(m) < t.epoch() || progress.transferred(m) < t.epoch()) {
            return null;
          }
        }
        Ring next = t.writeRing();
        return new Topology(epoch, rf, Topology.Phase.SWITCH,
            nodes(t, usable, draining, next, read), next, read);
      }
      case SWITCH: {
        // Whatever comes next changes whose reads count, so every live member must be reading
        // from R' first: a node still on TRANSFER reads R and would miss writes the next epoch
        // sends only to R' and its successor.
        for (MemberView m : usable.values()) {
          if (progress.installed(m) < t.epoch()) {
            return null;
          }
        }
        if (!target.equals(read)) {
          return transfer(t, epoch, rf, usable, draining, read, target);
        }
        return Topology.stable(epoch, rf, nodes(t, usable, draining, read, read), read);
      }
      default:
        throw new IllegalStateException("unknown phase " + t.phase());
    }
  }

  static String incarnation(MemberView m) {
    return m.incarnation();
  }

  private static Topology transfer(Topology t, long epoch, int rf, Map<String, MemberView> live,
      Set<String> draining, Ring read, Ring target) {
    return new Topology(epoch, rf, Topology.Phase.TRANSFER,
        nodes(t, live, draining, read, target), read, target);
  }

  private static Ring target(Ring read, Map<String, MemberView> live, Set<String> draining,
      TokenAllocator allocator) {
    List<String> gone = new ArrayList<>();
    List<String> leaving = new ArrayList<>();
    for (var m : read.members()) {
      if (!live.containsKey(m.name())) {
        gone.add(m.name());
        leaving.add(m.name());
      } else if (draining.contains(m.name())) {
        leaving.add(m.name());
      }
    }
    // Everyone left is draining: nobody could take the data, so the drains wait.
    Ring ring = allocator.remove(read, leaving.size() == read.size() ? gone : leaving);
    for (MemberView m : live.values()) {
      if (!ring.contains(m.name()) && !draining.contains(m.name())) {
        ring = allocator.add(ring, m.toRingMember());
      }
    }
    return ring;
  }

  /**
   * Every live member (UP, or LEAVING when draining), plus every member of {@code a} or {@code b}
   * that is no longer live, as DOWN with its last known address.
   */
  private static List<NodeAddress> nodes(Topology t, Map<String, MemberView> live,
      Set<String> draining, Ring a, Ring b) {
    List<NodeAddress> nodes = new ArrayList<>();
    for (MemberView m : live.values()) {
      nodes.add(new NodeAddress(m.name(), m.host(), m.clientPort(), m.httpPort(),
          draining.contains(m.name()) ? NodeAddress.State.LEAVING : NodeAddress.State.UP,
          incarnation(m)));
    }
    Set<String> added = new HashSet<>(live.keySet());
    for (Ring ring : List.of(a, b)) {
      for (var m : ring.members()) {
        if (added.add(m.name())) {
          NodeAddress last = t.node(m.name()).orElseThrow(() -> new IllegalStateException(
              "ring member '" + m.name() + "' has no known address"));
          nodes.add(new NodeAddress(last.name(), last.host(), last.clientPort(),
              last.httpPort(), NodeAddress.State.DOWN, last.incarnation()));
        }
      }
    }
    return nodes;
  }

  private static boolean sameNodes(List<NodeAddress> a, List<NodeAddress> b) {
    return new HashSet<>(a).equals(new HashSet<>(b));
  }
}
