package io.ringcache.node.topology;

import io.ringcache.node.cluster.MemberView;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Ring;
import io.ringcache.ring.TokenAllocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which topology follows the one in force, given the live members, who asks to drain and
 * what each member reported: the coordinator's planning step, apart from its events and I/O.
 *
 * <h2>Design</h2>
 * From the current read ring it derives the target ring: members that are gone or draining hand
 * their ranges to the others ({@link TokenAllocator#remove}: in balanced mode to the survivors
 * that keep ownership even, in random mode to the clockwise neighbours), so only their keys change
 * primary; new members get tokens from the {@link TokenAllocator} in join order. A rebalance from
 * R to R' is four epochs ({@link #next}):
 * <pre>
 *   STABLE(R) -> TRANSFER(read R, write R ∪ R') -> SWITCH(read R', write R ∪ R') -> STABLE(R')
 * </pre>
 * TRANSFER moves on when every live member has installed it and reported its outgoing transfers
 * done; SWITCH moves on when every live member has installed it. A crashed member stays on the
 * rings marked DOWN until the rebalance that replaces it ends, so nobody routes to it but the plan
 * still sees which owners lack its data. Any membership change during a rebalance aborts it and
 * starts a new one from the current read ring, which always holds complete data.
 *
 * <h2>Concurrency</h2>
 * Immutable, and {@link #next} is a function of its arguments alone (the allocator is
 * deterministic), so every coordinator derives the same plan from the same state, and a new one
 * resumes where the old one stopped. Token allocation takes tens of ms at 100 members: callers on
 * an event loop run it on a worker.
 *
 * <h2>Failure</h2>
 * A ring member the topology has no address for cannot be planned around: {@link #next} throws
 * {@link IllegalStateException} naming it, and the coordinator retries on the next change.
 */
final class TopologyPlanner {

  /** Each node's reported progress (the coordinator reads it off the {@link ProgressBoard}). */
  interface Progress {
    /** The newest epoch {@code node} reported installed; 0 if nothing yet. */
    long installed(MemberView node);

    /** The newest TRANSFER epoch whose outgoing streams {@code node} reported done; 0 if none. */
    long transferred(MemberView node);
  }

  private final TokenAllocator allocator;
  private final int replicationFactor;

  /**
   * @param allocator places tokens; deterministic, so equal inputs plan equal rings
   * @param replicationFactor copies of each entry in the cluster's first topology (later ones
   *     keep the factor they were published with)
   */
  TopologyPlanner(TokenAllocator allocator, int replicationFactor) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor is " + replicationFactor + ", must be at least 1");
    }
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    this.replicationFactor = replicationFactor;
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
  Topology next(Topology t, List<MemberView> members, Set<String> draining, Progress progress) {
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
            || !recorded.isEmpty() && !recorded.equals(now.incarnation()))) {
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
    Ring target = target(read, usable, draining);
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

  private static Topology transfer(Topology t, long epoch, int rf, Map<String, MemberView> live,
      Set<String> draining, Ring read, Ring target) {
    return new Topology(epoch, rf, Topology.Phase.TRANSFER,
        nodes(t, live, draining, read, target), read, target);
  }

  private Ring target(Ring read, Map<String, MemberView> live, Set<String> draining) {
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
          m.incarnation()));
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
