package io.ringcache.client;

import io.ringcache.client.ClusterTopology.ClusterMember;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client's routing table and I/O: its copy of the cluster topology, the connections to every
 * node, which nodes recently failed, and every call in flight.
 *
 * <h2>Design</h2>
 * The topology is an immutable snapshot ({@link Installed}) swapped atomically when a higher epoch
 * arrives; it carries a {@link Destination} per member, bound to that node's {@link NodeChannel}, so
 * routing a call costs a ring lookup and one identity-map read, not name and address lookups in
 * three maps. A key's write goes to its coordinating owner (the first write replica, as the node's
 * own router computes it), so a node in the same epoch applies it without forwarding; a read goes
 * to the first read replica, or, when that node recently failed or an earlier attempt failed, to
 * the next replica with {@link Flags#ANY_OWNER}. The topology is refetched (TOPOLOGY, from the
 * node that hinted at it first, then any member, then the seeds) when an answer's header carries a
 * newer epoch, a node answers NOT_OWNER or UNAVAILABLE, or a connection fails. At most one fetch
 * runs at a time; callers that need it share its future.
 *
 * <h2>Concurrency</h2>
 * Thread-safe. Calls start on any thread; answers, retries and fetches run on the client's own
 * event loops. Connections are spread over those loops.
 *
 * <h2>Failure</h2>
 * A node whose connection failed is avoided for reads for {@link #DOWN_MILLIS} ms (it is still
 * tried when it is the only choice, e.g. a key's coordinating owner for writes). {@link #close()}
 * fails every registered call with {@link CacheClosedException} and then every channel's pending
 * requests, before releasing anything, so no caller waits on a timer of a closed Vert.x instance.
 * A call is registered only while it waits outside a connection (for a topology fetch or a retry
 * timer); while its request is pending on a connection, closing that connection fails it. A
 * channel created after {@code close()} looked at the channels is closed by its creator.
 *
 * <h2>Testing</h2>
 * Connections, timers and the clock come from an {@link Io}: Vert.x for the client
 * ({@link VertxIo}); a scripted one in unit tests of routing and retries, which then need no
 * socket, event loop, sleep or wall clock.
 */
final class Router implements Connection.Listener {

  private static final Logger LOG = System.getLogger(Router.class.getName());
  static final long DOWN_MILLIS = 1000;

  /** What the router runs on: connections to nodes, timers, a clock. */
  interface Io {
    /** A new connection to {@code address}, reporting what it sees to {@code listener}. */
    NodeChannel.Link connect(HostPort address, Connection.Listener listener);

    /**
     * Runs {@code task} on a client thread after {@code delayMillis} (at the end of this turn if
     * 0); may throw while closing.
     */
    void schedule(long delayMillis, Runnable task);

    /** Runs {@code task} every {@code millis} on a client thread until {@link #cancel}. */
    long every(long millis, Runnable task);

    void cancel(long timer);

    /** {@link System#nanoTime}, for the down marks and the lower-epoch check. */
    long nanoTime();

    /** Whether the calling thread is one of this client's. */
    boolean isClientThread();

    /** Releases threads and connections; completes when done. */
    CompletableFuture<Void> close();
  }

  /** One installed topology with what routing derives from it. */
  record Installed(Topology topology, Map<String, Destination> targets, Map<Member, Destination> byMember,
      ClusterTopology view, CompletableFuture<Installed> ready, boolean routable) {

    /** The target of ring member {@code m}, without flags; null for a member without address. */
    Destination target(Member m) {
      Destination t = byMember.get(m);
      return t != null ? t : targets.get(m.name());
    }
  }

  /** Builds the snapshot of {@code t}, binding each member's target to its node's channel. */
  private Installed snapshot(Topology t) {
    Map<String, Destination> targets = new HashMap<>();
    List<ClusterMember> members = new ArrayList<>();
    for (NodeAddress n : t.nodes()) {
      HostPort address = new HostPort(n.host(), n.clientPort());
      targets.put(n.name(), new Destination(n.name(), channel(address), 0));
      members.add(new ClusterMember(n.name(), n.host(), n.clientPort(),
          ClusterTopology.State.valueOf(n.state().name())));
    }
    members.sort(Comparator.comparing(ClusterMember::name));
    // The rings hand out the same Member instances every lookup: an identity map finds a
    // member's target without hashing or comparing its name.
    Map<Member, Destination> byMember = new IdentityHashMap<>();
    for (Ring ring : List.of(t.readRing(), t.writeRing())) {
      for (Member m : ring.members()) {
        Destination target = targets.get(m.name());
        if (target != null) {
          byMember.put(m, target);
        }
      }
    }
    Installed i = new Installed(t, Map.copyOf(targets), byMember,
        new ClusterTopology(t.epoch(), members), new CompletableFuture<>(),
        !t.readRing().isEmpty());
    i.ready.complete(i);
    return i;
  }

  final ClientSettings settings;
  /** The entry-event subscriptions of this client's named caches. */
  final Subscriptions subscriptions = new Subscriptions(this);
  /** Keys the cluster reports hot: read from any replica, kept near if so configured. */
  final HotKeyWatch hotKeys = new HotKeyWatch(this);
  /** {@link CacheClient.Builder#hotKeyReplicaReads}. */
  private final boolean hotKeyReplicaReads;
  /** Near caches of hot keys; null when {@link CacheClient.Builder#hotKeyNearCache} is off. */
  final HotNearCaches hotNear;
  private long hotKeyTimer = -1;
  private final Io io;
  private final Map<HostPort, NodeChannel> channels = new ConcurrentHashMap<>();
  private final AtomicReference<Installed> installed =
      new AtomicReference<>(snapshot(Topology.initial(1)));
  /** Calls waiting outside any connection; see Failure above. */
  private final Set<LiveCall> live = ConcurrentHashMap.newKeySet();
  /** This client's half of every {@link WriteId}: random, never 0 (0:0 means "no id"). */
  private final long writeClient = randomWriteClient();
  private final AtomicLong writeSequence =
      new AtomicLong();
  private volatile boolean closed;
  private CompletableFuture<Installed> refreshing;
  private CompletableFuture<Void> closing;

  /**
   * A new id for one write call, kept by all its attempts, so the node answers a resend with the
   * first attempt's outcome.
   */
  WriteId nextWriteId() {
    return new WriteId(writeClient, writeSequence.incrementAndGet());
  }

  private static long randomWriteClient() {
    long id;
    do {
      id = new SecureRandom().nextLong();
    } while (id == 0);
    return id;
  }

  /** Runs {@code task} every {@code millis} on a client event loop until {@link #cancel}. */
  long every(long millis, Runnable task) {
    return io.every(millis, task);
  }

  /** Stops a task {@link #every} started. */
  void cancel(long timer) {
    io.cancel(timer);
  }

  Router(ClientSettings settings) {
    this(settings, new VertxIo(settings));
  }

  /** A router over {@code io}: the client's Vert.x, or a unit test's scripted connections. */
  Router(ClientSettings settings, Io io) {
    this.settings = settings;
    this.io = io;
    this.lowerEpochCheck = new AtomicLong(
        io.nanoTime() - 2_000_000_000L);
    this.hotKeyReplicaReads = settings.hotKeyReplicaReads();
    this.hotNear = settings.hotKeyNearCache() == null ? null
        : new HotNearCaches(this, settings.hotKeyNearCache());
    if (hotKeyReplicaReads || hotNear != null) {
      hotKeyTimer = io.every(HotKeyWatch.PERIOD_MILLIS, () -> {
        if (!closed && installed.get().routable()) {
          hotKeys.poll();
        }
      });
    }
  }

  boolean isClosed() {
    return closed;
  }

  Installed installed() {
    return installed.get();
  }

  /** The installed topology if it can route, else the result of a fetch. */
  CompletableFuture<Installed> ready() {
    Installed i = installed.get();
    return i.routable() ? i.ready : refresh(null);
  }

  // ------------------------------------------------------------------ routing

  Destination writeTarget(Installed i, long position) {
    List<Member> owners = i.topology().writeReplicas(position);
    return owners.isEmpty() ? null : i.target(owners.get(0));
  }

  /**
   * The replica for attempt {@code attempt} of a read. Attempt n starts at the n-th replica in
   * ring order (primary first) and takes the first one from there that did not fail recently, or
   * that replica itself when all did. So consecutive attempts visit every replica before going
   * round again, and a node whose connection failed is skipped while it is marked down; the
   * order does not shift under the walk when a mark is set between attempts.
   */
  Destination readTarget(Installed i, long position, int attempt) {
    List<Member> owners = i.topology().readReplicas(position);
    if (owners.isEmpty()) {
      return null;
    }
    Destination primary = i.target(owners.get(0));
    if (attempt == 0 && hotKeyReplicaReads && owners.size() > 1 && hotKeys.isHot(position)) {
      // A hot key: any replica, so its reads spread over every owner.
      Member m = owners.get(ThreadLocalRandom.current()
          .nextInt(owners.size()));
      Destination t = i.target(m);
      if (t != null && !t.channel().isDown()) {
        return t == primary ? t : t.withFlags(Flags.ANY_OWNER);
      }
    }
    if (attempt == 0 && primary != null && !primary.channel().isDown()) {
      return primary;
    }
    int n = owners.size();
    Destination fallback = null;
    for (int k = 0; k < n; k++) {
      Destination t = i.target(owners.get((attempt + k) % n));
      if (t == null) {
        continue;
      }
      if (!t.channel().isDown()) {
        return t == primary ? t : t.withFlags(Flags.ANY_OWNER);
      }
      if (fallback == null) {
        fallback = t;
      }
    }
    return fallback == null || fallback == primary ? fallback
        : fallback.withFlags(Flags.ANY_OWNER);
  }

  void send(Destination target, Request request, long epoch, Reply reply) {
    send(target.channel(), request, target.flags(), epoch, reply);
  }

  /** Sends {@code request} once to the node at {@code address}; the stage fails on no answer. */
  CompletableFuture<Response> sendTo(HostPort address, Request request) {
    return sendTo(address, request, false);
  }

  /**
   * {@link #sendTo}, on the node's first connection when {@code pinned}: subscriptions and their
   * cancels must use the connection their events come back on.
   */
  CompletableFuture<Response> sendTo(HostPort address, Request request, boolean pinned) {
    CompletableFuture<Response> out = new CompletableFuture<>();
    Reply reply = new Reply() {
      @Override
      public void answered(Response response) {
        out.complete(response);
      }

      @Override
      public void failed(CacheException error, boolean maybeApplied) {
        out.completeExceptionally(error);
      }
    };
    if (closed) {
      reply.failed(new CacheClosedException("the client is closed"), false);
    } else if (pinned) {
      try {
        channel(address).sendOnFirst(request, 0, installed().topology().epoch(), reply);
      } catch (RuntimeException e) {
        reply.failed(new CacheClosedException("the client is closing: " + e.getMessage()), false);
      }
    } else {
      send(channel(address), request, 0, installed().topology().epoch(), reply);
    }
    return out;
  }

  private void send(NodeChannel channel, Request request, int flags, long epoch, Reply reply) {
    if (closed) {
      reply.failed(new CacheClosedException("the client is closed"), false);
      return;
    }
    try {
      channel.send(request, flags, epoch, reply);
    } catch (RuntimeException e) {
      // Only a Vert.x instance that is being closed refuses work here.
      reply.failed(new CacheClosedException("the client is closing: " + e.getMessage()), false);
    }
  }

  private NodeChannel channel(HostPort address) {
    NodeChannel c = channels.computeIfAbsent(address, a -> new NodeChannel(a,
        settings.connectionsPerNode(), () -> io.connect(a, this), io::nanoTime));
    if (closed) {
      // close() may have looked at the channels before this one was added.
      c.close(new CacheClosedException("the client was closed"));
    }
    return c;
  }

  private boolean isDown(HostPort address) {
    NodeChannel c = channels.get(address);
    return c != null && c.isDown();
  }

  // ------------------------------------------------------------------ connection events

  @Override
  public void epochSeen(long epoch, HostPort from) {
    long ours = installed.get().topology().epoch();
    if (epoch > ours) {
      refresh(from);
    } else if (epoch < ours) {
      // A lagging node, or a restarted cluster whose epochs started over: look, at most once a
      // second, so a restart is noticed without a fetch per answer during a rebalance.
      long now = io.nanoTime();
      long last = lowerEpochCheck.get();
      if (now - last > 1_000_000_000L && lowerEpochCheck.compareAndSet(last, now)) {
        refresh(from);
      }
    }
  }

  /** When a lower epoch was last looked into; starts 2 s back, so the first one is. */
  private final AtomicLong lowerEpochCheck;

  @Override
  public void eventReceived(HostPort from, int subscription, Response.Event event) {
    subscriptions.event(from, subscription, event);
  }

  @Override
  public void connectionFailed(HostPort address) {
    if (closed) {
      return;
    }
    subscriptions.nodeLost(address);
    NodeChannel c = channels.get(address);
    if (c != null) {
      c.markDown(io.nanoTime() + DOWN_MILLIS * 1_000_000L);
    }
    refresh(null);
  }

  // ------------------------------------------------------------------ topology fetch

  /**
   * Fetches the topology unless a fetch is running already; completes with the installed
   * snapshot afterwards (which may be older than hoped if no node had a newer one). Fails when no
   * candidate answered or the cluster has no layout yet.
   */
  CompletableFuture<Installed> refresh(HostPort preferred) {
    CompletableFuture<Installed> f;
    synchronized (this) {
      if (refreshing != null) {
        return refreshing;
      }
      if (closed) {
        return CompletableFuture.failedFuture(new CacheClosedException("the client is closed"));
      }
      f = new CompletableFuture<>();
      refreshing = f;
    }
    fetch(candidates(preferred), 0, null);
    return f;
  }

  private List<HostPort> candidates(HostPort preferred) {
    Set<HostPort> up = new LinkedHashSet<>();
    Set<HostPort> down = new LinkedHashSet<>();
    if (preferred != null && !isDown(preferred)) {
      up.add(preferred);
    }
    List<HostPort> members = new ArrayList<>();
    for (Destination t : installed.get().targets().values()) {
      members.add(t.address());
    }
    Collections.shuffle(members, ThreadLocalRandom.current());
    members.addAll(settings.seeds());
    for (HostPort a : members) {
      (isDown(a) ? down : up).add(a);
    }
    List<HostPort> all = new ArrayList<>(up);
    for (HostPort a : down) {
      if (!up.contains(a)) {
        all.add(a);
      }
    }
    return all;
  }

  private void fetch(List<HostPort> candidates, int index, CacheException last) {
    if (closed) {
      endRefresh(null, new CacheClosedException("the client is closed"));
      return;
    }
    if (index >= candidates.size()) {
      Installed i = installed.get();
      if (i.routable() && last != null && last.protocolStatus() != Status.AUTH_FAILED) {
        endRefresh(i, null);
      } else {
        endRefresh(null, last != null && last.protocolStatus() == Status.AUTH_FAILED ? last
            : new CacheUnavailableException(Status.UNAVAILABLE, String.format(
                "no node answered with a cluster layout; tried %s%s", candidates,
                last == null ? "" : " (last: " + last.getMessage() + ")"), last));
      }
      return;
    }
    HostPort address = candidates.get(index);
    send(channel(address), new Request.GetTopology(), 0, installed.get().topology().epoch(),
        new Reply() {
          @Override
          public void answered(Response response) {
            try {
              onTopologyAnswer(response);
            } catch (RuntimeException e) {
              // Every call waiting for this fetch must hear back, whatever went wrong here.
              endRefresh(null, new CacheUnavailableException(Status.INTERNAL,
                  "could not install the topology from " + address + ": " + e, e));
            }
          }

          private void onTopologyAnswer(Response response) {
            if (response instanceof Response.CurrentTopology ct) {
              Installed now = install(ct.topology());
              if (now.routable()) {
                endRefresh(now, null);
                return;
              }
              fetch(candidates, index + 1, new CacheUnavailableException(Status.UNAVAILABLE,
                  address + " has no cluster layout yet (epoch " + ct.topology().epoch() + ")",
                  null));
            } else if (response instanceof Response.Failure f
                && f.status() == Status.AUTH_FAILED) {
              endRefresh(null, Errors.of(f, "TOPOLOGY from " + address));
            } else {
              fetch(candidates, index + 1, Errors.of(response.status(),
                  "TOPOLOGY from " + address + " answered " + response.status()));
            }
          }

          @Override
          public void failed(CacheException error, boolean maybeApplied) {
            if (error.protocolStatus() == Status.AUTH_FAILED
                || error instanceof CacheClosedException) {
              endRefresh(null, error);
            } else {
              fetch(candidates, index + 1, error);
            }
          }
        });
  }

  private void endRefresh(Installed result, CacheException error) {
    CompletableFuture<Installed> f;
    synchronized (this) {
      f = refreshing;
      refreshing = null;
    }
    if (f == null) {
      return;
    }
    if (error != null) {
      f.completeExceptionally(error);
    } else {
      f.complete(result);
    }
  }

  /**
   * Installs {@code t} if its epoch is higher than the current one, or if it comes from another
   * cluster (a different cluster id: the whole cluster restarted and its epochs started over);
   * returns what is installed.
   */
  private Installed install(Topology t) {
    while (true) {
      Installed current = installed.get();
      long ours = current.topology().clusterId();
      boolean restarted = ours != 0 && t.clusterId() != 0 && t.clusterId() != ours;
      if (!restarted && t.epoch() <= current.topology().epoch()) {
        return current;
      }
      Installed next = snapshot(t);
      if (installed.compareAndSet(current, next)) {
        subscriptions.topologyChanged(next);
        if (restarted) {
          LOG.log(Level.INFO, () -> String.format(
              "the cluster restarted (cluster id %016x, was %016x): "
              + "following its topology epoch %d, down from %d", t.clusterId(), ours,
              t.epoch(), current.topology().epoch()));
        }
        LOG.log(Level.DEBUG, () -> "installed topology epoch " + t.epoch() + " with "
            + t.nodes().size() + " nodes");
        return next;
      }
    }
  }

  // ------------------------------------------------------------------ calls and timers

  /**
   * Registers a call that waits outside any connection, so that {@link #close()} can fail it;
   * false if the client is closed.
   */
  boolean register(LiveCall call) {
    live.add(call);
    if (closed) {
      live.remove(call);
      return false;
    }
    return true;
  }

  void unregister(LiveCall call) {
    live.remove(call);
  }

  /** Runs {@code task} on an event loop after {@code delayMillis} (at the end of this turn if 0). */
  void schedule(long delayMillis, Runnable task) {
    if (closed) {
      return;
    }
    try {
      io.schedule(delayMillis, task);
    } catch (RuntimeException e) {
      // Vert.x is closing: close() fails every registered call, this one included.
    }
  }

  long backoffMillis(int retry) {
    return settings.backoffMillis(retry, ThreadLocalRandom.current().nextDouble());
  }

  // ------------------------------------------------------------------ close

  CompletableFuture<Void> close() {
    CompletableFuture<Installed> f;
    CompletableFuture<Void> done;
    synchronized (this) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      closing = new CompletableFuture<>();
      done = closing;
      f = refreshing;
      refreshing = null;
    }
    if (hotKeyTimer >= 0) {
      io.cancel(hotKeyTimer);
    }
    // Callers' callbacks run from here on: outside the lock.
    CacheClosedException error = new CacheClosedException("the client was closed");
    for (LiveCall c : List.copyOf(live)) {
      c.abort(error);
    }
    live.clear();
    for (NodeChannel c : channels.values()) {
      c.close(error);
    }
    if (f != null) {
      f.completeExceptionally(error);
    }
    io.close().whenComplete((v, e) -> done.complete(null));
    return done;
  }

  boolean isClientThread() {
    return io.isClientThread();
  }
}
