package io.ringcache.node.caches;

import io.ringcache.node.cluster.ClusterState;
import io.ringcache.node.cluster.StoredTopology;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.topology.Self;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the request path needs of named caches: their definitions ({@link CacheRegistry}), their
 * subscribers ({@link EventHub}), and the count of writes this node coordinated (a subscriber
 * that reaches a node which has coordinated writes before may have missed their events).
 */
public final class CacheServices {

  public final CacheRegistry registry;
  public final EventHub events;
  /** The keys this node serves most (a sampled sketch, one window a second). */
  public final HotKeys hotKeys = new HotKeys();
  /** Single-flight load leases of the keys this node coordinates. */
  public final LeaseTable leases = new LeaseTable();
  public final LongAdder coordinatedWrites = new LongAdder();
  /** Whole-store walks (size, clear, scan) queued or running on this node. */
  public final AtomicInteger walksInFlight =
      new AtomicInteger();
  /** The store's clock: a cluster-wide clear orders itself after every write it must remove. */
  public final HybridClock clock;

  public CacheServices(CacheRegistry registry, EventHub events, HybridClock clock) {
    this.registry = registry;
    this.events = events;
    this.clock = clock;
  }

  /** Services over a cluster state that holds nothing and stores nothing: for routers in tests. */
  public static CacheServices standalone() {
    return new CacheServices(new CacheRegistry(new InMemoryState()), new EventHub(),
        HybridClock.forNode("standalone"));
  }

  /**
   * Sends EXPIRED for the entries {@code store} finds expired, of caches with subscribers, where
   * this node is the key's coordinating owner (so each expiry is told once, by one node).
   */
  public void watchExpiry(LocalStore store, TopologyHolder topology, Self self) {
    store.expiredListener((StoreKey k, StoredValue v) -> {
      Key key = Key.ofStored(k.bytes());
      String cache = key.cacheName();
      if (!events.hasSubscribers(cache)) {
        return;
      }
      Topology t = topology.current();
      List<Member> owners = t.writeReplicas(key.position());
      if (owners.isEmpty() || !self.is(t, owners.get(0).name())) {
        return;
      }
      byte[] old = Arrays.copyOfRange(v.array(), v.offset(), v.offset() + v.length());
      events.publish(cache, Response.EventType.EXPIRED, key, v.version(), null, old);
    });
  }

  /** A {@link ClusterState} of one process: for tests that build a router without a cluster. */
  private static final class InMemoryState implements ClusterState {
    private byte[] caches = new byte[0];

    @Override
    public Future<Optional<StoredTopology>> load() {
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<Boolean> publishIfNewer(long epoch, byte[] bytes) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<PeerSecret> peerSecret() {
      return Future.failedFuture(new UnsupportedOperationException("no cluster"));
    }

    @Override
    public synchronized Future<byte[]> loadCaches() {
      return Future.succeededFuture(caches);
    }

    @Override
    public synchronized Future<Boolean> replaceCaches(byte[] expected, byte[] next) {
      if (!Arrays.equals(expected, caches)) {
        return Future.succeededFuture(false);
      }
      caches = next;
      return Future.succeededFuture(true);
    }
  }
}
