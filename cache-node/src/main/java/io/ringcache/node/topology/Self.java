package io.ringcache.node.topology;

import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import java.util.Objects;
import java.util.Optional;

/**
 * This process as topologies name it: its stable name and its incarnation (the cluster member id
 * of this start). The one place that decides whether a member of a topology is this process.
 *
 * <p>Why the name is not enough: a node restarted under the same name is a new process with an
 * empty store. Until the coordinator publishes a topology naming the new incarnation, the
 * topology it installs (the stored pre-crash one, or one published before the coordinator saw the
 * restart) still names the old process as an owner; acting as that owner would answer NOT_FOUND
 * for keys the old process held, count increments from 0, and acknowledge replica writes that
 * the next topology does not count. So a topology whose entry for this name carries another
 * incarnation names somebody else.
 *
 * <p>An empty incarnation on either side means "unknown" (topologies built by tests and tools, a
 * node built without a cluster): the name alone decides, as it did before incarnations existed.
 * A name the topology does not list is this process too (nothing says otherwise).
 *
 * @param name the stable name, as on the ring
 * @param incarnation this process's cluster member id, or "" when unknown
 */
public record Self(String name, String incarnation) {

  public Self {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(incarnation, "incarnation");
  }

  /** Whether the member named {@code member} in {@code t} is this process. */
  public boolean is(Topology t, String member) {
    return name.equals(member) && predecessorIn(t).isEmpty();
  }

  /**
   * The other incarnation {@code t} records under this name, an earlier process this one must not
   * stand in for; empty when {@code t} names this incarnation, an unknown one, or not this name.
   */
  public Optional<String> predecessorIn(Topology t) {
    if (incarnation.isEmpty()) {
      return Optional.empty();
    }
    return t.node(name).map(NodeAddress::incarnation)
        .filter(recorded -> !recorded.isEmpty() && !recorded.equals(incarnation));
  }
}
