package io.ringcache.node.cluster;

import com.hazelcast.map.IMap;
import io.ringcache.node.security.PeerSecret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@link ClusterState} in one entry of a Hazelcast {@link IMap}.
 *
 * <h2>Design</h2>
 *
 * The entry value is the epoch as 8 big-endian bytes followed by the topology bytes. A publish is a
 * compare-and-set loop: read the entry, give up if its epoch is not lower, otherwise {@code
 * putIfAbsent} (no entry yet) or {@code replace(key, old, new)}, which Hazelcast compares on the
 * serialized value, so two publishers racing cannot both win and the epoch never goes down. No
 * entry processor, so no code needs to be deployed to the members beyond what they already run.
 *
 * <h2>Concurrency</h2>
 *
 * Map calls block on the partition owner; they run on Vert.x worker threads through {@link
 * Vertx#executeBlocking}, never on an event loop. The map has {@link #BACKUP_COUNT} synchronous
 * backups so the entry survives that many simultaneous member crashes.
 *
 * <h2>Peer secret</h2>
 *
 * A second entry, {@link #PEER_SECRET_KEY}, holds the {@link PeerSecret}. Each member that starts
 * generates a candidate and offers it with {@code putIfAbsent}: the first offer is stored, every
 * later one gets the stored secret back, so members racing at the cluster's birth agree. The
 * entry lives as long as the cluster's memory does; a cluster restarted from nothing gets a new
 * one.
 */
final class HazelcastClusterState implements ClusterState {

  static final String MAP_NAME = "ringcache.topology";
  static final String KEY = "current";
  static final String PEER_SECRET_KEY = "peer-secret";
  /** A third entry: the named caches' definitions, replaced by compare-and-set like the topology. */
  static final String CACHES_KEY = "caches";
  static final int BACKUP_COUNT = 2;

  private final Vertx vertx;
  private final IMap<String, byte[]> map;

  HazelcastClusterState(Vertx vertx, IMap<String, byte[]> map) {
    this.vertx = vertx;
    this.map = map;
  }

  @Override
  public Future<Optional<StoredTopology>> load() {
    return vertx.executeBlocking(
        () -> Optional.ofNullable(map.get(KEY)).map(HazelcastClusterState::decode), false);
  }

  @Override
  public Future<Boolean> publishIfNewer(long epoch, byte[] bytes) {
    if (epoch <= 0) {
      return Future.failedFuture(
          new IllegalArgumentException(String.format("epoch must be positive, was %d", epoch)));
    }
    if (bytes == null) {
      return Future.failedFuture(new NullPointerException("bytes"));
    }
    byte[] next = encode(epoch, bytes);
    return vertx.executeBlocking(() -> compareAndSet(epoch, next), false);
  }

  @Override
  public Future<PeerSecret> peerSecret() {
    return vertx.executeBlocking(() -> {
      byte[] candidate = PeerSecret.generate(new SecureRandom()).bytes();
      byte[] stored = map.putIfAbsent(PEER_SECRET_KEY, candidate);
      return PeerSecret.of(stored == null ? candidate : stored);
    }, false);
  }

  @Override
  public Future<byte[]> loadCaches() {
    return vertx.executeBlocking(() -> {
      byte[] stored = map.get(CACHES_KEY);
      return stored == null ? new byte[0] : stored;
    }, false);
  }

  @Override
  public Future<Boolean> replaceCaches(byte[] expected, byte[] next) {
    return vertx.executeBlocking(() -> expected.length == 0
        ? map.putIfAbsent(CACHES_KEY, next) == null
        : map.replace(CACHES_KEY, expected, next), false);
  }

  private boolean compareAndSet(long epoch, byte[] next) {
    while (true) {
      byte[] stored = map.get(KEY);
      if (stored == null) {
        if (map.putIfAbsent(KEY, next) == null) {
          return true;
        }
      } else if (epochOf(stored) >= epoch) {
        return false;
      } else if (map.replace(KEY, stored, next)) {
        return true;
      }
    }
  }

  static byte[] encode(long epoch, byte[] bytes) {
    return ByteBuffer.allocate(Long.BYTES + bytes.length).putLong(epoch).put(bytes).array();
  }

  static StoredTopology decode(byte[] stored) {
    return new StoredTopology(
        epochOf(stored), Arrays.copyOfRange(stored, Long.BYTES, stored.length));
  }

  private static long epochOf(byte[] stored) {
    if (stored.length < Long.BYTES) {
      throw new IllegalStateException(
          String.format(
              "stored topology entry is %d bytes, shorter than its %d-byte epoch",
              stored.length, Long.BYTES));
    }
    return ByteBuffer.wrap(stored).getLong();
  }
}
