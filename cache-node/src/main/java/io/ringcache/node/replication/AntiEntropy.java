package io.ringcache.node.replication;

import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.peer.BatchCounters;
import io.ringcache.node.peer.NetPeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.rebalance.HandOffCheck;
import io.ringcache.node.rebalance.HandOffProof;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.topology.Self;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's anti-entropy: every {@code anti-entropy-interval}, on demand, and once after a
 * partition heals ({@link #runAfterHeal}), it compares the digests of the ranges it is primary
 * owner of with each other owner and repairs what differs; and it proves a drain's hand-off
 * ({@link HandOffCheck}).
 *
 * <h2>Design</h2>
 * Owners keep digests per slice of a fixed partition of the ring, updated on every write, delete,
 * expiry, eviction and drop ({@link io.ringcache.node.store.DigestSlices}), so a comparison reads
 * sums instead of scanning. A round runs only on a STABLE topology with every member UP: the
 * ranges of the read ring are what both owners agree on then, and during a rebalance the
 * transfers are what moves data. For each range of the read ring whose primary is this node, the
 * node compares with each other replica ({@link #plan}); with replication factor 2 that is every
 * pair of owners, and with more every replica is compared with the primary, so repairs reach all
 * of them within two rounds. One peer at a time, one message in flight ({@link
 * RangeComparison}), paced at {@code anti-entropy-rate} bytes per second like range transfers;
 * rounds never overlap, and the next waits a full interval (with 10% jitter, so the nodes of a
 * cluster do not all compare at once).
 *
 * <h2>Failure</h2>
 * A round whose epoch changes stops at its next message (the peer refuses another epoch too); a
 * peer that does not answer within the request timeout fails that peer's comparison; either way
 * the next round starts afresh. Failures are counted and reported in the round's JSON, never
 * thrown. The slice indexes comparisons create are dropped once unused for {@link
 * #INDEX_IDLE}.
 *
 * <h2>Concurrency</h2>
 * Everything runs on one Vert.x context of its own, with its own peer connections (presenting the
 * peer secret); local reads that may scan run on a worker.
 */
public final class AntiEntropy implements HandOffCheck {

  private static final Logger LOG = Logger.getLogger(AntiEntropy.class.getName());
  /** Pause before a round compares the leaves it found different again. */
  static final long CONFIRM_MILLIS = 500;
  /** A slice index nobody read for this long is dropped. */
  static final Duration INDEX_IDLE = Duration.ofMinutes(10);
  private static final long JANITOR_MILLIS = 60_000;

  /**
   * @param interval time between two periodic rounds; zero for rounds on demand only
   * @param bytesPerSecond pace of comparisons and repairs, 0 for unlimited
   * @param localHost the node's host, which comparisons connect from when it is an IP address
   */
  public record Settings(Duration interval, long bytesPerSecond, long requestTimeoutMillis,
      String authToken, PeerSecret peerSecret, ProtocolLimits limits, NodeTls tls,
      String localHost) {}

  private final Vertx vertx;
  private final Self me;
  private final LocalStore store;
  private final TopologyHolder holder;
  private final BiPredicate<Key, Long> clearedAway;
  private final Settings settings;
  private final AntiEntropyStats stats = new AntiEntropyStats();
  private Context context;
  private NetPeerClient peers;
  private RangeComparison comparison;
  private Future<JsonObject> running;
  private long roundTimer = -1;
  private long janitorTimer = -1;
  private boolean closed;
  /** A heal asked for a round at the next topology a round can run on ({@link #runAfterHeal}). */
  private boolean healPending;

  /**
   * @param clearedAway whether an entry of this key and version lies below a cache clear this
   *     node applied; such entries are not merged from a peer
   */
  public AntiEntropy(Vertx vertx, Self me, LocalStore store, TopologyHolder holder,
      BiPredicate<Key, Long> clearedAway, Settings settings) {
    this.vertx = vertx;
    this.me = me;
    this.store = store;
    this.holder = holder;
    this.clearedAway = clearedAway;
    this.settings = settings;
  }

  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      peers = new NetPeerClient(vertx, context, new FrameCodec(settings.limits()),
          settings.requestTimeoutMillis(), new Request.Hello(FrameCodec.PROTOCOL_VERSION,
              settings.authToken(), "anti-entropy:" + me.name(), settings.peerSecret().bytes()),
          holder::epoch, settings.tls(), new BatchCounters(), settings.localHost());
      comparison = new RangeComparison(vertx, context, store, peers,
          new Pacer(vertx, settings.bytesPerSecond()), stats, holder::epoch, clearedAway,
          CONFIRM_MILLIS);
      scheduleRound();
      holder.onInstall(t -> context.runOnContext(x -> roundAfterHeal()));
      janitorTimer = vertx.setPeriodic(JANITOR_MILLIS, id -> forgetIdleIndexes());
      started.complete();
    });
    return started.future();
  }

  public Future<Void> stop() {
    if (context == null) {
      closed = true;
      return Future.succeededFuture();
    }
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      vertx.cancelTimer(roundTimer);
      vertx.cancelTimer(janitorTimer);
      peers.close().onComplete(x -> stopped.complete());
    });
    return stopped.future();
  }

  public AntiEntropyStats stats() {
    return stats;
  }

  /**
   * Runs a round now (or joins the one running) and completes with its report: the epoch, each
   * peer's ranges compared and matched, mismatches and entries repaired, or why it was skipped.
   */
  public Future<JsonObject> runNow() {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("anti-entropy has not started"));
    }
    Promise<JsonObject> done = Promise.promise();
    context.runOnContext(v -> guarded(() -> startRound("demand"), done));
    return done.future();
  }

  /**
   * Runs a round as soon as the installed topology allows one (STABLE, every member UP): this node
   * saw a majority of its cluster again after it had not, so a partition healed, and what the
   * sides hold is compared by version now rather than a whole interval later.
   */
  public void runAfterHeal() {
    if (context == null) {
      return;
    }
    context.runOnContext(v -> {
      healPending = true;
      roundAfterHeal();
    });
  }

  private void roundAfterHeal() {
    if (!healPending || closed || skipReason(holder.current()) != null) {
      return;
    }
    healPending = false;
    Promise<JsonObject> done = Promise.promise();
    guarded(() -> startRound("heal"), done);
  }

  private void scheduleRound() {
    long interval = settings.interval().toMillis();
    if (closed || interval <= 0) {
      return;
    }
    long jitter = interval / 10;
    long delay = Math.max(1, interval - jitter
        + (jitter > 0 ? ThreadLocalRandom.current().nextLong(2 * jitter + 1) : 0));
    roundTimer = vertx.setTimer(delay, id -> context.runOnContext(v -> {
      Promise<JsonObject> done = Promise.promise();
      done.future().onComplete(x -> scheduleRound());
      guarded(() -> startRound("periodic"), done);
    }));
  }

  private Future<JsonObject> startRound(String trigger) {
    if (running != null) {
      return running;
    }
    Future<JsonObject> round = round(trigger);
    running = round;
    // A round that was skipped is complete already: the handler runs at once.
    round.onComplete(x -> {
      if (running == round) {
        running = null;
      }
    });
    return round;
  }

  private void forgetIdleIndexes() {
    vertx.executeBlocking(() -> store.forgetIdleIndexes(INDEX_IDLE.toNanos()), false)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.fine(() -> "dropped " + n + " idle slice indexes");
          }
        });
  }

  private Future<JsonObject> round(String trigger) {
    Topology t = holder.current();
    long began = System.nanoTime();
    JsonObject report = new JsonObject().put("epoch", t.epoch()).put("trigger", trigger)
        .put("startedAt", Instant.now().toString());
    String skip = closed ? "the node is stopping" : skipReason(t);
    if (skip != null) {
      report.put("skipped", skip);
      stats.lastRound(report);
      return Future.succeededFuture(report);
    }
    stats.rounds.increment();
    JsonArray peersJson = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<PositionRange>> e : plan(t, me).entrySet()) {
      chain = chain.compose(v -> comparePeer(t, e.getKey(), e.getValue(), peersJson));
    }
    return chain.map(v -> {
      long ranges = 0;
      long mismatches = 0;
      long repaired = 0;
      for (Object o : peersJson) {
        JsonObject p = (JsonObject) o;
        ranges += p.getLong("ranges", 0L);
        mismatches += p.getLong("mismatches", 0L);
        repaired += p.getLong("entriesRepaired", 0L);
      }
      report.put("millis", (System.nanoTime() - began) / 1_000_000)
          .put("rangesCompared", ranges).put("mismatches", mismatches)
          .put("entriesRepaired", repaired).put("peers", peersJson);
      stats.lastRound(report);
      if (mismatches > 0 || repaired > 0) {
        NodeLog.event(LOG, Level.INFO, "anti_entropy.repaired", me.name(), t.epoch(),
            String.format("anti-entropy at epoch %d: %d ranges compared, %d mismatching, %d"
                + " entries repaired", t.epoch(), ranges, mismatches, repaired),
            "ranges", ranges, "mismatches", mismatches, "repaired", repaired);
      }
      return report;
    });
  }

  /** Compares with one peer; a failure is reported in {@code out}, never propagated. */
  private Future<Void> comparePeer(Topology t, String peer, List<PositionRange> ranges,
      JsonArray out) {
    JsonObject p = new JsonObject().put("node", peer).put("ranges", ranges.size());
    out.add(p);
    NodeAddress address = t.node(peer).orElse(null);
    if (closed || holder.epoch() != t.epoch() || address == null) {
      p.put("error", closed ? "the node is stopping" : address == null ? "no address"
          : "epoch " + t.epoch() + " superseded");
      return Future.succeededFuture();
    }
    return comparison.run(t.epoch(), address, ranges, RangeComparison.Mode.ROUND)
        .map(o -> {
          p.put("rangesMatched", o.ranges().stream().filter(RangeComparison.RangeResult::matched)
              .count()).put("mismatches", o.mismatches()).put("entriesRepaired", o.repaired());
          return (Void) null;
        })
        .recover(err -> {
          stats.failures.increment();
          p.put("error", String.valueOf(err.getMessage()));
          LOG.log(Level.FINE, "anti-entropy with " + peer + " failed: " + err.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Why no round runs on {@code t}, or null. */
  private String skipReason(Topology t) {
    if (t.epoch() == 0 || t.readRing().isEmpty()) {
      return "no topology installed";
    }
    if (t.phase() != Topology.Phase.STABLE) {
      return "a rebalance is in flight (phase " + t.phase() + ")";
    }
    for (NodeAddress n : t.nodes()) {
      if (n.state() != NodeAddress.State.UP) {
        return "node '" + n.name() + "' is " + n.state();
      }
    }
    if (!t.readRing().members().stream().anyMatch(m -> me.is(t, m.name()))) {
      return "this node owns nothing in epoch " + t.epoch();
    }
    return null;
  }

  /**
   * The ranges this node compares in a round on {@code t}, by peer: the read ring's ranges whose
   * primary is this node, with every other replica of each, contiguous ranges merged.
   */
  static Map<String, List<PositionRange>> plan(Topology t, Self me) {
    Ring ring = t.readRing();
    Map<String, List<PositionRange>> byPeer = new LinkedHashMap<>();
    int tokens = ring.tokenCount();
    for (int i = 0; i < tokens; i++) {
      long start = ring.rangeStart(i);
      long end = ring.token(i);
      if (tokens > 1 && start == end) {
        continue; // a token colliding with another one owns an empty range
      }
      List<Member> owners = ring.replicasOfToken(i, t.replicationFactor());
      if (owners.isEmpty() || !me.is(t, owners.get(0).name())) {
        continue;
      }
      for (Member m : owners.subList(1, owners.size())) {
        byPeer.computeIfAbsent(m.name(), n -> new ArrayList<>())
            .addAll(PositionRange.ofRing(start, end));
      }
    }
    byPeer.replaceAll((peer, ranges) -> merged(ranges));
    return byPeer;
  }

  /** {@code ranges} sorted, adjacent ones joined. */
  static List<PositionRange> merged(List<PositionRange> ranges) {
    List<PositionRange> sorted = new ArrayList<>(ranges);
    sorted.sort((a, b) -> Long.compare(a.first(), b.first()));
    List<PositionRange> out = new ArrayList<>();
    for (PositionRange r : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1).last() != Long.MAX_VALUE
          && out.get(out.size() - 1).last() + 1 == r.first()) {
        PositionRange prev = out.remove(out.size() - 1);
        out.add(new PositionRange(prev.first(), r.last()));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public Future<HandOffProof> prove(Topology t, Map<String, List<PositionRange>> handedOff) {
    if (context == null) {
      return Future.succeededFuture(HandOffProof.empty(t.epoch()));
    }
    Promise<HandOffProof> done = Promise.promise();
    context.runOnContext(v -> guarded(() -> proveOnContext(t, handedOff), done));
    return done.future();
  }

  /** Completes {@code done} with {@code step}'s outcome, a bug's exception included. */
  private static <T> void guarded(Supplier<Future<T>> step,
      Promise<T> done) {
    try {
      step.get().onComplete(done);
    } catch (RuntimeException e) {
      done.tryFail(e);
    }
  }

  private Future<HandOffProof> proveOnContext(Topology t,
      Map<String, List<PositionRange>> handedOff) {
    long began = System.nanoTime();
    List<HandOffProof.Item> items = new ArrayList<>();
    long[] repaired = new long[1];
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<PositionRange>> e : handedOff.entrySet()) {
      String target = e.getKey();
      List<PositionRange> ranges = e.getValue();
      chain = chain.compose(v -> {
        NodeAddress address = t.node(target).orElse(null);
        if (address == null || closed) {
          unmatched(items, target, ranges, closed ? "the node is stopping" : "no address",
              false);
          return Future.succeededFuture();
        }
        return comparison.run(t.epoch(), address, ranges, RangeComparison.Mode.PROOF)
            .map(o -> {
              repaired[0] += o.repaired();
              for (RangeComparison.RangeResult r : o.ranges()) {
                items.add(new HandOffProof.Item(target, r.range(), r.local().count(),
                    r.local().sum(), r.remote().count(), r.remote().sum(), "", false,
                    r.settled()));
              }
              return (Void) null;
            })
            .recover(err -> {
              boolean unsupported = err instanceof PeerException p
                  && p.status() == Status.UNKNOWN_OP;
              unmatched(items, target, ranges, String.valueOf(err.getMessage()), unsupported);
              return Future.succeededFuture();
            });
      });
    }
    return chain.map(v -> new HandOffProof(t.epoch(), items, repaired[0],
        (System.nanoTime() - began) / 1_000_000, 1));
  }

  private static void unmatched(List<HandOffProof.Item> items, String target,
      List<PositionRange> ranges, String why, boolean unsupported) {
    for (PositionRange r : ranges) {
      items.add(new HandOffProof.Item(target, r, 0, 0, -1, 0, why, unsupported));
    }
  }
}
