package io.ringcache.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A started cluster member: its clustered Vert.x, the Hazelcast instance under it, the live
 * membership and the cluster-wide topology state. Made by {@link ClusterBootstrap#start}.
 */
public final class ClusteredNode {

  private final ClusterSettings settings;
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Membership membership;
  private final ClusterState state;
  private Future<Void> closing;

  ClusteredNode(
      ClusterSettings settings,
      Vertx vertx,
      HazelcastInstance hazelcast,
      Membership membership,
      ClusterState state) {
    this.settings = settings;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.membership = membership;
    this.state = state;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** The clustered Vert.x instance; its event bus is bound to {@code settings().host()}. */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * The Hazelcast member under the Vert.x cluster manager. Its blocking calls must not run on an
   * event loop, and its listeners run on Hazelcast threads.
   */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public Membership membership() {
    return membership;
  }

  public ClusterState state() {
    return state;
  }

  /**
   * Leaves the cluster gracefully (Hazelcast migrates this member's partitions away first) and
   * closes Vert.x. Idempotent: later calls return the same future.
   */
  public synchronized Future<Void> close() {
    if (closing == null) {
      closing = vertx.close();
    }
    return closing;
  }
}
