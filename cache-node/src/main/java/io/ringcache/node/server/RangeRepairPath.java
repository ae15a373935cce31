package io.ringcache.node.server;

import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.RangeReads;
import io.ringcache.node.store.RangeDigest;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DIGEST_RANGES and RECONCILE_RANGE on the answering owner: the responder's half of
 * anti-entropy and of a drain's proof ({@code node.replication.AntiEntropy} is the asking half).
 * Peer-only, like REPLICATE, and only from a sender on this node's epoch: digests of two
 * topologies are not comparable, and a repair must not write into ranges a newer topology moved.
 *
 * <h2>Design</h2>
 * Both answers read the store off the event loop (a digest that cuts a slice reads that slice's
 * key index; a slice not indexed yet is indexed first, one scan of the store for all the slices
 * of the request). RECONCILE_RANGE compares the sender's list with this node's entries of the
 * range by the store's merge order (higher version, and on a tie a tombstone over a value) and
 * answers both directions at once: entries held here that the sender lacks or holds older travel
 * back in the answer, up to {@link #ANSWER_BYTES} (then {@code more} is set and the sender asks
 * again after merging), and the keys the sender holds newer are named for it to push with
 * REPLICATE, which goes through {@link ReplicaApply} here like any replica write.
 */
final class RangeRepairPath {

  /** Bound on the entries of one RECONCILE_RANGE answer (one entry always fits the frame). */
  static final int ANSWER_BYTES = 256 * 1024;
  /** Frame header and the answer's fixed fields, rounded up. */
  private static final int FRAME_OVERHEAD = 64;

  private final RouteContext ctx;
  private final Context context;

  RangeRepairPath(RouteContext ctx, Context context) {
    this.ctx = ctx;
    this.context = context;
  }

  Future<Response> digest(Request.DigestRanges r, long senderEpoch) {
    Response refused = ctx.peerRefusal(ctx.topology.current(), senderEpoch);
    if (refused != null) {
      return Future.succeededFuture(refused);
    }
    LocalStore store = ctx.store;
    return context.executeBlocking(() -> {
      if (r.indexWhole()) {
        RangeReads.index(store, r.ranges(), true);
      }
      return digests(store, r.ranges());
    }, false);
  }

  static Response digests(LocalStore store, List<PositionRange> ranges) {
    List<RangeDigest> digests = RangeReads.digests(store, ranges);
    if (digests == null) {
      return new Response.Failure(Status.BUSY,
          "the store's slice indexes were dropped while answering; ask again");
    }
    List<Response.Digests.Entry> out = new ArrayList<>(digests.size());
    for (RangeDigest d : digests) {
      out.add(new Response.Digests.Entry(d.sum(), d.count()));
    }
    return new Response.Digests(out);
  }

  Future<Response> reconcile(Request.ReconcileRange r, long senderEpoch) {
    Topology t = ctx.topology.current();
    Response refused = ctx.peerRefusal(t, senderEpoch);
    if (refused != null) {
      return Future.succeededFuture(refused);
    }
    LocalStore store = ctx.store;
    int maxFrameBytes = ctx.settings.limits().maxFrameBytes();
    return context.executeBlocking(() -> reconciled(store, r, maxFrameBytes), false);
  }

  /**
   * The answer to {@code r}, within one frame of {@code maxFrameBytes}: the wanted keys always go
   * (the sender's list is bounded), and the newer entries fill what the frame and {@link
   * #ANSWER_BYTES} leave. When not even the first entry fits beside the wanted keys (a value near
   * the value limit), it waits for the next ask with {@code more} set: the sender pushes what is
   * wanted and asks again, and then the entry goes alone.
   */
  static Response reconciled(LocalStore store, Request.ReconcileRange r, int maxFrameBytes) {
    PositionRange range = r.range();
    List<RangeReads.Version> versions = RangeReads.versions(store, range);
    if (versions == null) {
      return new Response.Failure(Status.BUSY,
          "the store's slice indexes were dropped while answering; ask again");
    }
    Map<StoreKey, RangeReads.Version> mine = new HashMap<>();
    for (RangeReads.Version v : versions) {
      mine.put(v.key(), v);
    }
    List<Key> wanted = new ArrayList<>();
    List<StoreKey> newer = new ArrayList<>();
    for (Request.ReconcileRange.Held h : r.held()) {
      if (!range.contains(h.key().position())) {
        continue;
      }
      StoreKey key = RouteContext.storeKey(h.key());
      RangeReads.Version own = mine.remove(key);
      if (own == null
          || RangeReads.newer(h.version(), h.tombstone(), own.version(), own.tombstone())) {
        wanted.add(h.key());
      } else if (RangeReads.newer(own.version(), own.tombstone(), h.version(), h.tombstone())) {
        newer.add(key);
      }
    }
    newer.addAll(mine.keySet());
    long wantedBytes = 0;
    for (Key k : wanted) {
      wantedBytes += 2 + k.length();
    }
    long room = maxFrameBytes - FRAME_OVERHEAD - wantedBytes;
    List<Request.Replicate> entries = new ArrayList<>();
    long bytes = 0;
    boolean more = false;
    for (StoreKey key : newer) {
      ReplicaEntry e = store.replicaOf(key);
      if (e == null) {
        continue;
      }
      long next = bytes + key.length() + lengthOf(e);
      // One entry alone always fits a frame (the limits guarantee a maximal REPLICATE does).
      boolean fits = entries.isEmpty()
          ? wanted.isEmpty() || next <= room
          : next <= Math.min(room, ANSWER_BYTES);
      if (!fits) {
        more = true;
        break;
      }
      bytes += key.length() + lengthOf(e);
      entries.add(toReplicate(key, e));
    }
    return new Response.Reconciled(wanted, entries, more);
  }

  private static long lengthOf(ReplicaEntry e) {
    return 32 + (e.tombstone() ? 0 : e.value().length);
  }

  /** {@code e} as a REPLICATE entry: TTL -1 for none, as range transfers send it. */
  static Request.Replicate toReplicate(StoreKey key, ReplicaEntry e) {
    long ttl = e.ttlMillis() == ReplicaEntry.NO_TTL ? -1 : Math.max(0, e.ttlMillis());
    return new Request.Replicate(Key.ofStored(key.bytes()), e.version(), ttl, e.tombstone(),
        e.tombstone() ? Buffer.buffer() : Buffer.buffer(e.value()));
  }
}
