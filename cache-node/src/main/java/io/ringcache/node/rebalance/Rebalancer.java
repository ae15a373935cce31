package io.ringcache.node.rebalance;

import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.peer.BatchCounters;
import io.ringcache.node.peer.NetPeerClient;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.ProgressBoard;
import io.ringcache.node.topology.Self;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's part in every rebalance: reports what it installed, streams its ranges during
 * TRANSFER, drops what it no longer owns once STABLE (after a partition heal, only once it has
 * handed everything back: {@link HealHandBack}), and finishes a drain when a STABLE topology no
 * longer holds it.
 *
 * <h2>Drain proof</h2>
 * A draining node reports its transfers done only once {@link HandOffCheck} proved them: every
 * target's digest of every range the node sent equals its own. Until then the coordinator holds
 * the rebalance in TRANSFER, where writes still reach both the leaver and the targets, so the two
 * digests can agree; ranges that still differ are compared again every second. (The proof's
 * steps live here, beside the report they gate, which takes the class a little over ~400 lines.)
 *
 * <h2>Failure</h2>
 * A transfer that fails while its epoch is still current is retried whole after a second (merge by
 * version makes resending harmless); one whose epoch was superseded is abandoned, because the new
 * topology brings a new plan. Dropping unowned entries asks the topology installed at the moment
 * of each removal, so entries a newer rebalance is bringing here are never dropped.
 */
public final class Rebalancer {

  private static final Logger LOG = Logger.getLogger(Rebalancer.class.getName());
  private static final long PROGRESS_LOG_MILLIS = 5_000;
  private static final long REPORT_MILLIS = 1000;
  private static final long RETRY_MILLIS = 1000;

  /**
   * Transfer tuning. {@code window}: entries in flight per target; 0 bytes/s = unlimited; {@code
   * peerSecret}: presented in HELLO so that targets serve the transfer; {@code tls}: how the
   * targets' client ports are reached; {@code localHost}: the node's host, which transfers
   * connect from when it is an IP address ({@link io.ringcache.node.cluster.SourceAddress}).
   */
  public record Settings(int window, long bytesPerSecond, long requestTimeoutMillis,
      String authToken, PeerSecret peerSecret, ProtocolLimits limits, NodeTls tls,
      String localHost) {}

  private final Vertx vertx;
  private final String self;
  private final LocalStore store;
  /** Outcomes of writes with a write id; a transfer carries those of the keys it sends. */
  private final WriteLog writes;
  private final TopologyHolder holder;
  private final ProgressBoard board;
  private final Settings settings;
  private final String incarnation;
  /** This process: which topology members are this node ({@link Self}). */
  private final Self me;
  private final Supplier<Map<String, String>> liveMembers;
  private final Executor maintenance;
  private final List<Context> serverContexts;
  private final HandOffCheck handOff;
  /** A TRANSFER whose streams wait until every live member installed it. */
  private Topology waitingTransfer;
  private long loggedWait;
  private final RebalanceStatus status = new RebalanceStatus();
  private final TransferGate gate = new TransferGate();
  private final Promise<Void> drained = Promise.promise();
  private Context context;
  private NetPeerClient peers;
  private RangeTransfer transfer;
  /** Set on start; what a heal asks of this node before it drops anything ({@link #healed}). */
  private volatile HealHandBack handBack;
  private long reportTimer = -1;
  private volatile long installed;
  private volatile long transferred;
  private volatile boolean draining;
  private boolean closed;

  /**
   * @param incarnation this process's identity in the cluster (its Hazelcast member UUID)
   * @param serverContexts the event loops that route requests by the installed topology
   * @param liveMembers the cluster's live members, {@code name -> incarnation}, this node included
   * @param handOff how a draining node proves its hand-off before it reports its transfers done
   */
  public Rebalancer(Vertx vertx, String self, String incarnation, LocalStore store,
      WriteLog writes, TopologyHolder holder, ProgressBoard board, Settings settings,
      Executor maintenance, List<Context> serverContexts,
      Supplier<Map<String, String>> liveMembers, HandOffCheck handOff) {
    this.handOff = handOff;
    this.incarnation = incarnation;
    this.me = new Self(self, incarnation);
    this.liveMembers = liveMembers;
    this.maintenance = maintenance;
    this.serverContexts = serverContexts;
    this.vertx = vertx;
    this.self = self;
    this.store = store;
    this.writes = writes;
    this.holder = holder;
    this.board = board;
    this.settings = settings;
  }

  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      peers = new NetPeerClient(vertx, context, new FrameCodec(settings.limits()),
          settings.requestTimeoutMillis(), new Request.Hello(FrameCodec.PROTOCOL_VERSION,
              settings.authToken(), "transfer:" + self, settings.peerSecret().bytes()),
          holder::epoch, settings.tls(), new BatchCounters(), settings.localHost());
      transfer = new RangeTransfer(vertx, context, me, store, writes, peers, status, gate,
          settings.window(),
          settings.bytesPerSecond(), holder::epoch);
      handBack = new HealHandBack(vertx, context, self, holder, transfer, this::dropUnowned);
      holder.onInstall(t -> context.runOnContext(x -> onInstall(t)));
      reportTimer = vertx.setPeriodic(REPORT_MILLIS, id -> {
        report();
        checkDrained(holder.current());
        startWaitingTransfer();
      });
      board.onChange(() -> context.runOnContext(x -> {
        checkDrained(holder.current());
        startWaitingTransfer();
      }));
      onInstall(holder.current());
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
      handBack.close();
      vertx.cancelTimer(reportTimer);
      gate.open();
      peers.close().onComplete(x -> stopped.complete());
    });
    return stopped.future();
  }

  /**
   * Asks the coordinator to move this node's ranges away. Completes when a STABLE topology
   * without this node is installed.
   */
  public Future<Void> drain() {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("the rebalancer has not started"));
    }
    context.runOnContext(v -> {
      if (!draining) {
        draining = true;
        NodeLog.event(LOG, Level.INFO, "drain.started", self, holder.epoch(),
            "node '" + self + "' drains: asking for a rebalance without it");
        report();
      }
      checkDrained(holder.current());
    });
    return drained.future();
  }

  /**
   * This node sees a majority again after it had not (a partition it was on the smaller side of
   * healed): it hands what it holds back to the current owners before it drops anything ({@link
   * HealHandBack}). Ignored before {@link #start()}.
   */
  public void healed() {
    HealHandBack h = handBack;
    if (h != null) {
      h.healed();
    }
  }

  public boolean draining() {
    return draining;
  }

  public RebalanceStatus status() {
    return status;
  }

  public TransferGate gate() {
    return gate;
  }

  private void report() {
    if (!closed) {
      board.publish(new ProgressBoard.Report(self, incarnation, installed, transferred,
          draining));
    }
  }

  private void onInstall(Topology t) {
    if (closed || t.epoch() < holder.epoch() || t.epoch() <= installed) {
      return;
    }
    // Barrier: a request routed by an older topology is served within one task on a server
    // event loop (route, apply, send to replicas). Once a task queued now has run on every
    // such loop, no older-epoch write can still land here, so a transfer scan that starts
    // after everyone reported this epoch sees every write acknowledged before it.
    List<Future<Void>> passes = new ArrayList<>();
    for (Context c : serverContexts) {
      Promise<Void> passed = Promise.promise();
      c.runOnContext(v -> passed.complete());
      passes.add(passed.future());
    }
    Future.join(passes).onComplete(ar -> context.runOnContext(v -> installed(t)));
  }

  private void installed(Topology t) {
    if (closed || t.epoch() < holder.epoch() || t.epoch() <= installed) {
      return;
    }
    installed = t.epoch();
    status.installed(t.epoch(), t.phase().name());
    report();
    switch (t.phase()) {
      case TRANSFER -> {
        waitingTransfer = t;
        startWaitingTransfer();
      }
      case STABLE -> {
        handBack.tryRun(t);
        dropUnowned(t);
        checkDrained(t);
      }
      case SWITCH -> { }
    }
  }

  /**
   * Starts the waiting TRANSFER once every live member reported it installed: then no member can
   * still acknowledge a write routed by an older owner set, and every receiver accepts the
   * stream's epoch.
   */
  private void startWaitingTransfer() {
    Topology t = waitingTransfer;
    if (t == null || closed) {
      return;
    }
    if (holder.epoch() != t.epoch()) {
      waitingTransfer = null;
      return;
    }
    for (Map.Entry<String, String> member : liveMembers.get().entrySet()) {
      if (board.installed(member.getKey(), member.getValue()) < t.epoch()) {
        if (loggedWait != t.epoch()) {
          loggedWait = t.epoch();
          LOG.info(() -> String.format("node '%s' holds its transfers for epoch %d until '%s'"
              + " (incarnation %s) reports it installed", self, t.epoch(), member.getKey(),
              member.getValue()));
        }
        return;
      }
    }
    waitingTransfer = null;
    startTransfer(t);
  }

  private void startTransfer(Topology t) {
    if (closed || holder.epoch() != t.epoch()) {
      return;
    }
    long began = System.nanoTime();
    NodeLog.event(LOG, Level.INFO, "rebalance.started", self, t.epoch(),
        String.format("node '%s' starts its transfers for epoch %d", self, t.epoch()));
    long progressTimer = vertx.setPeriodic(PROGRESS_LOG_MILLIS, id -> logProgress(t.epoch()));
    transfer.run(t).onComplete(ar -> {
      vertx.cancelTimer(progressTimer);
      if (holder.epoch() != t.epoch() || closed) {
        return;
      }
      if (ar.succeeded()) {
        JsonObject done = status.json();
        long millis = (System.nanoTime() - began) / 1_000_000;
        NodeLog.event(LOG, Level.INFO, "rebalance.finished", self, t.epoch(),
            String.format("node '%s' finished its transfers for epoch %d: %d entries, %d bytes"
                + " in %d ms", self, t.epoch(), done.getLong("outgoingEntriesSent"),
                done.getLong("outgoingBytesSent"), millis),
            "entries", done.getLong("outgoingEntriesSent"),
            "bytes", done.getLong("outgoingBytesSent"), "millis", millis);
        if (leaving(t)) {
          prove(t, HandOffProof.handedOff(t, RangeTransfer.outgoing(t, me)), null);
        } else {
          transferred = t.epoch();
          report();
        }
      } else {
        status.failed(String.valueOf(ar.cause().getMessage()));
        LOG.log(Level.WARNING, String.format("transfer for epoch %d failed (%s); retrying",
            t.epoch(), ar.cause().getMessage()));
        vertx.setTimer(RETRY_MILLIS, id -> context.runOnContext(x -> startTransfer(t)));
      }
    });
  }

  /** Whether this node drains and {@code t} hands all its ranges away. */
  private boolean leaving(Topology t) {
    return draining && !t.writeRing().members().stream().anyMatch(m -> me.is(t, m.name()));
  }

  /**
   * A draining node's proof of its hand-off: the targets' digests of the ranges it sent must
   * equal its own (what it sent, plus the writes since, which reached both). Only then does it
   * report its transfers done, so the rebalance cannot reach SWITCH, nor the drain end, before
   * the proof holds; ranges whose digests still differ after the comparison's repairs are
   * compared again every second until they match or the epoch changes (the drain timeout bounds
   * the wait).
   */
  private void prove(Topology t, Map<String, List<PositionRange>> ranges,
      HandOffProof previous) {
    if (closed || holder.epoch() != t.epoch()) {
      return;
    }
    handOff.prove(t, ranges).onComplete(ar -> context.runOnContext(v -> {
      if (closed || holder.epoch() != t.epoch()) {
        return;
      }
      HandOffProof proof = ar.succeeded()
          ? (previous == null ? ar.result() : previous.with(ar.result()))
          : previous;
      if (proof == null) {
        LOG.warning(() -> "hand-off proof for epoch " + t.epoch() + " failed ("
            + ar.cause().getMessage() + "); retrying");
        vertx.setTimer(RETRY_MILLIS, id -> context.runOnContext(x -> prove(t, ranges, null)));
        return;
      }
      JsonObject json = proof.json();
      status.proof(json);
      if (proof.proven()) {
        NodeLog.event(LOG, Level.INFO, "drain.proof", self, t.epoch(), String.format(
            "node '%s' proved its hand-off for epoch %d (%s): %d ranges, %d entries, digest %s,"
                + " %d/%d (range, target) digests matched, %d entries repaired, %d attempts%s",
            self, t.epoch(), json.getString("status"), proof.ranges(), proof.entries(),
            proof.digest(), proof.matchedItems(), proof.items().size(), proof.repaired(),
            proof.attempts(), proof.matchedItems() == proof.items().size() ? ""
                : "; the rest are on nodes of a release without range digests"),
            "status", json.getString("status"), "ranges", proof.ranges(),
            "entries", proof.entries(), "digest", proof.digest(), "matched", proof.matchedItems(),
            "pairs", proof.items().size(), "repaired", proof.repaired(),
            "attempts", proof.attempts());
        transferred = t.epoch();
        report();
        return;
      }
      Map<String, List<PositionRange>> again = proof.unmatched();
      NodeLog.event(LOG, Level.WARNING, "drain.proof_mismatch", self, t.epoch(), String.format(
          "node '%s' could not prove its hand-off for epoch %d yet: %d of %d (range, target)"
              + " digests differ (%s); comparing them again", self, t.epoch(),
          proof.items().size() - proof.matchedItems(), proof.items().size(),
          json.getJsonArray("targets").encode()),
          "unmatched", proof.items().size() - proof.matchedItems(),
          "pairs", proof.items().size());
      vertx.setTimer(RETRY_MILLIS, id -> context.runOnContext(x -> prove(t, again, proof)));
    }));
  }

  private void logProgress(long epoch) {
    JsonObject p = status.json();
    NodeLog.event(LOG, Level.INFO, "rebalance.progress", self, epoch,
        String.format("node '%s' transfer for epoch %d: %d/%d ranges, %d/%d entries, %d bytes",
            self, epoch, p.getInteger("outgoingRangesDone"), p.getInteger("outgoingRanges"),
            p.getLong("outgoingEntriesSent"), p.getLong("outgoingEntries"),
            p.getLong("outgoingBytesSent")),
        "rangesDone", p.getInteger("outgoingRangesDone"), "ranges", p.getInteger("outgoingRanges"),
        "entriesSent", p.getLong("outgoingEntriesSent"), "entries", p.getLong("outgoingEntries"),
        "bytes", p.getLong("outgoingBytesSent"));
  }

  private void dropUnowned(Topology t) {
    if (t.readRing().isEmpty() || t.phase() != Topology.Phase.STABLE || handBack.pending()) {
      return;
    }
    try {
      maintenance.execute(() -> {
        if (handBack.pending()) {
          return;
        }
        long count = store.removeIf(position -> !owns(holder.current(), position));
        status.dropped(count);
        if (count > 0) {
          LOG.info(() -> String.format("node '%s' dropped %d entries it no longer owns (epoch %d)",
              self, count, t.epoch()));
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.fine("node is closing: unowned entries are not dropped");
    }
  }

  /** Whether this node holds {@code position} in any ring of {@code t}. */
  private boolean owns(Topology t, long position) {
    return contains(t, t.placedReadReplicas(position))
        || (!t.writeRing().isEmpty() && t.phase() != Topology.Phase.STABLE
            && contains(t, t.writeRing().replicas(position, t.replicationFactor())));
  }

  private boolean contains(Topology t, List<Member> members) {
    for (Member m : members) {
      if (me.is(t, m.name())) {
        return true;
      }
    }
    return false;
  }

  private void checkDrained(Topology t) {
    if (!draining || drained.future().isComplete()) {
      return;
    }
    if (t.phase() == Topology.Phase.STABLE && t.epoch() > 0 && !t.readRing().contains(self)) {
      NodeLog.event(LOG, Level.INFO, "drain.finished", self, t.epoch(), "node '" + self
          + "' drained: epoch " + t.epoch() + " is STABLE without it");
      drained.tryComplete();
      return;
    }
    // The whole cluster is stopping: nobody is left to take the data, so waiting would only run
    // the drain timeout out on every node.
    Map<String, String> live = liveMembers.get();
    if (board.draining(live).containsAll(live.keySet())) {
      LOG.warning(() -> "node '" + self + "' stops without handing over: every live member"
          + " is draining");
      drained.tryComplete();
    }
  }
}
