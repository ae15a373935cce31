package io.ringcache.node.cluster;

import io.ringcache.node.security.PeerSecret;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Cluster-wide storage of the latest published topology, so that a new coordinator resumes from it
 * rather than from its own memory, and of the cluster's {@link PeerSecret}. The stored epoch only
 * grows; the secret never changes while the cluster lives.
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

  /**
   * The cluster's peer secret, created by whichever member asks first: every member gets the same
   * one, even when several ask at once (the first stored wins atomically).
   *
   * @return the secret, or a failed future if the cluster is unreachable or holds a malformed one
   */
  Future<PeerSecret> peerSecret();

  /**
   * The named caches' definitions as last stored ({@code CacheRegistry}'s JSON), or an empty array
   * if none was ever stored in this cluster.
   */
  Future<byte[]> loadCaches();

  /**
   * Stores {@code next} as the caches' definitions if the stored bytes still equal {@code
   * expected} (empty for "nothing stored"), atomically against concurrent writers.
   *
   * @return true if stored, false if another writer changed them first (read again and retry)
   */
  Future<Boolean> replaceCaches(byte[] expected, byte[] next);
}
