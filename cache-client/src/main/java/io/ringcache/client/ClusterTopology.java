package io.ringcache.client;

import java.util.List;

/**
 * The client's copy of the cluster layout: its epoch and members. Epoch 0 with no members means
 * the client has not reached any node yet.
 *
 * @param epoch strictly increasing layout version published by the cluster
 * @param members every node of the layout, in name order
 */
public record ClusterTopology(long epoch, List<ClusterMember> members) {
  public ClusterTopology {
    members = List.copyOf(members);
  }

  /** One node as the client sees it. */
  public record ClusterMember(String name, String host, int port, State state) {}

  /**
   * Lifecycle of a member: joining (not serving reads yet), up, leaving (handing its data over),
   * or down (gone without handing over; requests are not routed to it while the cluster
   * restores its copies elsewhere).
   */
  public enum State {
    JOINING,
    UP,
    LEAVING,
    DOWN
  }
}
