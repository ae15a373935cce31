package io.ringcache.node.topology;

import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Decides whether this node may accept writes and publish topologies, by whether it sees a
 * majority of the members of the last STABLE topology it installed.
 *
 * <h2>Design</h2>
 * A network partition splits the Hazelcast cluster in two, and each side goes on as a cluster of
 * its own: each has an oldest member that coordinates, and each would drop the other side's
 * members from its topology and accept writes (a split brain). At most one side can see more
 * than half of the members of the last STABLE topology, so under {@link PartitionPolicy#MAJORITY}
 * only that side goes on:
 * <ol>
 *   <li>The quorum base is the ring of the last STABLE topology this node installed: the set of
 *       members the whole cluster last agreed on. It changes only when a STABLE topology is
 *       installed, which a coordinator only publishes while it sees a majority of the base before
 *       it, so two disjoint sides can never both hold a majority of their bases. Until this node
 *       installs a STABLE topology (a node started into a rebalance), the base is the union of the
 *       installed topology's read and write rings.
 *   <li>A node sees a member when Hazelcast lists it as live; members are counted by name, so a
 *       member restarted under its name counts (it is reachable, which is what a partition is
 *       about), and members that joined since the base do not.
 *   <li>{@code seen * 2 > base}: strictly more than half. A cluster of two cannot lose either
 *       member under this policy; three tolerate one.
 * </ol>
 * A node without a majority refuses writes ({@code NO_QUORUM}, nothing applied), and as
 * coordinator publishes nothing ({@link TopologyCoordinator}): it neither shrinks the base to its
 * own side nor moves ranges to itself. Reads are still served from what it holds. When the
 * partition heals, the members it sees make a majority again and it resumes by itself; the heal
 * listeners then hand what it holds back to the current owners and compare ranges by version
 * ({@code rebalance.HealHandBack}, {@code replication.AntiEntropy#runAfterHeal}).
 *
 * <h2>Concurrency</h2>
 * {@link #verdict()} may be called from any thread: the base is a volatile immutable set replaced
 * on install, and the live names come from the membership's volatile snapshot.
 */
public final class PartitionGuard {

  /** Never refuses: {@link PartitionPolicy#AVAILABLE} and no cluster (tests of one router). */
  public static final PartitionGuard AVAILABLE =
      new PartitionGuard(PartitionPolicy.AVAILABLE, List::of);

  /**
   * This node's view against the quorum base.
   *
   * @param seen members of the base this node sees live, itself included
   * @param base members of the last STABLE topology's ring; 0 before any topology
   */
  public record Verdict(int seen, int base) {
    /** Strictly more than half of the base is seen (an empty base always is). */
    public boolean majority() {
      return base == 0 || seen * 2 > base;
    }
  }

  private final PartitionPolicy policy;
  private final Supplier<? extends Collection<String>> liveNames;
  private volatile Set<String> base = Set.of();
  private volatile boolean stableSeen;
  private final List<Runnable> healListeners = new CopyOnWriteArrayList<>();
  /** The verdict {@link #check()} saw last; guarded by {@code this}. */
  private boolean hadMajority = true;

  /**
   * @param liveNames the names of the members this node sees live, itself included
   */
  public PartitionGuard(PartitionPolicy policy, Supplier<? extends Collection<String>> liveNames) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.liveNames = Objects.requireNonNull(liveNames, "liveNames");
  }

  /** Follows {@code holder}'s installs from now on, starting with its current topology. */
  public PartitionGuard follow(TopologyHolder holder) {
    holder.onInstall(this::installed);
    installed(holder.current());
    return this;
  }

  /** Takes the quorum base from {@code t} when it is STABLE (see the class comment). */
  void installed(Topology t) {
    if (t.phase() == Topology.Phase.STABLE && !t.readRing().isEmpty()) {
      base = names(List.of(t.readRing()));
      stableSeen = true;
    } else if (!stableSeen) {
      base = names(List.of(t.readRing(), t.writeRing()));
    }
    check();
  }

  /**
   * Calls {@code listener} each time this node sees a majority again after it had not: a
   * partition it was on the smaller side of healed. Tracked under either policy.
   */
  public void onHeal(Runnable listener) {
    healListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Evaluates the verdict again (the node calls it on every membership change). */
  public void check() {
    boolean now = verdict().majority();
    boolean healed;
    synchronized (this) {
      healed = now && !hadMajority;
      hadMajority = now;
    }
    if (healed) {
      healListeners.forEach(Runnable::run);
    }
  }

  private static Set<String> names(List<Ring> rings) {
    Set<String> names = new HashSet<>();
    for (Ring ring : rings) {
      for (Member m : ring.members()) {
        names.add(m.name());
      }
    }
    return Set.copyOf(names);
  }

  public PartitionPolicy policy() {
    return policy;
  }

  /** How many of the base's members this node sees now. */
  public Verdict verdict() {
    Set<String> b = base;
    int seen = 0;
    for (String name : Set.copyOf(liveNames.get())) {
      if (b.contains(name)) {
        seen++;
      }
    }
    return new Verdict(seen, b.size());
  }

  /**
   * Why a write must be refused now, or {@code null} when it may be served: always null under
   * {@link PartitionPolicy#AVAILABLE}.
   */
  public String refusal() {
    if (policy == PartitionPolicy.AVAILABLE) {
      return null;
    }
    Verdict v = verdict();
    return v.majority() ? null : String.format("this node sees %d of the %d members of the last"
        + " stable topology, not a majority (partition-policy majority): writes are refused until"
        + " the partition heals; nothing was applied", v.seen(), v.base());
  }
}
