package io.ringcache.node.server;

import io.ringcache.node.logging.EventThrottle;
import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.store.StoreStatus;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.Self;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Request.WriteOutcome;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Executes one decoded request on this node: locally when this node coordinates the key, or by
 * forwarding it to the node that does.
 *
 * <h2>Design</h2>
 * Each request is routed by one snapshot of the installed topology. The coordinating owner of a
 * key is the first of its write replicas (in a stable topology, the primary). It applies the
 * write to its store, which stamps the version, then sends the resulting entry to the other write
 * owners and answers OK only after all of them applied it ({@code writeAcks=all}, the default) or
 * right away ({@code one}). A replica that fails or times out turns the answer into
 * {@code UNAVAILABLE} or {@code TIMEOUT}, never OK: the write may then exist on some owners,
 * which is the usual meaning of a failed write in a replicated store, and a retry converges it.
 *
 * <p>A replica that already holds a newer entry for the key (a write another owner stamped with
 * a clock ahead of this one, typically during a join) keeps it and answers STALE with its
 * version. Acknowledging then would acknowledge a write that exists only here, so the
 * coordinating owner re-stamps the same outcome above that version ({@link LocalStore#restamp}:
 * a write-too-old push, as in CockroachDB; an increment is not counted again) and replicates the
 * new entry to every write owner again. The answer is OK only once every write owner holds the
 * write's outcome, and carries the final version; after {@value #MAX_RESTAMPS} re-stamps the
 * write fails with UNAVAILABLE (it may be applied on some owners). A write that a later write
 * coordinated here already replaced is not re-stamped: the later one carries the key on (and,
 * for an increment, this write's count with it).
 *
 * <p>A write that carries a {@link WriteId} is a call the client may send more than once. Its
 * outcome goes into the node's {@link WriteLog} as soon as the store applied it, and travels with
 * the entry to the replicas, which record it too. A second request with the same id, here or at
 * whichever owner coordinates the key by then, is not applied again: the current entry of the key
 * is replicated to every write owner once more (the first attempt may have reached only some)
 * and the first outcome is answered. So a retried increment counts once, and a retried
 * put-if-absent reports its own success, not a conflict.
 *
 * <p>A request for a key this node does not coordinate is forwarded to the owner with the
 * FORWARDED flag. A forwarded request is never forwarded again: if the receiver disagrees about
 * ownership it answers NOT_OWNER, so two nodes on different epochs cannot bounce a request. Every
 * answer carries the answering node's epoch (written by the connection), so a client behind it
 * refreshes.
 *
 * <p>"This node" is this process, not only this name ({@link Self}): a node restarted under its
 * old name may install a topology that still names the crashed incarnation as an owner. Until the
 * coordinator publishes one naming the new incarnation, requests for keys that name would
 * coordinate or serve are answered NOT_OWNER (not applied: the client refreshes and resends), and
 * REPLICATE is refused with UNAVAILABLE, rather than served from an empty store.
 *
 * <h2>Concurrency</h2>
 * One router per event loop, used only from it, with its own {@link PeerClient}. The store and
 * topology holder are shared and thread-safe.
 */
final class RequestRouter {

  private static final Logger LOG = Logger.getLogger(RequestRouter.class.getName());
  /** Shared by every router of the process: one clock-offset line per 10 s. */
  private static final EventThrottle CLOCK_OFFSET_LOG = new EventThrottle(10_000);

  private final ServerSettings settings;
  private final LocalStore store;
  private final TopologyHolder topology;
  private final PeerClient peers;
  private final NodeStats stats;
  private final StatsReport report;
  private final ServerMetrics metrics;
  private final TopologyWaits waits;
  private final WriteLog writes;
  /** This process, as the installed topology must name it before this node owns anything. */
  private final Self self;
  /** Longest pause between two sends of one replica write when no newer topology comes. */
  private static final long RETRY_PAUSE_MILLIS = 50;
  /** Re-stamps of one write above versions replicas held before the write fails. */
  static final int MAX_RESTAMPS = 3;

  RequestRouter(ServerSettings settings, LocalStore store, WriteLog writes, TopologyHolder topology,
      PeerClient peers, NodeStats stats, StatsReport report, ServerMetrics metrics) {
    this.writes = writes;
    this.settings = settings;
    this.store = store;
    this.topology = topology;
    this.peers = peers;
    this.stats = stats;
    this.report = report;
    this.metrics = metrics;
    this.waits = new TopologyWaits(io.vertx.core.Vertx.currentContext(), topology);
    this.self = settings.self();
  }

  /**
   * Serves {@code request} that arrived with header {@code flags} and the sender's {@code epoch},
   * and reports its latency and outcome to the metrics. Never throws.
   */
  Future<Response> handle(Request request, int flags, long epoch) {
    long start = System.nanoTime();
    return route(request, flags, epoch).onComplete(ar -> metrics.requestServed(request.opcode(),
        ar.succeeded() ? ar.result().status() : statusOf(ar.cause()),
        System.nanoTime() - start));
  }

  private Future<Response> route(Request request, int flags, long epoch) {
    stats.requests.increment();
    if (Flags.isSet(flags, Flags.FORWARDED)) {
      stats.forwardedIn.increment();
    }
    try {
      switch (request.opcode()) {
        case GET:
          return get((Request.Get) request, flags);
        case SET: {
          Request.Set r = (Request.Set) request;
          return write(flags, r,
              k -> store.set(k, r.value().getBytes(), r.ttlMillis(), storeMode(r.mode())),
              RequestRouter::stored);
        }
        case CAS: {
          Request.Cas r = (Request.Cas) request;
          return write(flags, r,
              k -> store.compareAndSet(k, r.expectedVersion(), r.value().getBytes(), r.ttlMillis()),
              RequestRouter::stored);
        }
        case DELETE: {
          Request.Delete r = (Request.Delete) request;
          return write(flags, r, store::delete, RequestRouter::deleted);
        }
        case INCREMENT: {
          Request.Increment r = (Request.Increment) request;
          return write(flags, r, k -> store.increment(k, r.delta(), r.ttlMillis()),
              RequestRouter::counter);
        }
        case MULTI_GET:
          return multiGet((Request.MultiGet) request, flags);
        case MULTI_SET:
          return multiSet((Request.MultiSet) request, flags);
        case REPLICATE:
          return Future.succeededFuture(replicate((Request.Replicate) request, epoch));
        case TOPOLOGY:
          return Future.succeededFuture(new Response.CurrentTopology(topology.current()));
        case STATS:
          return Future.succeededFuture(new Response.Stats(report.json().encode()));
        case PING:
          return Future.succeededFuture(new Response.Ok());
        case HELLO:
          return Future.succeededFuture(new Response.Hello(settings.nodeName(),
              io.ringcache.protocol.FrameCodec.PROTOCOL_VERSION));
        default:
          return Future.succeededFuture(new Response.Failure(Status.UNKNOWN_OP,
              "operation " + request.opcode() + " is not served here"));
      }
    } catch (RuntimeException e) {
      return Future.succeededFuture(new Response.Failure(Status.INTERNAL,
          e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  // ------------------------------------------------------------------ reads

  private Future<Response> get(Request.Get r, int flags) {
    Topology t = topology.current();
    List<Member> owners = t.readReplicas(r.key().position());
    if (owners.isEmpty()) {
      return noTopology();
    }
    if (readsLocally(t, owners, flags)) {
      return Future.succeededFuture(localGet(r.key()));
    }
    return forward(t, owners.get(0), flags, r);
  }

  private boolean readsLocally(Topology t, List<Member> owners, int flags) {
    if (isSelf(t, owners.get(0))) {
      return true;
    }
    boolean any = settings.readFromAny() || Flags.isSet(flags, Flags.ANY_OWNER);
    return any && owners.stream().anyMatch(m -> isSelf(t, m));
  }

  private Response localGet(Key key) {
    StoreResult res = store.get(storeKey(key));
    if (!res.ok()) {
      return Response.Failure.of(Status.NOT_FOUND);
    }
    // The protocol says -1 for "no TTL"; the store says NO_TTL (0) and never returns 0 for a
    // live value that has one (it rounds up), so the mapping is unambiguous.
    long ttl = res.ttlMillis() == io.ringcache.node.store.ReplicaEntry.NO_TTL ? -1
        : res.ttlMillis();
    return new Response.Value(res.version(), ttl, Buffer.buffer(res.value()));
  }

  private Future<Response> multiGet(Request.MultiGet r, int flags) {
    Topology t = topology.current();
    List<Key> keys = r.keys();
    Response.Values.Entry[] results = new Response.Values.Entry[keys.size()];
    Map<String, List<Integer>> remote = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      List<Member> owners = t.readReplicas(keys.get(i).position());
      if (owners.isEmpty()) {
        results[i] = Response.Values.Entry.missing(Status.UNAVAILABLE);
      } else if (readsLocally(t, owners, flags)) {
        Response one = localGet(keys.get(i));
        results[i] = one instanceof Response.Value v
            ? new Response.Values.Entry(Status.OK, v.version(), v.value())
            : Response.Values.Entry.missing(Status.NOT_FOUND);
      } else {
        remote.computeIfAbsent(owners.get(0).name(), n -> new ArrayList<>()).add(i);
      }
    }
    List<Future<?>> pending = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> group : remote.entrySet()) {
      List<Integer> slots = group.getValue();
      List<Key> part = slots.stream().map(keys::get).toList();
      pending.add(forward(t, group.getKey(), flags, new Request.MultiGet(part)).map(res -> {
        if (res instanceof Response.Values values && values.entries().size() == slots.size()) {
          for (int j = 0; j < slots.size(); j++) {
            results[slots.get(j)] = values.entries().get(j);
          }
        } else {
          Status s = res.status() == Status.OK ? Status.INTERNAL : res.status();
          slots.forEach(i -> results[i] = Response.Values.Entry.missing(s));
        }
        return null;
      }));
    }
    return Future.join(pending).transform(x ->
        Future.succeededFuture(new Response.Values(Arrays.asList(results))));
  }

  // ------------------------------------------------------------------ writes

  private Future<Response> write(int flags, Request.Write request,
      Function<StoreKey, StoreResult> apply, Function<StoreResult, Response> answer) {
    Key key = request.key();
    Topology t = topology.current();
    List<Member> owners = t.writeReplicas(key.position());
    if (owners.isEmpty()) {
      return noTopology();
    }
    if (!isSelf(t, owners.get(0))) {
      return forward(t, owners.get(0), flags, request);
    }
    WriteId id = request.writeId();
    WriteLog.Outcome first = writes.find(id, key.position());
    if (first != null) {
      return retried(t, key, id, first, owners);
    }
    StoreResult res = apply.apply(storeKey(key));
    if (res.replica() == null) {
      return Future.succeededFuture(answer.apply(res));
    }
    WriteOutcome kind = id.isNone() ? WriteOutcome.NONE : outcomeOf(request, res);
    writes.record(id, key.position(), kind, res.replica());
    return replicate(t, key, res.replica(), owners, id, kind)
        .map(held -> {
          if (held != res.replica()) {
            writes.restamped(id, held.version());
          }
          return answer.apply(restamped(res, held));
        })
        .otherwise(RequestRouter::maybeApplied);
  }

  /**
   * A write this node (or the owner it took the key over from) already applied: the key's current
   * entry goes to every write owner again, since the first attempt may have reached only some of
   * them, and the answer is the first attempt's. The current entry is the write's own or a later
   * write's, which carries the key on (and an increment's count with it).
   */
  private Future<Response> retried(Topology t, Key key, WriteId id, WriteLog.Outcome first,
      List<Member> owners) {
    stats.writeRetriesAnswered.increment();
    ReplicaEntry current = store.replicaOf(storeKey(key));
    if (current == null) {
      // Expired or evicted since: nothing is left to replicate; the write did happen.
      return Future.succeededFuture(answerOf(first));
    }
    boolean own = current.version() == first.version();
    return replicate(t, key, current, owners, own ? id : WriteId.NONE,
        own ? first.kind() : WriteOutcome.NONE)
        .map(held -> {
          if (own && held != current) {
            writes.restamped(id, held.version());
            return answerOf(first.withVersion(held.version()));
          }
          return answerOf(first);
        })
        .otherwise(RequestRouter::maybeApplied);
  }

  private static WriteOutcome outcomeOf(Request.Write request, StoreResult res) {
    if (request instanceof Request.Increment) {
      return WriteOutcome.COUNTED;
    }
    if (request instanceof Request.Delete) {
      return res.status() == StoreStatus.OK ? WriteOutcome.DELETED : WriteOutcome.DELETED_NOTHING;
    }
    return WriteOutcome.STORED;
  }

  private static Response answerOf(WriteLog.Outcome o) {
    return switch (o.kind()) {
      case STORED -> new Response.Stored(o.version());
      case COUNTED -> new Response.Counter(o.counter(), o.version());
      case DELETED -> new Response.Ok();
      case DELETED_NOTHING -> Response.Failure.of(Status.NOT_FOUND);
      case NONE -> throw new IllegalStateException("a recorded outcome is never NONE");
    };
  }

  /** {@code res} with the version of the entry every owner ended up holding. */
  private static StoreResult restamped(StoreResult res, ReplicaEntry held) {
    if (held == res.replica()) {
      return res;
    }
    return new StoreResult(res.status(), held.version(), res.value(), held, res.error(),
        res.ttlMillis());
  }

  private Future<Response> multiSet(Request.MultiSet r, int flags) {
    Topology t = topology.current();
    List<Request.MultiSet.Entry> entries = r.entries();
    Response.StoredAll.Entry[] results = new Response.StoredAll.Entry[entries.size()];
    Map<String, List<Integer>> remote = new LinkedHashMap<>();
    List<Future<?>> pending = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Request.MultiSet.Entry e = entries.get(i);
      List<Member> owners = t.writeReplicas(e.key().position());
      if (owners.isEmpty()) {
        results[i] = new Response.StoredAll.Entry(Status.UNAVAILABLE, 0);
      } else if (isSelf(t, owners.get(0))) {
        int slot = i;
        StoreResult res = store.set(storeKey(e.key()), e.value().getBytes(), e.ttlMillis(),
            io.ringcache.node.store.SetMode.ALWAYS);
        if (res.replica() == null) {
          // An exhausted clock (CLOCK_OFFSET) is the only way an unconditional set writes nothing.
          results[i] = new Response.StoredAll.Entry(Status.CLOCK_OFFSET, 0);
          continue;
        }
        pending.add(replicate(t, e.key(), res.replica(), owners, WriteId.NONE,
            WriteOutcome.NONE).transform(ar -> {
          results[slot] = ar.succeeded()
              ? new Response.StoredAll.Entry(Status.OK, ar.result().version())
              : new Response.StoredAll.Entry(maybeApplied(ar.cause()).status(), 0);
          return Future.succeededFuture();
        }));
      } else {
        remote.computeIfAbsent(owners.get(0).name(), n -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<String, List<Integer>> group : remote.entrySet()) {
      List<Integer> slots = group.getValue();
      List<Request.MultiSet.Entry> part = slots.stream().map(entries::get).toList();
      pending.add(forward(t, group.getKey(), flags, new Request.MultiSet(part)).map(res -> {
        if (res instanceof Response.StoredAll all && all.entries().size() == slots.size()) {
          for (int j = 0; j < slots.size(); j++) {
            results[slots.get(j)] = all.entries().get(j);
          }
        } else {
          Status s = res.status() == Status.OK ? Status.INTERNAL : res.status();
          slots.forEach(i -> results[i] = new Response.StoredAll.Entry(s, 0));
        }
        return null;
      }));
    }
    return Future.join(pending).transform(x ->
        Future.succeededFuture(new Response.StoredAll(Arrays.asList(results))));
  }

  /**
   * Sends {@code entry} to every write owner but this node; completes, when the acks policy is
   * met, with the entry every owner holds: {@code entry} itself, or the re-stamped copy of it a
   * replica's STALE led to. A replica on another epoch, or one that cannot be reached, does not
   * fail the write at once: a topology change is under way, so the entry is sent again, to the
   * owners of the newest topology that have not acknowledged it yet, once that topology is in (or
   * after a short pause), until the replication deadline. Resending is safe: a replica applies an
   * entry by its version. With {@code writeAcks=one} it completes at once with {@code entry}
   * while replication (re-stamps included) goes on.
   */
  private Future<ReplicaEntry> replicate(Topology t, Key key, ReplicaEntry entry,
      List<Member> owners, WriteId id, WriteOutcome kind) {
    if (owners.size() <= 1) {
      return Future.succeededFuture(entry);
    }
    long budgetNanos = settings.requestTimeoutMillis() * 750_000L;
    Future<ReplicaEntry> all = new Replication(key, entry, id, kind,
        System.nanoTime() + budgetNanos).start(t, owners);
    return settings.writeAcksAll() ? all : Future.succeededFuture(entry);
  }

  private static Request.Replicate replicateMessage(Key key, ReplicaEntry entry, WriteId id,
      WriteOutcome kind) {
    return new Request.Replicate(key, entry.version(),
        entry.ttlMillis() == ReplicaEntry.NO_TTL ? -1 : Math.max(0, entry.ttlMillis()),
        entry.tombstone(), entry.tombstone() ? Buffer.buffer() : Buffer.buffer(entry.value()),
        id, kind);
  }

  /**
   * One write's way to every write owner, across the topology changes and the re-stamps it meets.
   * Runs on the router's event loop; one round of sends is answered in full before the next.
   */
  private final class Replication {
    private final Key key;
    private final WriteId id;
    private final WriteOutcome kind;
    private final long deadlineNanos;
    private final java.util.Set<String> acked = new java.util.HashSet<>();
    private final io.vertx.core.Promise<ReplicaEntry> done = io.vertx.core.Promise.promise();
    /** The entry being replicated: the write's, or its latest re-stamp. */
    private ReplicaEntry entry;
    private Request.Replicate message;
    private int restamps;
    /** Highest version a replica answered STALE with in the current round, 0 for none. */
    private long heldAbove;

    Replication(Key key, ReplicaEntry entry, WriteId id, WriteOutcome kind, long deadlineNanos) {
      this.key = key;
      this.id = id;
      this.kind = kind;
      this.entry = entry;
      this.message = replicateMessage(key, entry, id, kind);
      this.deadlineNanos = deadlineNanos;
    }

    Future<ReplicaEntry> start(Topology t, List<Member> owners) {
      attempt(t, owners);
      return done.future();
    }

    private void attempt(Topology t, List<Member> owners) {
      heldAbove = 0;
      List<Future<Void>> acks = new ArrayList<>(owners.size());
      for (Member m : owners) {
        if (!isSelf(t, m) && !acked.contains(m.name())) {
          acks.add(sendTo(t, m));
        }
      }
      if (acks.isEmpty()) {
        done.tryComplete(entry);
        return;
      }
      Future.join(acks).onComplete(ar -> {
        PeerException retryable = null;
        for (Future<Void> a : acks) {
          if (a.failed()) {
            PeerException e = a.cause() instanceof PeerException p ? p
                : new PeerException(Status.INTERNAL, String.valueOf(a.cause().getMessage()));
            if (!retryable(e.status())) {
              done.tryFail(e);
              return;
            }
            retryable = e;
          }
        }
        if (heldAbove != 0) {
          restamp();
          return;
        }
        if (retryable == null) {
          done.tryComplete(entry);
          return;
        }
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          done.tryFail(retryable);
          return;
        }
        stats.replicationRetries.increment();
        waits.newerThan(t.epoch(), Math.min(remainingMillis, RETRY_PAUSE_MILLIS))
            .onComplete(next -> {
              Topology now = topology.current();
              attempt(now, now.writeReplicas(key.position()));
            });
      });
    }

    /**
     * A replica kept a newer entry: writes the same outcome again above it here and sends the new
     * entry to every write owner, those that acknowledged the old one included.
     */
    private void restamp() {
      if (restamps >= MAX_RESTAMPS || System.nanoTime() - deadlineNanos >= 0) {
        done.tryFail(new PeerException(Status.UNAVAILABLE, String.format(
            "replicas still held a newer version (%d) of the key than this write after %d"
                + " re-stamps; the write may be applied on some owners", heldAbove, restamps)));
        return;
      }
      StoreResult res = store.restamp(storeKey(key), entry, heldAbove);
      if (res.status() == StoreStatus.STALE) {
        // A later write coordinated here replaced this one; it answers for the key from now on.
        done.tryComplete(entry);
        return;
      }
      if (!res.ok()) {
        done.tryFail(new PeerException(Status.CLOCK_OFFSET,
            "a replica holds a newer version of the key than this write; re-stamping above it"
                + " failed, the write may be applied on this owner only: " + res.error()));
        return;
      }
      restamps++;
      stats.restamps.increment();
      entry = res.replica();
      message = replicateMessage(key, entry, id, kind);
      acked.clear();
      Topology now = topology.current();
      attempt(now, now.writeReplicas(key.position()));
    }

    private Future<Void> sendTo(Topology t, Member m) {
      NodeAddress address = t.node(m.name()).orElse(null);
      if (address == null) {
        return Future.failedFuture(new PeerException(Status.UNAVAILABLE,
            "owner '" + m.name() + "' has no address in epoch " + t.epoch()));
      }
      stats.replicationsSent.increment();
      return peers.send(address, 0, t.epoch(), message).<Void>compose(res -> {
        if (res.status() == Status.OK) {
          stats.replicationAcks.increment();
          acked.add(m.name());
          return Future.succeededFuture();
        }
        if (res instanceof Response.Stale stale) {
          heldAbove = Math.max(heldAbove, stale.heldVersion());
          return Future.succeededFuture();
        }
        String why = res instanceof Response.Failure f ? f.message() : res.status().toString();
        // The client must not read WRONG_EPOCH as "not applied": this node already applied the
        // write. UNAVAILABLE says "may or may not be applied; retry".
        Status status = res.status() == Status.WRONG_EPOCH ? Status.UNAVAILABLE : res.status();
        return Future.failedFuture(new PeerException(status,
            "replica '" + m.name() + "' refused the write: " + why));
      }).onFailure(e -> {
        stats.replicationFailures.increment();
        if (statusOf(e) == Status.TIMEOUT) {
          stats.replicationTimeouts.increment();
        }
      });
    }
  }

  /** Failures a later topology (or a moment) may cure: resending the entry is worth it. */
  private static boolean retryable(Status s) {
    return s == Status.UNAVAILABLE || s == Status.WRONG_EPOCH || s == Status.BUSY
        || s == Status.TIMEOUT;
  }

  /**
   * Applies a replica write or a transferred entry. Only from a sender on this node's epoch: a
   * write routed by another topology may be missing owners this one expects (or reach a range
   * after its transfer scanned it), so it is refused and the coordinating owner fails the write.
   * OK means "this node holds that entry now" (applied, already held, or expired); an entry older
   * than the one held is answered STALE with the held version.
   */
  private Response replicate(Request.Replicate r, long senderEpoch) {
    Topology t = topology.current();
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
    if (r.version() <= 0) {
      return new Response.Failure(Status.BAD_REQUEST,
          "REPLICATE version must be > 0 but was " + r.version());
    }
    long ttl = r.ttlMillis() == -1 ? ReplicaEntry.NO_TTL
        : r.ttlMillis() == 0 ? ReplicaEntry.EXPIRED : r.ttlMillis();
    ReplicaEntry entry = r.tombstone()
        ? ReplicaEntry.tombstone(r.version(), ttl)
        : ReplicaEntry.value(r.value().getBytes(), r.version(), ttl);
    StoreResult res = store.apply(storeKey(r.key()), entry);
    if (res.status() == StoreStatus.CLOCK_OFFSET) {
      return clockOffset(res, senderEpoch);
    }
    if (res.status() == StoreStatus.STALE) {
      // Answering OK here would let the sender acknowledge a write this owner does not hold.
      stats.staleReplicas.increment();
      return new Response.Stale(res.version());
    }
    stats.replicationsApplied.increment();
    writes.record(r.writeId(), r.key().position(), r.outcome(), entry);
    return new Response.Ok();
  }

  /** Counts and (at most every 10 s per node) logs a refused entry; the answer names the limit. */
  private Response clockOffset(StoreResult res, long epoch) {
    stats.clockOffsetRejected.increment();
    long held = CLOCK_OFFSET_LOG.pass();
    if (held >= 0) {
      NodeLog.event(LOG, Level.WARNING, "clock.offset_rejected", settings.nodeName(), epoch,
          "refused a replicated or transferred entry: " + res.error() + " (" + held
              + " more refused since the last report)",
          "version", res.version(), "held_back", held);
    }
    return new Response.Failure(Status.CLOCK_OFFSET, res.error());
  }

  // ------------------------------------------------------------------ forwarding

  private Future<Response> forward(Topology t, Member owner, int flags, Request request) {
    return forward(t, owner.name(), flags, request);
  }

  private Future<Response> forward(Topology t, String owner, int flags, Request request) {
    if (owner.equals(settings.nodeName())) {
      // The owner is this name but not this process (isSelf said no): an earlier incarnation.
      // Forwarding would reach this process again; NOT_OWNER says "not applied, refresh".
      return Future.succeededFuture(new Response.Failure(Status.NOT_OWNER,
          notThisIncarnation(t, self.predecessorIn(t).orElse("?"))));
    }
    if (Flags.isSet(flags, Flags.FORWARDED)) {
      return Future.succeededFuture(new Response.Failure(Status.NOT_OWNER, String.format(
          "node '%s' does not own this key in epoch %d (owner: '%s'); refresh the topology",
          settings.nodeName(), t.epoch(), owner)));
    }
    NodeAddress address = t.node(owner).orElse(null);
    if (address == null) {
      return Future.succeededFuture(new Response.Failure(Status.UNAVAILABLE,
          "owner '" + owner + "' has no address in epoch " + t.epoch()));
    }
    stats.forwarded.increment();
    return peers.send(address, flags | Flags.FORWARDED, t.epoch(), request)
        .otherwise(RequestRouter::failure);
  }

  // ------------------------------------------------------------------ helpers

  /** Whether {@code m} is this process in {@code t}: see {@link Self}. */
  private boolean isSelf(Topology t, Member m) {
    return self.is(t, m.name());
  }

  private String notThisIncarnation(Topology t, String earlier) {
    return String.format("node '%s' restarted: this is incarnation %s, epoch %d names incarnation"
        + " %s under that name; it owns nothing until the coordinator publishes a topology naming"
        + " %s (not applied; refresh the topology and retry)", settings.nodeName(),
        self.incarnation(), t.epoch(), earlier, self.incarnation());
  }

  private static StoreKey storeKey(Key key) {
    return StoreKey.wrap(key.toBytes(), key.position());
  }

  private static Future<Response> noTopology() {
    return Future.succeededFuture(new Response.Failure(Status.UNAVAILABLE,
        "no topology installed yet: the node is still joining the cluster"));
  }

  private static io.ringcache.node.store.SetMode storeMode(SetMode mode) {
    return switch (mode) {
      case ALWAYS -> io.ringcache.node.store.SetMode.ALWAYS;
      case IF_ABSENT -> io.ringcache.node.store.SetMode.IF_ABSENT;
      case IF_PRESENT -> io.ringcache.node.store.SetMode.IF_PRESENT;
    };
  }

  private static Response deleted(StoreResult res) {
    return switch (res.status()) {
      case OK -> new Response.Ok();
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      default -> Response.Failure.of(Status.NOT_FOUND);
    };
  }

  private static Response stored(StoreResult res) {
    return switch (res.status()) {
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      case OK -> new Response.Stored(res.version());
      case EXISTS -> Response.Failure.of(Status.EXISTS);
      case VERSION_MISMATCH -> new Response.Mismatch(res.version());
      case NOT_FOUND -> Response.Failure.of(Status.NOT_FOUND);
      default -> new Response.Failure(Status.INTERNAL, "unexpected store status " + res.status());
    };
  }

  private static Response counter(StoreResult res) {
    return switch (res.status()) {
      case OK -> new Response.Counter(
          Long.parseLong(new String(res.value(), StandardCharsets.US_ASCII)), res.version());
      case NOT_A_NUMBER, OVERFLOW -> new Response.Failure(Status.BAD_REQUEST, res.error());
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      default -> new Response.Failure(Status.INTERNAL, "unexpected store status " + res.status());
    };
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
