package io.ringcache.node.rebalance;

import io.netty.buffer.Unpooled;
import io.ringcache.node.logging.EventThrottle;
import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.Self;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.RingDiff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Streams this node's share of one TRANSFER phase: for every range whose owners change, the first
 * owner that is not DOWN in the read ring sends every entry it holds there (value or tombstone,
 * version, remaining TTL) to each owner the write ring adds.
 *
 * <h2>Design</h2>
 * The plan is {@link RingDiff#between} the read ring (placed as it was, DOWN members included, so
 * that the owners who replace a crashed member are seen as gaining its ranges) and the write ring.
 * One scan of the store collects the keys to send (keys only, no value copied), grouped by
 * target; each entry is read again just before it is sent. Each target's keys are split into
 * {@link #LANES} lanes; a lane sends a window of {@code window} entries and the next one after
 * the previous is acknowledged, so at most {@code LANES * window} entries are in flight per target:
 * that is the flow control, and {@code bytesPerSecond} (0 = unlimited) paces the windows. A
 * window is sent in one event-loop turn, so the {@link PeerClient} gathers it into
 * REPLICATE_BATCH frames of up to 256 entries or 1 MiB each (the default window of 256 is one
 * frame) and splits the per-entry outcomes back; the receiver checks the epoch once per frame.
 * Each entry keeps its own outcome, so STALE and CLOCK_OFFSET are handled per entry exactly as
 * with one REPLICATE per entry. Requests carry the TRANSFER epoch; receivers on another epoch
 * refuse them, so a superseded transfer stops instead of writing into a topology that no longer
 * expects it.
 *
 * <p>Receivers merge by version, so a transferred entry never overwrites a newer write that
 * reached the new owner directly (writes go to old and new owners during TRANSFER), and a
 * tombstone travels like a value so a delete cannot be undone by an older copy. Sending an entry
 * twice is harmless, which makes retrying a whole target after a failure safe. After a target's
 * entries come the write-id outcomes this node holds for keys of the target's new ranges
 * (WRITE_OUTCOMES), so that a client's resend of a write the transferred entries already carry is
 * answered by the target, once it coordinates the key, instead of being applied twice. An entry the
 * target refuses with CLOCK_OFFSET (its version is further ahead of the target's clock than
 * {@code max-clock-offset}) is logged and left behind rather than failing the target.
 *
 * <h2>Concurrency</h2>
 * Runs on one Vert.x context with its own {@link PeerClient}; the scan runs on a worker thread.
 */
final class RangeTransfer {

  private static final Logger LOG = Logger.getLogger(RangeTransfer.class.getName());
  private static final EventThrottle OFFSET_LOG = new EventThrottle(10_000);
  /**
   * Windows in flight per target: its keys are split into this many lanes, each stop-and-wait.
   * With one lane every window waited a full round trip (and the receiver's merge) before the
   * next left, and the link sat idle meanwhile.
   */
  static final int LANES = 4;
  /** Write outcomes per WRITE_OUTCOMES frame: 41 bytes each, well under every frame limit. */
  static final int OUTCOMES_PER_FRAME = 256;

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final Self self;
  private final LocalStore store;
  private final WriteLog writes;
  private final PeerClient peers;
  private final RebalanceStatus status;
  private final TransferGate gate;
  private final int window;
  private final long bytesPerSecond;
  private final LongSupplier currentEpoch;
  /** When the node's outgoing budget is next free (System.nanoTime), shared by all targets. */
  private long nextFreeNanos;

  RangeTransfer(Vertx vertx, io.vertx.core.Context context, Self self, LocalStore store,
      WriteLog writes, PeerClient peers,
      RebalanceStatus status, TransferGate gate, int window, long bytesPerSecond,
      LongSupplier currentEpoch) {
    this.vertx = vertx;
    this.context = context;
    this.self = self;
    this.store = store;
    this.writes = writes;
    this.peers = peers;
    this.status = status;
    this.gate = gate;
    this.window = window;
    this.bytesPerSecond = bytesPerSecond;
    this.currentEpoch = currentEpoch;
  }

  /**
   * Ranges this node must send in {@code t}: changes where it is the first live source. A process
   * that {@code t} does not name (a restart, while {@code t} names the crashed incarnation) holds
   * none of that data and sends nothing.
   */
  static List<RingDiff.Change> outgoing(Topology t, Self self) {
    RingDiff diff = RingDiff.between(t.readRing(), t.writeRing(), t.replicationFactor());
    List<RingDiff.Change> mine = new ArrayList<>();
    for (RingDiff.Change c : diff.changes()) {
      if (c.gained().isEmpty()) {
        continue;
      }
      Member source = c.sources().stream().filter(m -> !t.isDown(m.name())).findFirst()
          .orElse(null);
      if (source != null && self.is(t, source.name())) {
        mine.add(c);
      }
    }
    return mine;
  }

  /** Sends everything this node owes in {@code t}; fails if any target could not take it. */
  Future<Void> run(Topology t) {
    List<RingDiff.Change> mine = outgoing(t, self);
    if (mine.isEmpty()) {
      status.transferStarted(0, 0);
      status.transferFinished();
      return Future.succeededFuture();
    }
    ChangeIndex index = new ChangeIndex(mine);
    status.transferStarted(mine.size(), 0);
    return vertx.executeBlocking(() -> collect(index), false).compose(byTarget -> {
      status.planned(byTarget.values().stream().mapToLong(List::size).sum());
      return send(t, byTarget, (position, target) -> {
        RingDiff.Change c = index.find(position);
        return c != null && c.gained().stream().anyMatch(m -> m.name().equals(target));
      }).onSuccess(v -> {
        for (int i = 0; i < mine.size(); i++) {
          status.rangeDone();
        }
        status.transferFinished();
      });
    });
  }

  /**
   * Sends every entry this node holds to each other live read owner of its key in {@code t}
   * (STABLE), which merges it by version: after a partition this node was on the smaller side
   * of, it may hold the only copies of keys whose every replica was there too, and the majority
   * replaced those owners without them. Resolves to the number of entries sent.
   */
  Future<Long> handBack(Topology t) {
    return vertx.executeBlocking(() -> collectAll(t), false).compose(byTarget -> {
      long entries = byTarget.values().stream().mapToLong(List::size).sum();
      return send(t, byTarget, (position, target) -> t.readReplicas(position).stream()
          .anyMatch(m -> m.name().equals(target))).map(entries);
    });
  }

  /**
   * Streams each target's keys in {@link #LANES} lanes, then the write outcomes of the keys
   * {@code sentTo} says the target received; fails when any target fails.
   */
  private Future<Void> send(Topology t, Map<String, List<Outgoing>> byTarget,
      BiPredicate<Long, String> sentTo) {
    List<Future<Void>> streams = new ArrayList<>();
    for (Map.Entry<String, List<Outgoing>> e : byTarget.entrySet()) {
      NodeAddress target = t.node(e.getKey()).orElse(null);
      if (target == null || t.isDown(target.name())) {
        continue;
      }
      List<Outgoing> items = e.getValue();
      int laneSize = (items.size() + LANES - 1) / LANES;
      // The first lane to fail stops its siblings at their next window: the rebalancer retries
      // the whole target, and lanes of a failed run must not stream beside the retry.
      Stop stop = new Stop();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int from = 0; from < items.size(); from += laneSize) {
        lanes.add(stream(t.epoch(), target,
            items.subList(from, Math.min(items.size(), from + laneSize)), 0, stop)
            .onFailure(err -> stop.cause = err));
      }
      streams.add(Future.all(lanes).compose(v -> sendOutcomes(t.epoch(), target, sentTo)));
    }
    return Future.all(streams).mapEmpty();
  }

  /**
   * After a target's entries: the write outcomes this node holds for keys the target received,
   * so that the target, once it coordinates those keys, answers a client's resend of a write
   * whose effect came with a transferred entry instead of applying it again. Collected after the
   * entries were read, so every write an entry carried was recorded by then (an owner records a
   * write's outcome as it applies it). A target that does not know WRITE_OUTCOMES (an older
   * version, during a rolling upgrade) is skipped: it simply lacks the records, as before.
   */
  private Future<Void> sendOutcomes(long epoch, NodeAddress target,
      BiPredicate<Long, String> sentTo) {
    return vertx.executeBlocking(() -> outcomesFor(target.name(), sentTo), false)
        .compose(logged -> sendOutcomes(epoch, target, logged, 0));
  }

  private List<Request.LoggedWrite> outcomesFor(String target, BiPredicate<Long, String> sentTo) {
    List<Request.LoggedWrite> logged = new ArrayList<>();
    writes.forEach((id, o) -> {
      if (sentTo.test(o.position(), target)) {
        logged.add(new Request.LoggedWrite(id, o.position(), o.kind(), o.version(), o.counter()));
      }
    });
    return logged;
  }

  private Future<Void> sendOutcomes(long epoch, NodeAddress target,
      List<Request.LoggedWrite> logged, int from) {
    if (from >= logged.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(logged.size(), from + OUTCOMES_PER_FRAME);
    Request.WriteOutcomes message = new Request.WriteOutcomes(logged.subList(from, to));
    return peers.send(target, 0, epoch, message).compose(res -> {
      if (res.status() == Status.UNKNOWN_OP) {
        return Future.succeededFuture();
      }
      if (res.status() != Status.OK) {
        String why = res instanceof Response.Failure f ? f.message() : res.status().toString();
        return Future.failedFuture(new PeerException(res.status(), "node '" + target.name()
            + "' refused the write outcomes of a transfer: " + why));
      }
      return sendOutcomes(epoch, target, logged, to);
    });
  }

  /**
   * A key to send. The entry is read again from the store right before sending: a snapshot taken
   * at scan time could be older than a delete acknowledged since, whose tombstone on the receiver
   * may have expired by the time a slow transfer gets there; the source (an old owner) received
   * that delete too and now holds the tombstone, or nothing.
   */
  private record Outgoing(StoreKey key) {}

  private Map<String, List<Outgoing>> collect(ChangeIndex index) {
    Map<String, List<Outgoing>> byTarget = new LinkedHashMap<>();
    store.forEachKey((key, position) -> {
      RingDiff.Change c = index.find(position);
      if (c == null) {
        return;
      }
      for (Member target : c.gained()) {
        byTarget.computeIfAbsent(target.name(), n -> new ArrayList<>()).add(new Outgoing(key));
      }
    });
    return byTarget;
  }

  private Map<String, List<Outgoing>> collectAll(Topology t) {
    Map<String, List<Outgoing>> byTarget = new LinkedHashMap<>();
    store.forEachKey((key, position) -> {
      for (Member owner : t.readReplicas(position)) {
        if (!owner.name().equals(self.name())) {
          byTarget.computeIfAbsent(owner.name(), n -> new ArrayList<>()).add(new Outgoing(key));
        }
      }
    });
    return byTarget;
  }

  /** Set by the first lane of a target that fails; read by its siblings. On one context. */
  private static final class Stop {
    Throwable cause;
  }

  /** Sends {@code items} from {@code from} on, one window at a time, until done or stopped. */
  private Future<Void> stream(long epoch, NodeAddress target, List<Outgoing> items, int from,
      Stop stop) {
    if (from >= items.size()) {
      return Future.succeededFuture();
    }
    if (stop.cause != null) {
      return Future.failedFuture(new PeerException(Status.UNAVAILABLE,
          "transfer to node '" + target.name() + "' stopped: another lane failed: "
              + stop.cause.getMessage()));
    }
    if (currentEpoch.getAsLong() != epoch) {
      return Future.failedFuture(new PeerException(Status.WRONG_EPOCH,
          "transfer of epoch " + epoch + " superseded by epoch " + currentEpoch.getAsLong()));
    }
    return gate.pass(context).compose(v -> {
      int to = Math.min(items.size(), from + window);
      long bytes = 0;
      List<Future<Void>> acks = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        Outgoing o = items.get(i);
        ReplicaEntry current = store.replicaOf(o.key());
        if (current == null) {
          continue;
        }
        Request.Replicate message = toMessage(o.key(), current);
        bytes += o.key().length() + message.value().length();
        acks.add(peers.send(target, 0, epoch, message).compose(res -> {
          // STALE: the target holds a newer entry for the key, which is all a transfer needs.
          if (res.status() == Status.OK || res.status() == Status.STALE) {
            return Future.succeededFuture();
          }
          String why = res instanceof Response.Failure f ? f.message() : res.status().toString();
          if (res.status() == Status.CLOCK_OFFSET) {
            refusedForOffset(target, why);
            return Future.succeededFuture();
          }
          return Future.failedFuture(new PeerException(res.status(), "node '" + target.name()
              + "' refused a transferred entry: " + why));
        }));
      }
      long windowBytes = bytes;
      int sent = acks.size();
      return Future.all(acks).compose(x -> {
        status.sent(sent, windowBytes);
        return pace(windowBytes);
      }).compose(x -> stream(epoch, target, items, to, stop));
    });
  }

  /**
   * A target refused an entry whose version lies too far ahead of its clock. Resending cannot
   * help while the offset lasts, and retrying the whole target would stall the rebalance on one
   * entry, so the entry is left behind (the target keeps whatever it has for that key) and the
   * transfer goes on.
   */
  private void refusedForOffset(NodeAddress target, String why) {
    long held = OFFSET_LOG.pass();
    if (held >= 0) {
      NodeLog.event(LOG, Level.WARNING, "transfer.entry_refused", self.name(),
          currentEpoch.getAsLong(),
          "node '" + target.name() + "' refused a transferred entry: " + why + " (" + held
              + " more since the last report); the entry is not transferred",
          "target", target.name(), "held_back", held);
    }
  }

  private static Request.Replicate toMessage(StoreKey key, ReplicaEntry e) {
    long ttl = e.ttlMillis() == ReplicaEntry.NO_TTL ? -1 : Math.max(0, e.ttlMillis());
    // Both arrays are fresh copies (StoreKey.bytes, replicaOf): wrapped, not copied again.
    return new Request.Replicate(Key.ofStored(key.bytes()), e.version(), ttl, e.tombstone(),
        e.tombstone() ? Buffer.buffer()
            : BufferInternal.buffer(Unpooled.wrappedBuffer(e.value())));
  }

  /**
   * Waits, without blocking, so that this node's windows to all targets together respect
   * {@code bytesPerSecond}: each window books its bytes' worth of time on one shared schedule.
   */
  private Future<Void> pace(long bytes) {
    if (bytesPerSecond <= 0) {
      return Future.succeededFuture();
    }
    long now = System.nanoTime();
    nextFreeNanos = Math.max(now, nextFreeNanos) + bytes * 1_000_000_000L / bytesPerSecond;
    long waitMillis = (nextFreeNanos - now) / 1_000_000;
    if (waitMillis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(waitMillis, id -> p.complete());
    return p.future();
  }

  /** The outgoing changes by position: non-wrapping ones by binary search on their ends. */
  private static final class ChangeIndex {
    private final RingDiff.Change[] sorted;
    private final long[] ends;
    private final List<RingDiff.Change> wrapping = new ArrayList<>();

    ChangeIndex(List<RingDiff.Change> changes) {
      List<RingDiff.Change> straight = new ArrayList<>();
      for (RingDiff.Change c : changes) {
        if (c.start() < c.end()) {
          straight.add(c);
        } else {
          wrapping.add(c);
        }
      }
      straight.sort((a, b) -> Long.compare(a.end(), b.end()));
      sorted = straight.toArray(new RingDiff.Change[0]);
      ends = new long[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        ends[i] = sorted[i].end();
      }
    }

    RingDiff.Change find(long position) {
      for (RingDiff.Change c : wrapping) {
        if (c.contains(position)) {
          return c;
        }
      }
      int lo = 0;
      int hi = ends.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ends[mid] < position) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo < sorted.length && sorted[lo].contains(position) ? sorted[lo] : null;
    }
  }
}
