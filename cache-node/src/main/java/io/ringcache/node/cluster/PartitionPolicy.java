package io.ringcache.node.cluster;

/**
 * What a node does while it cannot rule out that it is on the smaller side of a network
 * partition: when it sees no more than half of the members of the last STABLE topology it
 * installed.
 *
 * <p>Hazelcast splits a partitioned cluster into one cluster per side, and each side goes on
 * electing a coordinator and publishing topologies of its own (a split brain). {@link #AVAILABLE}
 * lets both sides serve; {@link #MAJORITY} keeps the side without a majority from accepting
 * writes that the other side cannot see. The rules are in {@code docs/rebalancing.md}.
 */
public enum PartitionPolicy {
  /**
   * Every side serves reads and writes (the behaviour before this setting existed). After the
   * heal the sides' copies are reconciled by version, so of two writes to one key the later
   * wins; a write made on the side that loses the merge may be lost.
   */
  AVAILABLE,
  /**
   * A node that sees no more than half of the last STABLE topology's members refuses writes with
   * {@code NO_QUORUM}, and as coordinator publishes no topology; it resumes once it sees a
   * majority again (the partition healed).
   */
  MAJORITY
}
