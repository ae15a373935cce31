package io.ringcache.protocol;

import io.ringcache.ring.KeyHash;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One installed cluster layout: who is in the cluster, where they listen, and which rings route
 * reads and writes. Published by the coordinator with a strictly increasing epoch; every node and
 * client swaps its copy atomically when a higher epoch arrives.
 *
 * <h2>Phases</h2>
 * A rebalance from ring R to R' walks {@code STABLE(R)}, {@code TRANSFER(read R, write R ∪ R')},
 * {@code SWITCH(read R', write R ∪ R')}, {@code STABLE(R')}, one epoch each (DESIGN.md). Here the "write ring" is R' during
 * TRANSFER and R during SWITCH, and {@link #writeReplicas} is the union of the read-ring replicas
 * and the write-ring replicas, so a write during a rebalance reaches old and new owners alike.
 *
 * <h2>Invariants</h2>
 * In {@link Phase#STABLE} both rings are equal. Node names are unique, and every ring member has
 * a {@link NodeAddress} (a client must be able to reach every owner).
 *
 * @param epoch version of this layout; 0 only for the initial, empty topology
 * @param replicationFactor copies of each key, at least 1
 * @param phase rebalance phase
 * @param nodes every known node, in any order
 * @param readRing ring that serves reads
 * @param writeRing ring whose owners also receive writes; equal to {@code readRing} when stable
 */
public final class Topology {

  private final long epoch;
  private final int replicationFactor;
  private final Phase phase;
  private final List<NodeAddress> nodes;
  private final Ring readRing;
  private final Ring writeRing;
  /** Names of nodes in state DOWN: never routed to. Usually empty, which keeps lookups free. */
  private final Set<String> down;
  /** {@link #nodes} by name: the request path looks an owner's address up per forward. */
  private final Map<String, NodeAddress> byName;
  /**
   * Made at random with the cluster's first topology and kept by every later one; 0 when not
   * known (the initial topology, or one from an older node). A different id means a different
   * cluster, whose epochs started over: a client follows it even to a lower epoch.
   */
  private final long clusterId;

  /** Rebalance phases. The numeric codes are part of the wire contract. */
  public enum Phase {
    STABLE(0),
    TRANSFER(1),
    SWITCH(2);

    private final int code;

    Phase(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The phase for {@code code}, or {@code null} when not assigned. */
    public static Phase fromCode(int code) {
      for (Phase p : values()) {
        if (p.code == code) {
          return p;
        }
      }
      return null;
    }
  }

  public Topology(long epoch, int replicationFactor, Phase phase, List<NodeAddress> nodes,
      Ring readRing, Ring writeRing) {
    this(epoch, replicationFactor, phase, nodes, readRing, writeRing, 0);
  }

  public Topology(long epoch, int replicationFactor, Phase phase, List<NodeAddress> nodes,
      Ring readRing, Ring writeRing, long clusterId) {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(readRing, "readRing");
    Objects.requireNonNull(writeRing, "writeRing");
    nodes = List.copyOf(nodes);
    if (epoch < 0) {
      throw new IllegalArgumentException(String.format("epoch is %d, must not be negative", epoch));
    }
    if (replicationFactor < 1 || replicationFactor > 255) {
      throw new IllegalArgumentException(
          String.format("replicationFactor is %d, must be within 1..255", replicationFactor));
    }
    if (phase == Phase.STABLE && !readRing.equals(writeRing)) {
      throw new IllegalArgumentException(
          String.format("epoch %d is STABLE but its read and write rings differ", epoch));
    }
    Map<String, NodeAddress> byName = new HashMap<>();
    for (NodeAddress n : nodes) {
      if (byName.put(n.name(), n) != null) {
        throw new IllegalArgumentException(String.format("duplicate node name '%s'", n.name()));
      }
    }
    requireAddressed(readRing, byName, "read");
    requireAddressed(writeRing, byName, "write");
    Set<String> downNames = new HashSet<>();
    for (NodeAddress n : nodes) {
      if (n.state() == NodeAddress.State.DOWN) {
        downNames.add(n.name());
      }
    }
    this.epoch = epoch;
    this.replicationFactor = replicationFactor;
    this.phase = phase;
    this.nodes = nodes;
    this.readRing = readRing;
    this.writeRing = writeRing;
    this.down = Set.copyOf(downNames);
    this.byName = Map.copyOf(byName);
    this.clusterId = clusterId;
  }

  /** This topology with cluster id {@code id}. */
  public Topology withClusterId(long id) {
    return id == clusterId ? this
        : new Topology(epoch, replicationFactor, phase, nodes, readRing, writeRing, id);
  }

  /** The id of the cluster that published this topology; 0 when not known. */
  public long clusterId() {
    return clusterId;
  }

  public long epoch() {
    return epoch;
  }

  public int replicationFactor() {
    return replicationFactor;
  }

  public Phase phase() {
    return phase;
  }

  public List<NodeAddress> nodes() {
    return nodes;
  }

  public Ring readRing() {
    return readRing;
  }

  public Ring writeRing() {
    return writeRing;
  }

  /** Whether {@code name} is a node in state DOWN. */
  public boolean isDown(String name) {
    return down.contains(name);
  }

  private static void requireAddressed(Ring ring, Map<String, NodeAddress> byName, String which) {
    for (Member m : ring.members()) {
      if (!byName.containsKey(m.name())) {
        throw new IllegalArgumentException(String.format(
            "%s ring member '%s' has no node address; nodes are %s", which, m.name(),
            byName.keySet()));
      }
    }
  }

  /** A stable topology over one ring. */
  public static Topology stable(long epoch, int replicationFactor, List<NodeAddress> nodes,
      Ring ring) {
    return new Topology(epoch, replicationFactor, Phase.STABLE, nodes, ring, ring);
  }

  /** Epoch 0: no nodes, empty rings. What a client holds before its first TOPOLOGY answer. */
  public static Topology initial(int replicationFactor) {
    return stable(0, replicationFactor, List.of(), Ring.empty());
  }

  public Optional<NodeAddress> node(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Owners that serve reads of {@code key}, primary first; empty when the ring is empty. */
  public List<Member> readReplicas(byte[] key) {
    return readReplicas(KeyHash.of(key));
  }

  public List<Member> readReplicas(long position) {
    return readRing.isEmpty()
        ? List.of() : withoutDown(readRing.replicas(position, replicationFactor));
  }

  /** The replicas of {@code position} in the ring as placed, DOWN members included. */
  public List<Member> placedReadReplicas(long position) {
    return readRing.isEmpty() ? List.of() : readRing.replicas(position, replicationFactor);
  }

  private List<Member> withoutDown(List<Member> members) {
    if (down.isEmpty()) {
      return members;
    }
    List<Member> live = new ArrayList<>(members.size());
    for (Member m : members) {
      if (!down.contains(m.name())) {
        live.add(m);
      }
    }
    return live;
  }

  /**
   * Owners that must receive writes of {@code key}: the read replicas first (primary first), then
   * the write ring's replicas not already listed.
   */
  public List<Member> writeReplicas(byte[] key) {
    return writeReplicas(KeyHash.of(key));
  }

  public List<Member> writeReplicas(long position) {
    List<Member> read = readReplicas(position);
    if (phase == Phase.STABLE || writeRing.isEmpty()) {
      return read;
    }
    List<Member> extra = withoutDown(writeRing.replicas(position, replicationFactor));
    List<Member> all = new ArrayList<>(read.size() + extra.size());
    all.addAll(read);
    for (Member m : extra) {
      if (!containsName(all, m.name())) {
        all.add(m);
      }
    }
    return List.copyOf(all);
  }

  private static boolean containsName(List<Member> members, String name) {
    for (Member m : members) {
      if (m.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Topology t
        && t.epoch == epoch
        && t.clusterId == clusterId
        && t.replicationFactor == replicationFactor
        && t.phase == phase
        && t.nodes.equals(nodes)
        && t.readRing.equals(readRing)
        && t.writeRing.equals(writeRing);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, clusterId, replicationFactor, phase, nodes, readRing, writeRing);
  }

  @Override
  public String toString() {
    return "Topology{epoch=" + epoch + ", rf=" + replicationFactor + ", phase=" + phase
        + ", nodes=" + nodes.stream().map(n -> n.name() + ":" + n.state()).toList()
        + ", read=" + readRing.size() + " members, write=" + writeRing.size() + " members}";
  }
}
