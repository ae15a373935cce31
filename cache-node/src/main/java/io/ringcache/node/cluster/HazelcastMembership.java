package io.ringcache.node.cluster;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import io.ringcache.node.logging.NodeLog;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link Membership} fed by a Hazelcast {@link InitialMembershipListener}.
 *
 * <h2>Design</h2>
 *
 * Events are treated as level triggers, not as deltas: every event (and the initial event Hazelcast
 * sends on registration) only schedules a {@link #refresh()} on the Vert.x context, and a refresh
 * rebuilds the member list from {@link Cluster#getMembers()}, which Hazelcast keeps in join order,
 * oldest first. So an event that raced the registration is not lost (the member list already holds
 * its member), a duplicate or reordered event cannot double-count or undo a newer change, and a
 * refresh that finds the same list publishes nothing. {@link #start()} runs one refresh after
 * registering: the reconcile after joining.
 *
 * <h2>Concurrency</h2>
 *
 * Hazelcast calls the listener on its event threads, which must never block; the listener only hops
 * onto {@link #context}. All refreshes, version increments and listener calls happen on that
 * context, hence one at a time and in order. {@link #snapshot} is volatile so any thread can read
 * the latest snapshot. {@link Cluster#getMembers()} reads a local copy and does not block.
 *
 * <h2>Failure</h2>
 *
 * Members without ringcache attributes (lite members, foreign nodes) are left out. Once the local
 * Hazelcast instance stops, refreshes are skipped and the last snapshot stays; {@link #close()}
 * deregisters the listener before the instance shuts down so no event arrives after it.
 */
final class HazelcastMembership implements Membership, InitialMembershipListener {

  private static final System.Logger LOG = System.getLogger(HazelcastMembership.class.getName());
  private static final Logger EVENTS = Logger.getLogger(HazelcastMembership.class.getName());

  private final Cluster cluster;
  private final Context context;
  private final List<Consumer<MembershipSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile MembershipSnapshot snapshot;
  private volatile boolean closed;
  private UUID registration;

  HazelcastMembership(Cluster cluster, Context context) {
    this.cluster = cluster;
    this.context = context;
    MemberView self =
        MemberAttributes.read(cluster.getLocalMember())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "local member carries no ringcache attributes: "
                            + cluster.getLocalMember().getAttributes()));
    this.snapshot = new MembershipSnapshot(0, List.of(self), self);
  }

  /** Registers the listener and reconciles once; call on {@link #context}. */
  void start() {
    registration = cluster.addMembershipListener(this);
    refresh();
  }

  /** Deregisters the listener; later events and refreshes are dropped. */
  void close() {
    closed = true;
    UUID id = registration;
    if (id != null) {
      try {
        cluster.removeMembershipListener(id);
      } catch (HazelcastInstanceNotActiveException e) {
        // Already stopped: nothing left to deregister from.
      }
    }
  }

  @Override
  public MembershipSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public Runnable onChange(Consumer<MembershipSnapshot> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void init(InitialMembershipEvent event) {
    scheduleRefresh();
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    scheduleRefresh();
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    scheduleRefresh();
  }

  private void scheduleRefresh() {
    if (!closed) {
      context.runOnContext(v -> refresh());
    }
  }

  /** Rebuilds the member list; publishes a new snapshot if it changed. Runs on the context. */
  void refresh() {
    if (closed) {
      return;
    }
    List<MemberView> members = new ArrayList<>();
    try {
      for (Member member : cluster.getMembers()) {
        Optional<MemberView> view = MemberAttributes.read(member);
        if (view.isPresent()) {
          members.add(view.get());
        } else {
          LOG.log(System.Logger.Level.DEBUG, "ignoring non-ringcache member {0}", member);
        }
      }
    } catch (HazelcastInstanceNotActiveException e) {
      return;
    }
    MembershipSnapshot current = snapshot;
    // After a split brain heals, Hazelcast gives this member a new UUID: read it again.
    MemberView self = MemberAttributes.read(cluster.getLocalMember()).orElse(current.self());
    if (members.equals(current.members()) && self.equals(current.self())) {
      return;
    }
    MembershipSnapshot next =
        new MembershipSnapshot(current.version() + 1, members, self);
    snapshot = next;
    logChange(current, next);
    for (Consumer<MembershipSnapshot> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "membership listener failed on version " + next.version(),
            e);
      }
    }
  }

  private static void logChange(MembershipSnapshot before, MembershipSnapshot after) {
    List<String> joined = new ArrayList<>(after.names());
    joined.removeAll(before.names());
    List<String> left = new ArrayList<>(before.names());
    left.removeAll(after.names());
    NodeLog.event(EVENTS, Level.INFO, "membership.changed", after.self().name(), -1,
        String.format("members now %s (joined %s, left %s)", after.names(), joined, left),
        "members", after.members().size(), "joined", joined, "left", left);
  }
}
