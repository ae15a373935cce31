package io.ringcache.node.cluster;

import java.util.List;
import java.util.function.Consumer;

/**
 * The live members of the cluster, oldest first, kept current from Hazelcast membership events.
 *
 * <p>Reads ({@link #members()}, {@link #snapshot()}, ...) are safe from any thread and return the
 * latest snapshot. Listeners run on the membership's Vert.x context, one at a time, in snapshot
 * order; they must not block.
 */
public interface Membership {

  /** The latest snapshot. */
  MembershipSnapshot snapshot();

  /** Live members in join order, oldest first. */
  default List<MemberView> members() {
    return snapshot().members();
  }

  /** This member. */
  default MemberView self() {
    return snapshot().self();
  }

  /** The oldest member, the coordinator. */
  default MemberView oldest() {
    return snapshot().oldest();
  }

  /** Whether this member is the coordinator. */
  default boolean isOldest() {
    return snapshot().isOldest();
  }

  /**
   * Calls {@code listener} on the membership's context with every later snapshot that differs from
   * the one before it. A listener that throws is logged and keeps its registration.
   *
   * @return a handle that removes the listener when run
   */
  Runnable onChange(Consumer<MembershipSnapshot> listener);
}
