package io.ringcache.node.snapshot;

import io.netty.buffer.Unpooled;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.snapshot.SnapshotFile.Entry;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.KeyHash;
import io.ringcache.ring.Member;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One pass of a snapshot's entries into the cluster: every entry still alive goes, with its
 * version and its remaining time to live, to every write owner of one STABLE topology, this node
 * included, as a REPLICATE (the message replica writes and range transfers use).
 *
 * <h2>Design</h2>
 * The entries are writes the cluster acknowledged before it stopped; replaying them as replica
 * writes of their original versions lets the receivers merge them by version like any transfer:
 * an entry older than what an owner holds (a newer write, a tombstone) is answered STALE and
 * changes nothing. Sending to the owners of the current ring, instead of putting the entries into
 * this node's store, is what makes the replay independent of the ring: after a whole-cluster
 * restart the ring is rebuilt in join order and a key this node held may now belong to others,
 * while the rebalancer drops from this store whatever the installed topology does not give it.
 *
 * <p>The requests carry the topology's epoch, and receivers refuse another epoch, so an entry is
 * either applied under the topology it was routed by or refused; a refusal, or a new epoch seen
 * between windows, fails the pass, and the caller runs a new one on the next STABLE topology
 * (entries already applied are answered STALE the second time). Owners that are DOWN are skipped
 * by {@link Topology#writeReplicas}; the rebalance that replaces them copies from the others.
 *
 * <h2>Concurrency</h2>
 * Runs on one Vert.x context, which owns the {@link PeerClient}; blocks are read on a worker
 * thread, one at a time, and sent over {@link #LANES} lanes in windows of {@link #WINDOW}
 * entries, each acknowledged before the lane's next leaves (the peer client gathers a window
 * into REPLICATE_BATCH frames).
 */
final class SnapshotReplay {

  /** Entries per window: a lane's window is acknowledged whole before its next leaves. */
  static final int WINDOW = 256;
  /**
   * Windows in flight: a block is split into this many lanes, as range transfers do; with one
   * lane every window waited for the slowest owner's round trip while the links sat idle.
   */
  static final int LANES = 4;

  /**
   * What a finished pass did: copies sent (one per owner of each live entry), copies the owner
   * took or already held at that version, copies older than the owner's entry, entries not sent
   * because their deadline had passed, copies refused for clock offset, and key and value bytes
   * sent.
   */
  record Outcome(long sent, long applied, long stale, long expired, long refused, long bytes) {}

  private final Context context;
  private final PeerClient peers;
  private final LongSupplier currentEpoch;
  private final LongSupplier wallClock;

  SnapshotReplay(Context context, PeerClient peers, LongSupplier currentEpoch,
      LongSupplier wallClock) {
    this.context = context;
    this.peers = peers;
    this.currentEpoch = currentEpoch;
    this.wallClock = wallClock;
  }

  /** Replays {@code file} to the owners of {@code t}. Call on {@link #context}. */
  Future<Outcome> run(Path file, Topology t) {
    return context.executeBlocking(() -> SnapshotReader.open(file), false)
        .compose(reader -> {
          Counts counts = new Counts();
          return nextBlock(reader, t, counts)
              .onComplete(ar -> reader.close())
              .map(v -> counts.outcome());
        });
  }

  private Future<Void> nextBlock(SnapshotReader reader, Topology t, Counts counts) {
    return context.executeBlocking(reader::nextBlock, false).compose(block -> {
      if (block == null) {
        return Future.succeededFuture();
      }
      int laneSize = (block.size() + LANES - 1) / LANES;
      List<Future<Void>> lanes = new ArrayList<>(LANES);
      for (int from = 0; from < block.size(); from += laneSize) {
        lanes.add(window(block.subList(from, Math.min(block.size(), from + laneSize)), 0, t,
            counts));
      }
      // join, not all: a failed pass ends only once every copy in flight is answered, so the
      // next pass never overlaps it.
      return Future.join(lanes).compose(v -> nextBlock(reader, t, counts));
    });
  }

  private Future<Void> window(List<Entry> block, int from, Topology t, Counts counts) {
    if (from >= block.size()) {
      return Future.succeededFuture();
    }
    if (currentEpoch.getAsLong() != t.epoch()) {
      return Future.failedFuture(new PeerException(Status.WRONG_EPOCH, String.format(
          "replay for epoch %d superseded by epoch %d", t.epoch(), currentEpoch.getAsLong())));
    }
    int to = Math.min(block.size(), from + WINDOW);
    long now = wallClock.getAsLong();
    List<Future<Void>> acks = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Entry e = block.get(i);
      long ttl = -1;
      if (e.expireAtMillis() != 0) {
        ttl = e.expireAtMillis() - now;
        if (ttl <= 0) {
          counts.expired++;
          continue;
        }
      }
      for (Member owner : t.writeReplicas(KeyHash.of(e.key()))) {
        NodeAddress target = t.node(owner.name()).orElse(null);
        if (target == null) {
          continue;
        }
        counts.sent++;
        counts.bytes += e.key().length + (e.tombstone() ? 0 : e.value().length);
        acks.add(peers.send(target, 0, t.epoch(), message(e, ttl))
            .compose(res -> counted(res, target, counts)));
      }
    }
    return Future.join(acks).compose(v -> window(block, to, t, counts));
  }

  private static Future<Void> counted(Response res, NodeAddress target, Counts counts) {
    switch (res.status()) {
      case OK -> counts.applied++;
      case STALE -> counts.stale++;
      case CLOCK_OFFSET -> counts.refused++;
      default -> {
        String why = res instanceof Response.Failure f ? f.message() : res.status().toString();
        return Future.failedFuture(new PeerException(res.status(),
            "node '" + target.name() + "' refused a replayed entry: " + why));
      }
    }
    return Future.succeededFuture();
  }

  /** TTL on the wire: -1 for none, else the milliseconds left (a tombstone always has some). */
  private static Request.Replicate message(Entry e, long ttl) {
    Buffer value = e.tombstone() ? Buffer.buffer()
        : BufferInternal.buffer(Unpooled.wrappedBuffer(e.value()));
    return new Request.Replicate(Key.ofStored(e.key()), e.version(), ttl, e.tombstone(), value);
  }

  /** Mutable tallies of one pass; touched on the replay's context only. */
  private static final class Counts {
    long sent;
    long applied;
    long stale;
    long expired;
    long refused;
    long bytes;

    Outcome outcome() {
      return new Outcome(sent, applied, stale, expired, refused, bytes);
    }
  }
}
