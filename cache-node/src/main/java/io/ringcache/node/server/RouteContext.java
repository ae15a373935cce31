package io.ringcache.node.server;

import io.ringcache.node.caches.CacheServices;

import io.netty.buffer.ByteBuf;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.Self;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * What every operation family of one event loop's {@link RequestRouter} shares: the node's
 * settings, store, write log and installed topology, this loop's peer client and topology waits,
 * the counters, and "this process" ({@link Self}). Used only from that event loop; the store,
 * topology holder and counters are thread-safe.
 */
final class RouteContext {

  final ServerSettings settings;
  final LocalStore store;
  final WriteLog writes;
  final TopologyHolder topology;
  final PeerClient peers;
  final NodeStats stats;
  final TopologyWaits waits;
  /** This process, as the installed topology must name it before this node owns anything. */
  final Self self;
  /** Test-only refusals of replica writes; never set in production. */
  final ReplicaFaults faults;
  /** Named caches: definitions, clear marks, event subscribers. */
  final CacheServices caches;

  RouteContext(ServerSettings settings, LocalStore store, WriteLog writes,
      TopologyHolder topology, PeerClient peers, NodeStats stats, TopologyWaits waits,
      ReplicaFaults faults, CacheServices caches) {
    this.caches = caches;
    this.settings = settings;
    this.store = store;
    this.writes = writes;
    this.topology = topology;
    this.peers = peers;
    this.stats = stats;
    this.waits = waits;
    this.self = settings.self();
    this.faults = faults;
  }

  /** Whether {@code m} is this process in {@code t}: see {@link Self}. */
  boolean isSelf(Topology t, Member m) {
    return self.is(t, m.name());
  }

  String notThisIncarnation(Topology t, String earlier) {
    return String.format("node '%s' restarted: this is incarnation %s, epoch %d names incarnation"
        + " %s under that name; it owns nothing until the coordinator publishes a topology naming"
        + " %s (not applied; refresh the topology and retry)", settings.nodeName(),
        self.incarnation(), t.epoch(), earlier, self.incarnation());
  }

  /**
   * The bytes of {@code value}: the array it wraps when it wraps a whole one (a RESP argument,
   * parsed into an array of its own and never changed), else a copy (a slice of a frame).
   */
  static byte[] bytesOf(Buffer value) {
    if (value instanceof BufferInternal b) {
      ByteBuf buf = b.unwrap();
      // A derived buffer (a slice of a frame) is copied without further checks: asking it for
      // its array costs a reference-count check per call, which showed in the profile.
      if (buf.unwrap() == null && buf.hasArray() && buf.arrayOffset() == 0
          && buf.readerIndex() == 0 && buf.readableBytes() == buf.capacity()) {
        byte[] array = buf.array();
        if (array.length == buf.capacity()) {
          return array;
        }
      }
    }
    return value.getBytes();
  }

  static StoreKey storeKey(Key key) {
    return StoreKey.wrap(key.toBytes());
  }

  /**
   * Why nothing from this peer may be applied or answered now, or null when it may: node-to-node
   * data requests (replication, transfer, anti-entropy) need the sender on this node's epoch and
   * a topology that names this process.
   */
  Response peerRefusal(Topology t, long senderEpoch) {
    long own = t.epoch();
    if (senderEpoch != own) {
      return new Response.Failure(Status.WRONG_EPOCH, String.format(
          "node '%s' is on epoch %d, the sender on %d", settings.nodeName(), own, senderEpoch));
    }
    String earlier = self.predecessorIn(t).orElse(null);
    if (earlier != null) {
      // The sender counts this copy as the earlier process's; the next topology does not. The
      // sender retries on a newer topology, and fails the write as "maybe applied" if none comes.
      return new Response.Failure(Status.UNAVAILABLE, notThisIncarnation(t, earlier));
    }
    return null;
  }

  static Future<Response> noTopology() {
    return Future.succeededFuture(new Response.Failure(Status.UNAVAILABLE,
        "no topology installed yet: the node is still joining the cluster"));
  }
}
