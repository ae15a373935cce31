package io.ringcache.node.server;

import io.ringcache.node.caches.CacheServices;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes one decoded request on this node: a small dispatcher over one class per operation
 * family, which every front-end (binary protocol, HTTP, RESP) calls.
 *
 * <h2>Where an operation's path lives</h2>
 * <ul>
 *   <li>{@link ReadPath}: GET, from this node's store or forwarded to the key's primary.
 *   <li>{@link WritePath}: SET, CAS, DELETE, INCREMENT on the coordinating owner (the first write
 *       owner), with write ids answered once.
 *   <li>{@link ReplicaFanOut}: a write's replication to the other write owners, across topology
 *       changes and the re-stamps a replica's STALE calls for.
 *   <li>{@link ReplicaApply}: REPLICATE and REPLICATE_BATCH on the receiving owner.
 *   <li>{@link RangeRepairPath}: DIGEST_RANGES and RECONCILE_RANGE, anti-entropy's answers.
 *   <li>{@link MultiKeyPath}: MULTI_GET and MULTI_SET, scattered per owner and gathered.
 *   <li>{@link Forwarding}: a request this node does not coordinate, sent on once to its owner.
 * </ul>
 * Each request is routed by one snapshot of the installed topology; every answer carries the
 * answering node's epoch (written by the connection), so a client behind it refreshes. "This
 * node" is this process, not only this name ({@link io.ringcache.node.topology.Self}): a node
 * restarted under its old name owns nothing until a topology names its new incarnation.
 *
 * <h2>Concurrency</h2>
 * One router per event loop, used only from it, with its own {@link PeerClient}. The store and
 * topology holder are shared and thread-safe.
 */
final class RequestRouter {

  private final RouteContext ctx;
  private final StatsReport report;
  private final ServerMetrics metrics;
  private final ReadPath reads;
  private final WritePath writes;
  private final MultiKeyPath multiKey;
  private final ReplicaApply replicas;
  private final CachePath cacheOps;
  private final LeasePath leases;
  private final RangeRepairPath rangeRepair;

  RequestRouter(ServerSettings settings, LocalStore store, WriteLog writes, TopologyHolder topology,
      PeerClient peers, NodeStats stats, StatsReport report, ServerMetrics metrics) {
    this(settings, store, writes, topology, peers, stats, report, metrics, new ReplicaFaults());
  }

  RequestRouter(ServerSettings settings, LocalStore store, WriteLog writes, TopologyHolder topology,
      PeerClient peers, NodeStats stats, StatsReport report, ServerMetrics metrics,
      ReplicaFaults faults) {
    this(settings, store, writes, topology, peers, stats, report, metrics, faults,
        CacheServices.standalone());
  }

  RequestRouter(ServerSettings settings, LocalStore store, WriteLog writes, TopologyHolder topology,
      PeerClient peers, NodeStats stats, StatsReport report, ServerMetrics metrics,
      ReplicaFaults faults, CacheServices caches) {
    this.ctx = new RouteContext(settings, store, writes, topology, peers, stats,
        new TopologyWaits(Vertx.currentContext(), topology), faults, caches);
    this.report = report;
    this.metrics = metrics;
    Forwarding forwarding = new Forwarding(ctx);
    ReplicaFanOut fanOut = new ReplicaFanOut(ctx);
    this.reads = new ReadPath(ctx, forwarding);
    this.writes = new WritePath(ctx, forwarding, fanOut);
    this.multiKey = new MultiKeyPath(ctx, reads, forwarding, fanOut);
    this.replicas = new ReplicaApply(ctx);
    this.cacheOps = new CachePath(ctx);
    this.leases = new LeasePath(ctx, forwarding);
    this.rangeRepair = new RangeRepairPath(ctx, Vertx.currentContext());
  }

  /**
   * Live entries of {@code cache} in the whole cluster: every member's count of the keys it is
   * primary owner of, taken at one epoch (for the HTTP API; clients ask each node themselves).
   */
  Future<Long> cacheSize(String cache) {
    return cacheOps.clusterSize(cache, 3);
  }

  /** Named caches' services, for the connection's SUBSCRIBE. */
  CacheServices caches() {
    return ctx.caches;
  }

  /**
   * Serves {@code request} that arrived with header {@code flags} and the sender's {@code epoch},
   * and reports its latency and outcome to the metrics. Never throws.
   */
  Future<Response> handle(Request request, int flags, long epoch) {
    long start = System.nanoTime();
    Future<Response> answer = route(request, flags, epoch);
    if (answer.isComplete()) {
      // Most answers (local reads, failures found on the spot) are ready now: no callback.
      served(request, answer, start);
      return answer;
    }
    return answer.onComplete(ar -> served(request, answer, start));
  }

  private void served(Request request, Future<Response> answer, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    metrics.requestServed(request.opcode(),
        answer.succeeded() ? answer.result().status() : statusOf(answer.cause()), nanos);
    ctx.stats.latency.record(nanos);
  }

  /** The {@link #clusterStats} round out now, shared by its callers; on this router's loop. */
  private Future<JsonObject> clusterStatsInFlight;

  /**
   * Every member's {@code /v1/stats} JSON, by member name in topology order, for the admin
   * console: this node's own, the others' asked over the peer connections (STATS). A member that
   * does not answer appears as {@code {"node":..,"error":..}}; the future never fails. Callers
   * that ask while a round is out share it: however often clients poll, this loop has at most
   * one STATS per member in flight, each bounded by the peer request timeout.
   */
  Future<JsonObject> clusterStats() {
    Future<JsonObject> round = clusterStatsInFlight;
    if (round == null) {
      round = askClusterStats();
      if (!round.isComplete()) {
        clusterStatsInFlight = round;
        round.onComplete(done -> clusterStatsInFlight = null);
      }
    }
    return round;
  }

  private Future<JsonObject> askClusterStats() {
    Topology t = ctx.topology.current();
    List<String> names = new ArrayList<>();
    List<Future<Response>> answers = new ArrayList<>();
    for (NodeAddress a : t.nodes()) {
      names.add(a.name());
      answers.add(ctx.self.is(t, a.name())
          ? Future.succeededFuture(new Response.Stats(report.json().encode()))
          : t.isDown(a.name()) ? Future.failedFuture("down")
          : ctx.peers.send(a, 0, t.epoch(), new Request.GetStats()));
    }
    return Future.join(answers).transform(done -> {
      JsonObject out = new JsonObject();
      for (int i = 0; i < names.size(); i++) {
        Future<Response> f = answers.get(i);
        if (f.succeeded() && f.result() instanceof Response.Stats s) {
          out.put(names.get(i), new JsonObject(s.json()));
        } else {
          out.put(names.get(i), new JsonObject().put("node", names.get(i)).put("error",
              f.failed() ? String.valueOf(f.cause().getMessage()) : f.result().status().name()));
        }
      }
      return Future.succeededFuture(new JsonObject().put("epoch", t.epoch()).put("nodes", out));
    });
  }

  private Future<Response> route(Request request, int flags, long epoch) {
    ctx.stats.requests.increment();
    if (Flags.isSet(flags, Flags.FORWARDED)) {
      ctx.stats.forwardedIn.increment();
    }
    try {
      if (mutates(request.opcode())) {
        String noQuorum = ctx.topology.guard().refusal();
        if (noQuorum != null) {
          return Future.succeededFuture(new Response.Failure(Status.NO_QUORUM, noQuorum));
        }
      }
      Future<Response> refused = cacheOps.check(request);
      if (refused != null) {
        // An unknown cache resolves first (one cluster-state read), then routes again.
        return refused == CachePath.RESOLVED_LATER
            ? cacheOps.resolveThen(request, () -> route(request, flags, epoch)) : refused;
      }
      return switch (request.opcode()) {
        case GET -> {
          long access = cacheOps.accessTtl(((Request.Get) request).key());
          yield access == CachePath.NO_ACCESS_EXPIRY ? reads.get((Request.Get) request, flags)
              : writes.getTouch(new Request.GetTouch(((Request.Get) request).key(), access,
                  WriteId.NONE), flags);
        }
        case GET_TOUCH -> writes.getTouch((Request.GetTouch) request, flags);
        case PUT_IF_VERSION -> writes.putIfVersion((Request.PutIfVersion) request, flags);
        case LEASE -> leases.lease((Request.Lease) request, flags);
        case DELETE_IF -> writes.deleteIf((Request.DeleteIf) request, flags);
        case CACHE_ADMIN -> cacheOps.admin((Request.CacheAdmin) request);
        case CACHE_SIZE -> cacheOps.size((Request.CacheSize) request);
        case CACHE_CLEAR -> cacheOps.clear((Request.CacheClear) request);
        case CLEAR_PEER -> cacheOps.clearPeer((Request.ClearPeer) request);
        case CACHE_SCAN -> cacheOps.scan((Request.CacheScan) request, flags);
        case SUBSCRIBE, EVENT -> Future.succeededFuture(new Response.Failure(Status.BAD_REQUEST,
            request.opcode() + " is served by the connection, not routed"));
        case SET -> writes.set((Request.Set) request, flags);
        case CAS -> writes.cas((Request.Cas) request, flags);
        case DELETE -> writes.delete((Request.Delete) request, flags);
        case INCREMENT -> writes.increment((Request.Increment) request, flags);
        case MULTI_GET -> multiKey.multiGet((Request.MultiGet) request, flags);
        case MULTI_SET -> multiKey.multiSet((Request.MultiSet) request, flags);
        case REPLICATE -> Future.succeededFuture(replicas.apply((Request.Replicate) request,
            epoch));
        case REPLICATE_BATCH -> Future.succeededFuture(
            replicas.applyBatch((Request.ReplicateBatch) request, epoch));
        case WRITE_OUTCOMES -> Future.succeededFuture(
            replicas.adoptOutcomes((Request.WriteOutcomes) request, epoch));
        case DIGEST_RANGES -> rangeRepair.digest((Request.DigestRanges) request, epoch);
        case RECONCILE_RANGE -> rangeRepair.reconcile((Request.ReconcileRange) request, epoch);
        case TOPOLOGY -> Future.succeededFuture(
            new Response.CurrentTopology(ctx.topology.current()));
        case STATS -> Future.succeededFuture(new Response.Stats(report.json().encode()));
        case PING -> Future.succeededFuture(new Response.Ok());
        case HELLO -> Future.succeededFuture(hello((Request.Hello) request));
      };
    } catch (RuntimeException e) {
      return Future.succeededFuture(new Response.Failure(Status.INTERNAL,
          e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  /**
   * Whether {@code op} changes data or cache definitions on a client's behalf: what a node without
   * a majority refuses ({@link io.ringcache.node.topology.PartitionGuard}). Replica writes and
   * repairs are not: they come from the coordinating owner, which asked its own guard.
   */
  static boolean mutates(Opcode op) {
    return switch (op) {
      case SET, CAS, DELETE, INCREMENT, MULTI_SET, PUT_IF_VERSION, DELETE_IF, GET_TOUCH,
          CACHE_CLEAR, CACHE_ADMIN -> true;
      default -> false;
    };
  }

  /**
   * The HELLO answer: the version both sides speak, the lower of the client's and ours, so a
   * version 1 client goes on as before and a newer one learns what this node knows.
   */
  private Response hello(Request.Hello h) {
    if (h.protocolVersion() < FrameCodec.MIN_PROTOCOL_VERSION) {
      return new Response.Failure(Status.BAD_REQUEST, String.format(
          "protocol version %d is not served; this node speaks %d..%d", h.protocolVersion(),
          FrameCodec.MIN_PROTOCOL_VERSION, FrameCodec.PROTOCOL_VERSION));
    }
    return new Response.Hello(ctx.settings.nodeName(),
        Math.min(h.protocolVersion(), FrameCodec.PROTOCOL_VERSION));
  }

  static Status statusOf(Throwable e) {
    return e instanceof PeerException p ? p.status() : Status.INTERNAL;
  }

  /**
   * The answer to a write this node applied but could not replicate everywhere. Whatever a
   * replica said (BUSY, CLOCK_OFFSET, FORBIDDEN...), the write exists here, so the client must
   * read the answer as "maybe applied": UNAVAILABLE, or TIMEOUT when a replica did not answer.
   * A status that means "not applied" would make a client resend an INCREMENT and count twice.
   */
  static Response maybeApplied(Throwable e) {
    Status s = statusOf(e) == Status.TIMEOUT ? Status.TIMEOUT : Status.UNAVAILABLE;
    return new Response.Failure(s, "applied by the coordinating owner, not by every replica: "
        + e.getMessage());
  }

  static Response failure(Throwable e) {
    return new Response.Failure(statusOf(e), String.valueOf(e.getMessage()));
  }
}
