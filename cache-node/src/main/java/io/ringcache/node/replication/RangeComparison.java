package io.ringcache.node.replication;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.DigestSlices;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.RangeDigest;
import io.ringcache.node.store.RangeReads;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.store.StoreStatus;
import io.ringcache.protocol.Frame;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

/**
 * One anti-entropy comparison of a list of ranges with one peer at one epoch: compare digests,
 * narrow the ranges that differ, repair what the narrowing finds, and compare again.
 *
 * <h2>Design</h2>
 * Digests are sums, so the digest of a range is the sum of its parts' and a Merkle tree comes for
 * free: a range that differs is cut into up to {@value #FANOUT} parts at slice boundaries ({@link
 * DigestSlices}) and those are compared in one DIGEST_RANGES, down to single slices or the pieces
 * of a slice a range's ends cut. Each such leaf is then reconciled: this node sends its {@code
 * (key, version)} list of the leaf (split into sub-ranges of at most {@value #LIST_BYTES} bytes
 * of list), and the peer answers the entries it holds newer (merged here with {@link
 * LocalStore#apply}, the merge-by-version every replica write and range transfer uses) and the
 * keys it lacks or holds older (pushed with REPLICATE, which the peer applies like any replica
 * write: same epoch check, same merge). A newer tombstone beats an older value in both
 * directions, so a repair never brings a deleted key back while its tombstone lives.
 *
 * <p>The leaves found are compared once more before they are repaired, at most {@value
 * #MAX_LEAVES} of them per pass, with the flag that makes both sides index every slice of them in
 * one scan of the store (the RECONCILE_RANGEs that follow then list a slice without a scan each).
 * A periodic round ({@link Mode#ROUND}) makes that comparison after a short pause, so that writes
 * that were still on their way to one of the two owners (replication takes a round trip) are not
 * taken for divergence; a drain's proof ({@link Mode#PROOF}) does not wait, and instead compares
 * its ranges again after each repair until they are equal, up to {@value #PROOF_PASSES} times.
 *
 * <p>Over the house's ~400 lines because narrowing and repair are steps of one session, sharing
 * its epoch, peer and counts; split, each would need them passed along every step.
 *
 * <h2>Concurrency and failure</h2>
 * Runs on one Vert.x context with one request in flight at a time (local reads on a worker), so
 * its traffic is bounded by one message and paced by the node's {@link Pacer}. Every step checks
 * that the epoch is still the one it started on and fails with {@code WRONG_EPOCH} otherwise (the
 * peer refuses another epoch too), as a superseded range transfer does; a peer that does not
 * answer fails the comparison with the peer client's {@code TIMEOUT}. Nothing is retried here:
 * the next round, or the drain's next attempt, starts afresh.
 */
final class RangeComparison {

  /** Parts a differing range is cut into per narrowing step. */
  static final int FANOUT = 16;
  /** Bound on the {@code (key, version)} list of one RECONCILE_RANGE request. */
  static final int LIST_BYTES = 128 * 1024;
  /** How often a drain's proof compares its ranges again after repairing them. */
  static final int PROOF_PASSES = 5;
  /**
   * Most leaves one pass repairs: the rest waits for the next pass (a drain's proof) or round, so
   * a large divergence is repaired in bounded steps, one scan per step on each side.
   */
  static final int MAX_LEAVES = Request.DigestRanges.MAX_RANGES;
  /** Bound on RECONCILE_RANGE answers cut short ({@code more}) for one sub-range. */
  private static final int MAX_MORE = 256;

  enum Mode {
    /** Periodic or on-demand: confirm leaves after a pause, repair, compare once more. */
    ROUND,
    /** A drain's proof: repair at once, compare again until equal or out of passes. */
    PROOF
  }

  /**
   * The last comparison of one range: both digests, and whether they were equal or, in a proof,
   * settled by an exchange in which both sides listed the same live entries ({@code settled}).
   */
  record RangeResult(PositionRange range, RangeDigest local, RangeDigest remote,
      boolean settled) {
    RangeResult(PositionRange range, RangeDigest local, RangeDigest remote) {
      this(range, local, remote, false);
    }

    boolean matched() {
      return settled || local.equals(remote);
    }

    RangeResult asSettled() {
      return new RangeResult(range, local, remote, true);
    }
  }

  /**
   * What a comparison found: the final state of each range asked for (in order), how many leaves
   * differed and how many entries were repaired, both ways.
   */
  record Outcome(List<RangeResult> ranges, long mismatches, long repaired, int passes) {
    boolean matched() {
      return ranges.stream().allMatch(RangeResult::matched);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final LocalStore store;
  private final PeerClient peers;
  private final Pacer pacer;
  private final AntiEntropyStats stats;
  private final LongSupplier currentEpoch;
  private final BiPredicate<Key, Long> clearedAway;
  private final long confirmMillis;

  /**
   * @param clearedAway whether an entry of this key at this version lies below a cache clear this
   *     node applied (it must not come back through a repair, as through a replica write)
   * @param confirmMillis pause before a round compares its leaves again
   */
  RangeComparison(Vertx vertx, Context context, LocalStore store, PeerClient peers, Pacer pacer,
      AntiEntropyStats stats, LongSupplier currentEpoch, BiPredicate<Key, Long> clearedAway,
      long confirmMillis) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.peers = peers;
    this.pacer = pacer;
    this.stats = stats;
    this.currentEpoch = currentEpoch;
    this.clearedAway = clearedAway;
    this.confirmMillis = confirmMillis;
  }

  /** Compares and repairs {@code ranges} with {@code peer}; must be called on the context. */
  Future<Outcome> run(long epoch, NodeAddress peer, List<PositionRange> ranges, Mode mode) {
    return new Session(epoch, peer, mode).run(ranges);
  }

  /**
   * The parts {@code range} is narrowed into: up to {@link #FANOUT} runs of whole slices, the
   * first starting at the range's first position and the last ending at its last; none for a
   * range within one slice (a leaf).
   */
  static List<PositionRange> split(PositionRange range) {
    int from = DigestSlices.of(range.first());
    int to = DigestSlices.of(range.last());
    int slices = to - from + 1;
    if (slices == 1) {
      return List.of();
    }
    int parts = Math.min(FANOUT, slices);
    List<PositionRange> out = new ArrayList<>(parts);
    long first = range.first();
    for (int p = 1; p <= parts; p++) {
      int lastSlice = from + (int) ((long) slices * p / parts) - 1;
      long last = p == parts ? range.last() : DigestSlices.last(lastSlice);
      out.add(new PositionRange(first, last));
      first = last + 1;
    }
    return out;
  }

  private final class Session {
    private final long epoch;
    private final NodeAddress peer;
    private final Mode mode;
    private long mismatches;
    private long repaired;
    /** Whether an exchange of this pass moved anything, either way. */
    private boolean exchanged;
    /** Whether this pass found more differing leaves than it reconciles. */
    private boolean capped;

    Session(long epoch, NodeAddress peer, Mode mode) {
      this.epoch = epoch;
      this.peer = peer;
      this.mode = mode;
    }

    Future<Outcome> run(List<PositionRange> top) {
      stats.rangesCompared.add(top.size());
      return compare(top, false).compose(results -> pass(results, 1));
    }

    /** Repairs what {@code results} shows different, then compares those ranges again. */
    private Future<Outcome> pass(List<RangeResult> results, int passes) {
      List<PositionRange> differing = differing(results);
      if (differing.isEmpty()) {
        return Future.succeededFuture(new Outcome(results, mismatches, repaired, passes));
      }
      return narrow(differing, new ArrayList<>())
          .compose(found -> {
            capped = found.size() > MAX_LEAVES;
            return confirm(found);
          })
          .compose(leaves -> {
            mismatches += leaves.size();
            stats.mismatches.add(leaves.size());
            exchanged = false;
            return reconcileAll(leaves, 0);
          })
          .compose(v -> compare(differing, false))
          .compose(again -> {
            List<RangeResult> latest = again;
            if (mode == Mode.PROOF && !exchanged && !capped) {
              // Every leaf that still differed was listed on both sides with the same live
              // (key, version) pairs: what is left of the difference is entries that expired
              // and were not swept yet, which digests count and listings skip. Their contents
              // agree, so the proof holds; without this, TTL traffic kept a drain unproven
              // until its timeout.
              latest = again.stream()
                  .map(r -> r.matched() ? r : r.asSettled()).toList();
            }
            List<RangeResult> merged = withLatest(results, latest);
            if (mode == Mode.PROOF && passes < PROOF_PASSES && !differing(again).isEmpty()) {
              return pass(merged, passes + 1);
            }
            return Future.succeededFuture(new Outcome(merged, mismatches, repaired, passes));
          });
    }

    /** Down the ranges that differ, level by level, to the leaves that still differ. */
    private Future<List<PositionRange>> narrow(List<PositionRange> level,
        List<PositionRange> leaves) {
      List<PositionRange> children = new ArrayList<>();
      for (PositionRange r : level) {
        List<PositionRange> parts = split(r);
        if (parts.isEmpty()) {
          leaves.add(r);
        } else {
          children.addAll(parts);
        }
      }
      if (children.isEmpty()) {
        return Future.succeededFuture(leaves);
      }
      return compare(children, false).compose(results -> narrow(differing(results), leaves));
    }

    /**
     * The leaves (at most {@link #MAX_LEAVES}) that still differ when compared again, after a
     * pause in a round (writes in flight have landed by then); this comparison also has both
     * sides index every slice of the leaves in one scan, for the RECONCILE_RANGEs that follow.
     */
    private Future<List<PositionRange>> confirm(List<PositionRange> found) {
      if (found.isEmpty()) {
        return Future.succeededFuture(found);
      }
      List<PositionRange> leaves = found.size() > MAX_LEAVES ? found.subList(0, MAX_LEAVES) : found;
      Promise<Void> paused = Promise.promise();
      if (mode == Mode.ROUND) {
        vertx.setTimer(Math.max(1, confirmMillis),
            id -> context.runOnContext(v -> paused.complete()));
      } else {
        paused.complete();
      }
      return paused.future().compose(v -> compare(leaves, true))
          .map(results -> differing(results));
    }

    /**
     * Both digests of each range, in order: this node's read on a worker while the peer's request
     * is in flight; requests of at most {@link Request.DigestRanges#MAX_RANGES} ranges each.
     * {@code indexWhole}: both sides index every slice of the ranges first.
     */
    private Future<List<RangeResult>> compare(List<PositionRange> ranges, boolean indexWhole) {
      List<RangeResult> out = new ArrayList<>(ranges.size());
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < ranges.size(); from += Request.DigestRanges.MAX_RANGES) {
        List<PositionRange> chunk = ranges.subList(from,
            Math.min(ranges.size(), from + Request.DigestRanges.MAX_RANGES));
        chain = chain.compose(v -> compareChunk(chunk, indexWhole).map(results -> {
          out.addAll(results);
          return null;
        }));
      }
      return chain.map(v -> out);
    }

    private Future<List<RangeResult>> compareChunk(List<PositionRange> chunk,
        boolean indexWhole) {
      Future<List<RangeDigest>> local = context.executeBlocking(() -> {
        if (indexWhole) {
          RangeReads.index(store, chunk, true);
        }
        return RangeReads.digests(store, chunk);
      }, false);
      long sent = Frame.HEADER_BYTES + 5 + 16L * chunk.size();
      Future<Response> remote = send(new Request.DigestRanges(chunk, indexWhole), sent);
      return Future.all(local, remote).compose(both -> {
        Response answer = remote.result();
        if (!(answer instanceof Response.Digests d) || d.entries().size() != chunk.size()) {
          return Future.failedFuture(refusal("DIGEST_RANGES", answer));
        }
        if (local.result() == null) {
          return Future.failedFuture(new PeerException(Status.BUSY,
              "this node's slice indexes were dropped while reading; the next round retries"));
        }
        long received = Frame.HEADER_BYTES + 4 + 16L * chunk.size();
        stats.bytesReceived.add(received);
        List<RangeResult> results = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
          Response.Digests.Entry e = d.entries().get(i);
          results.add(new RangeResult(chunk.get(i), local.result().get(i),
              new RangeDigest(e.sum(), e.count())));
        }
        return pacer.pace(sent + received).map(results);
      });
    }

    private Future<Void> reconcileAll(List<PositionRange> leaves, int index) {
      if (index >= leaves.size()) {
        return Future.succeededFuture();
      }
      return reconcileLeaf(leaves.get(index)).compose(v -> reconcileAll(leaves, index + 1));
    }

    /** Lists this node's entries of {@code leaf} and reconciles them in bounded sub-ranges. */
    private Future<Void> reconcileLeaf(PositionRange leaf) {
      return versions(leaf).compose(list -> {
        List<PositionRange> parts = new ArrayList<>();
        List<List<RangeReads.Version>> lists = new ArrayList<>();
        cut(leaf, list, parts, lists);
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < parts.size(); i++) {
          PositionRange part = parts.get(i);
          List<RangeReads.Version> held = lists.get(i);
          chain = chain.compose(v -> reconcile(part, held, 0));
        }
        return chain;
      });
    }

    private Future<List<RangeReads.Version>> versions(PositionRange range) {
      return context.executeBlocking(() -> RangeReads.versions(store, range), false)
          .compose(list -> list != null ? Future.succeededFuture(list)
              : Future.failedFuture(new PeerException(Status.BUSY,
                  "this node's slice indexes were dropped while reading; the next round"
                      + " retries")));
    }

    /**
     * One RECONCILE_RANGE exchange for {@code part}: merges what the peer holds newer, pushes
     * what it wants, and goes on with a fresh list while the peer had more to send.
     */
    private Future<Void> reconcile(PositionRange part, List<RangeReads.Version> held, int more) {
      List<Request.ReconcileRange.Held> list = new ArrayList<>(held.size());
      long sent = Frame.HEADER_BYTES + 20;
      for (RangeReads.Version v : held) {
        byte[] key = v.key().bytes();
        list.add(new Request.ReconcileRange.Held(Key.ofStored(key), v.version(), v.tombstone()));
        sent += 2 + key.length + 9;
      }
      long requestBytes = sent;
      return send(new Request.ReconcileRange(part, list), requestBytes).compose(answer -> {
        if (!(answer instanceof Response.Reconciled r)) {
          return Future.failedFuture(refusal("RECONCILE_RANGE", answer));
        }
        PeerException superseded = superseded();
        if (superseded != null) {
          // A new topology came while the answer was on its way: this node may no longer own the
          // range, and an entry merged now would be an orphan nothing drops.
          return Future.failedFuture(superseded);
        }
        if (!r.wanted().isEmpty() || !r.newer().isEmpty() || r.more()) {
          exchanged = true;
        }
        long answerBytes = Frame.HEADER_BYTES + 9;
        for (Key k : r.wanted()) {
          answerBytes += 2 + k.length();
        }
        for (Request.Replicate e : r.newer()) {
          answerBytes += 2 + e.key().length() + 17 + 4 + e.value().length();
          merge(part, e);
        }
        long received = answerBytes;
        stats.bytesReceived.add(received);
        return push(r.wanted()).compose(pushed -> pacer.pace(requestBytes + received + pushed))
            .compose(v -> {
              if (!r.more() || more >= MAX_MORE) {
                return Future.succeededFuture();
              }
              return versions(part).compose(fresh -> reconcile(part, fresh, more + 1));
            });
      });
    }

    /** Merges one entry the peer holds newer, as a replica write would be. */
    private void merge(PositionRange part, Request.Replicate e) {
      if (e.version() <= 0 || !part.contains(e.key().position())
          || clearedAway.test(e.key(), e.version())) {
        return;
      }
      long ttl = e.ttlMillis() == -1 ? ReplicaEntry.NO_TTL
          : e.ttlMillis() == 0 ? ReplicaEntry.EXPIRED : e.ttlMillis();
      ReplicaEntry entry = e.tombstone() ? ReplicaEntry.tombstone(e.version(), ttl)
          : ReplicaEntry.value(e.value().getBytes(), e.version(), ttl);
      StoreResult res = store.apply(StoreKey.wrap(e.key().toBytes()), entry);
      if (res.status() == StoreStatus.OK) {
        repaired++;
        stats.entriesRepaired.increment();
      }
    }

    /** Pushes this node's entries of {@code keys} to the peer; completes with the bytes sent. */
    private Future<Long> push(List<Key> keys) {
      if (keys.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      PeerException superseded = superseded();
      if (superseded != null) {
        return Future.failedFuture(superseded);
      }
      List<Future<Response>> acks = new ArrayList<>(keys.size());
      long bytes = 0;
      // Sent in one turn: the peer client gathers them into REPLICATE_BATCH frames.
      for (Key key : keys) {
        ReplicaEntry e = store.replicaOf(StoreKey.wrap(key.toBytes()));
        if (e == null) {
          continue;
        }
        long ttl = e.ttlMillis() == ReplicaEntry.NO_TTL ? -1 : Math.max(0, e.ttlMillis());
        Request.Replicate message = new Request.Replicate(key, e.version(), ttl, e.tombstone(),
            e.tombstone() ? Buffer.buffer() : Buffer.buffer(e.value()));
        bytes += 2 + key.length() + 17 + 4 + message.value().length();
        acks.add(peers.send(peer, 0, epoch, message));
      }
      long pushed = bytes;
      stats.bytesSent.add(pushed);
      return Future.all(acks).map(all -> {
        for (Future<Response> ack : acks) {
          if (ack.result().status() == Status.OK) {
            repaired++;
            stats.entriesRepaired.increment();
          }
        }
        return pushed;
      });
    }

    private Future<Response> send(Request request, long bytes) {
      PeerException superseded = superseded();
      if (superseded != null) {
        return Future.failedFuture(superseded);
      }
      stats.bytesSent.add(bytes);
      return peers.send(peer, 0, epoch, request);
    }

    /** Why this session must stop (the node installed another epoch), or null. */
    private PeerException superseded() {
      long now = currentEpoch.getAsLong();
      return now == epoch ? null : new PeerException(Status.WRONG_EPOCH, "anti-entropy with"
          + " node '" + peer.name() + "' at epoch " + epoch + " superseded by epoch " + now);
    }

    private PeerException refusal(String what, Response answer) {
      String why = answer instanceof Response.Failure f ? f.status() + ": " + f.message()
          : "unexpected " + answer.getClass().getSimpleName();
      Status status = answer instanceof Response.Failure f ? f.status() : Status.INTERNAL;
      return new PeerException(status, "node '" + peer.name() + "' refused " + what + ": " + why);
    }
  }

  /**
   * Cuts {@code leaf} into consecutive sub-ranges whose lists stay within {@link #LIST_BYTES},
   * never between two entries at one position; {@code list} is sorted by position.
   */
  static void cut(PositionRange leaf, List<RangeReads.Version> list, List<PositionRange> parts,
      List<List<RangeReads.Version>> lists) {
    long first = leaf.first();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < list.size(); i++) {
      bytes += 2 + list.get(i).key().length() + 9;
      boolean lastOfPosition = i + 1 == list.size()
          || list.get(i + 1).position() != list.get(i).position();
      if (bytes >= LIST_BYTES && lastOfPosition && i + 1 < list.size()) {
        long last = list.get(i).position();
        parts.add(new PositionRange(first, last));
        lists.add(list.subList(from, i + 1));
        first = last + 1;
        from = i + 1;
        bytes = 0;
      }
    }
    parts.add(new PositionRange(first, leaf.last()));
    lists.add(list.subList(from, list.size()));
  }

  private static List<PositionRange> differing(List<RangeResult> results) {
    List<PositionRange> out = new ArrayList<>();
    for (RangeResult r : results) {
      if (!r.matched()) {
        out.add(r.range());
      }
    }
    return out;
  }

  /** {@code results} with the ranges compared again replaced by their new results. */
  private static List<RangeResult> withLatest(List<RangeResult> results,
      List<RangeResult> again) {
    Map<PositionRange, RangeResult> latest = new HashMap<>();
    for (RangeResult r : again) {
      latest.put(r.range(), r);
    }
    List<RangeResult> out = new ArrayList<>(results.size());
    for (RangeResult r : results) {
      out.add(latest.getOrDefault(r.range(), r));
    }
    return out;
  }
}
