package io.ringcache.node.server;

import io.ringcache.node.logging.EventThrottle;
import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.store.StoreStatus;
import io.ringcache.node.store.WriteLog;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * REPLICATE and REPLICATE_BATCH on the receiving owner: replica writes from a coordinating owner,
 * or entries of a range transfer. Peer-only: the connection refuses it unless the sender presented the cluster's
 * peer secret.
 */
final class ReplicaApply {

  private static final Logger LOG = Logger.getLogger(ReplicaApply.class.getName());
  /** Shared by every loop of the process: one clock-offset line per 10 s. */
  private static final EventThrottle CLOCK_OFFSET_LOG = new EventThrottle(10_000);

  private final RouteContext ctx;

  ReplicaApply(RouteContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Applies a replica write or a transferred entry. Only from a sender on this node's epoch: a
   * write routed by another topology may be missing owners this one expects (or reach a range
   * after its transfer scanned it), so it is refused and the coordinating owner fails the write.
   * OK means "this node holds that entry now" (applied, already held, or expired); an entry older
   * than the one held is answered STALE with the held version.
   */
  Response apply(Request.Replicate r, long senderEpoch) {
    Topology t = ctx.topology.current();
    Response refused = ctx.peerRefusal(t, senderEpoch);
    return refused != null ? refused : applyEntry(r, senderEpoch);
  }

  /**
   * Applies a REPLICATE_BATCH: the epoch and incarnation checks once for the whole batch (one
   * topology snapshot, as for a single REPLICATE; a refusal answers for every entry), then each
   * entry in order exactly as {@link #apply} would, with its own outcome: OK, STALE with the held
   * version, CLOCK_OFFSET or BAD_REQUEST. One entry's refusal does not stop the others.
   */
  Response applyBatch(Request.ReplicateBatch batch, long senderEpoch) {
    Topology t = ctx.topology.current();
    Response refused = ctx.peerRefusal(t, senderEpoch);
    if (refused != null) {
      return refused;
    }
    List<Response> outcomes = new ArrayList<>(batch.entries().size());
    for (Request.Replicate r : batch.entries()) {
      outcomes.add(applyEntry(r, senderEpoch));
    }
    ctx.stats.replicaBatchesApplied.increment();
    return new Response.ReplicaOutcomes(outcomes);
  }

  /**
   * WRITE_OUTCOMES: records the write outcomes a range transfer's source holds for the keys it
   * sent here, those this node has no record of, so that a client's resend of such a write is
   * answered with its first outcome instead of being applied again on the transferred value.
   * From a sender on this node's epoch only, like the transfer's entries. Answers how many were
   * new here.
   */
  Response adoptOutcomes(Request.WriteOutcomes r, long senderEpoch) {
    Response refused = ctx.peerRefusal(ctx.topology.current(), senderEpoch);
    if (refused != null) {
      return refused;
    }
    int adopted = 0;
    for (Request.LoggedWrite w : r.writes()) {
      if (ctx.writes.adopt(w.id(),
          new WriteLog.Outcome(w.position(), w.kind(), w.version(), w.counter()))) {
        adopted++;
      }
    }
    return new Response.Counter(adopted, 0);
  }

  private Response applyEntry(Request.Replicate r, long senderEpoch) {
    if (ctx.faults.refusing()) {
      return new Response.Failure(Status.BUSY, "replica writes refused by a test fault");
    }
    if (ctx.faults.dropsSilently(r.key())) {
      return new Response.Ok();
    }
    if (r.version() <= 0) {
      return new Response.Failure(Status.BAD_REQUEST,
          "REPLICATE version must be > 0 but was " + r.version());
    }
    if (ctx.caches.registry.clearedAway(r.key(), r.version())) {
      // Written before a clear this node applied: dropped, as the clear dropped its copies.
      return new Response.Ok();
    }
    long ttl = r.ttlMillis() == -1 ? ReplicaEntry.NO_TTL
        : r.ttlMillis() == 0 ? ReplicaEntry.EXPIRED : r.ttlMillis();
    ReplicaEntry entry = r.tombstone()
        ? ReplicaEntry.tombstone(r.version(), ttl)
        : ReplicaEntry.value(r.value().getBytes(), r.version(), ttl);
    StoreResult res = ctx.store.apply(RouteContext.storeKey(r.key()), entry);
    if (res.status() == StoreStatus.CLOCK_OFFSET) {
      return clockOffset(res, senderEpoch);
    }
    if (res.status() == StoreStatus.STALE) {
      // Answering OK here would let the sender acknowledge a write this owner does not hold.
      ctx.stats.staleReplicas.increment();
      return new Response.Stale(res.version());
    }
    ctx.stats.replicationsApplied.increment();
    ctx.writes.record(r.writeId(), r.key().position(), r.outcome(), entry);
    return new Response.Ok();
  }

  /** Counts and (at most every 10 s per node) logs a refused entry; the answer names the limit. */
  private Response clockOffset(StoreResult res, long epoch) {
    ctx.stats.clockOffsetRejected.increment();
    long held = CLOCK_OFFSET_LOG.pass();
    if (held >= 0) {
      NodeLog.event(LOG, Level.WARNING, "clock.offset_rejected", ctx.settings.nodeName(), epoch,
          "refused a replicated or transferred entry: " + res.error() + " (" + held
              + " more refused since the last report)",
          "version", res.version(), "held_back", held);
    }
    return new Response.Failure(Status.CLOCK_OFFSET, res.error());
  }
}
