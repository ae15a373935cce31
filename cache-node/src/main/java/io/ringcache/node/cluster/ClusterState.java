package io.ringcache.node.cluster;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Cluster-wide storage of the latest published topology, so that a new coordinator resumes from it
 * rather than from its own memory. The stored epoch only grows.
 */
public interface ClusterState {

  /** The latest published topology, or empty if none was ever published in this cluster. */
  Future<Optional<StoredTopology>> load();

  /**
   * Stores {@code bytes} as the topology of {@code epoch} if and only if {@code epoch} is greater
   * than the stored epoch (or nothing is stored), atomically against concurrent publishers.
   *
   * @return true if stored, false if the stored epoch was equal or greater (a stale publish); a
   *     failed future if {@code epoch} is not positive or the cluster is unreachable
   */
  Future<Boolean> publishIfNewer(long epoch, byte[] bytes);
}
