package io.ringcache.node.peer;

import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * The REPLICATE entries one event-loop turn sends to one peer under one epoch, gathered into one
 * frame (group commit), with a promise per caller.
 *
 * <h2>Design</h2>
 * Callers keep the contract of a single REPLICATE: each gets its own future, completed with what a
 * REPLICATE of its entry alone would have got. The peer answers a REPLICATE_BATCH with one outcome
 * per entry (OK, STALE, or a failure such as CLOCK_OFFSET), which goes to that entry's caller; a
 * refusal of the whole frame (WRONG_EPOCH, UNAVAILABLE from a new incarnation, FORBIDDEN,
 * BAD_REQUEST) is the answer every entry would have got alone, so each caller gets it. A batch of
 * one entry is sent as a plain REPLICATE, so the single-write path costs nothing extra.
 *
 * <p>A batch is bounded by entries and body bytes (both at most what the codec and the frame
 * limit accept); {@link #fits} says when the next entry has to open a new one. The first entry
 * always fits: one maximal entry alone goes as a REPLICATE, which the limits guarantee to fit.
 *
 * <h2>Failure</h2>
 * Connection loss, timeout and refusals before sending reach every caller through {@link #fail}.
 * An answer with the wrong number of outcomes (a broken peer) fails every caller with INTERNAL,
 * never completes one with another's outcome. Completion is idempotent ({@code tryComplete}).
 *
 * <h2>Concurrency</h2>
 * Confined to the event loop of its connection.
 */
final class ReplicaBatch {

  private final long epoch;
  private final int maxEntries;
  private final int maxBodyBytes;
  private final List<Request.Replicate> entries = new ArrayList<>();
  private final List<Promise<Response>> callers = new ArrayList<>();
  /** The count field plus the entries added so far. */
  private long bodyBytes = 4;

  ReplicaBatch(long epoch, int maxEntries, int maxBodyBytes) {
    this.epoch = epoch;
    this.maxEntries = maxEntries;
    this.maxBodyBytes = maxBodyBytes;
  }

  long epoch() {
    return epoch;
  }

  int size() {
    return entries.size();
  }

  /** Whether an entry of {@code entryBytes} may join this batch under {@code epoch}. */
  boolean fits(long entryEpoch, int entryBytes) {
    if (entryEpoch != epoch) {
      return false;
    }
    return entries.isEmpty()
        || (entries.size() < maxEntries && bodyBytes + entryBytes <= maxBodyBytes);
  }

  boolean full() {
    return entries.size() >= maxEntries;
  }

  /** Adds an entry; its caller's future completes with that entry's own outcome. */
  Future<Response> add(Request.Replicate entry, int entryBytes) {
    Promise<Response> p = Promise.promise();
    entries.add(entry);
    callers.add(p);
    bodyBytes += entryBytes;
    return p.future();
  }

  /** The frame to send: the lone entry as a REPLICATE, or all of them as a REPLICATE_BATCH. */
  Request request() {
    return entries.size() == 1 ? entries.get(0) : new Request.ReplicateBatch(entries);
  }

  /** Splits the peer's answer to {@link #request()} back to the callers. */
  void answer(Response response) {
    if (entries.size() == 1) {
      callers.get(0).tryComplete(response);
      return;
    }
    if (response instanceof Response.ReplicaOutcomes o) {
      if (o.outcomes().size() != callers.size()) {
        fail(new PeerException(Status.INTERNAL, String.format(
            "the peer answered %d outcomes to a batch of %d entries", o.outcomes().size(),
            callers.size())));
        return;
      }
      for (int i = 0; i < callers.size(); i++) {
        callers.get(i).tryComplete(o.outcomes().get(i));
      }
    } else if (response instanceof Response.Failure) {
      for (Promise<Response> p : callers) {
        p.tryComplete(response);
      }
    } else {
      fail(new PeerException(Status.INTERNAL, "the peer answered a batch with "
          + response.getClass().getSimpleName()));
    }
  }

  void fail(PeerException e) {
    for (Promise<Response> p : callers) {
      p.tryFail(e);
    }
  }
}
