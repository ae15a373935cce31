package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's entry-event subscriptions ({@link NamedCache#subscribe}).
 *
 * <h2>Design</h2>
 * A subscription is registered on every node of the topology, since each node is the primary
 * owner of some keys and sends their events. Events come back as EVENT frames on the connection
 * that subscribed, tagged with the subscription's id. The client keeps, per subscription, the
 * last version it delivered for recently seen keys and drops an event that is not newer: across a
 * change of primary the old and the new owner may both report a write, and at-least-once becomes
 * once per version for the listener.
 *
 * <h2>Failure</h2>
 * Events can be lost when a connection to a node drops (its queue goes with it), when a node falls
 * too far behind and disconnects the subscriber (a MISSED event first), and when a node joins that
 * had coordinated writes before the subscription reached it. In each case the listener hears
 * {@link EntryListener#onEventsMissed} and the client subscribes there again (with backoff, for
 * as long as the node is in its topology); delivery goes on. Subscribes and cancels go over each
 * node's first connection, the one its events come back on.
 *
 * <h2>Concurrency</h2>
 * Events of one node arrive on that connection's event loop, in the node's order; delivery is
 * serialized per subscription (the version check and the listener call), so events of one key
 * that two nodes send around a change of primary still reach the listener in version order. A
 * listener that blocks stalls the connections delivering to it: hand slow work to an executor.
 */
final class Subscriptions {

  private static final Logger LOG = System.getLogger(Subscriptions.class.getName());
  /** Keys whose last delivered version a subscription remembers, for duplicate suppression. */
  static final int RECENT_KEYS = 10_000;
  private static final long RETRY_MILLIS = 100;
  private static final long MAX_RETRY_MILLIS = 2_000;

  private final Router router;
  private final AtomicInteger nextId = new AtomicInteger();
  private final Map<Integer, Sub> byId = new ConcurrentHashMap<>();

  Subscriptions(Router router) {
    this.router = router;
  }

  /** The last event delivered for a key: its version, and whether it ended the entry. */
  private record Last(long version, boolean removal) {}

  /** One subscription; events reach {@code listener} as bytes. */
  final class Sub implements Subscription {
    final int id;
    final String cache;
    final EntryListener<byte[]> listener;
    final boolean withOld;
    final Set<HostPort> active = ConcurrentHashMap.newKeySet();
    final Set<HostPort> attaching = ConcurrentHashMap.newKeySet();
    private final Map<String, Last> lastVersion = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Last> eldest) {
        return size() > RECENT_KEYS;
      }
    };
    volatile boolean cancelled;

    Sub(int id, String cache, EntryListener<byte[]> listener, boolean withOld) {
      this.id = id;
      this.cache = cache;
      this.listener = listener;
      this.withOld = withOld;
    }

    @Override
    public String cacheName() {
      return cache;
    }

    @Override
    public CompletionStage<Void> cancel() {
      cancelled = true;
      byId.remove(id);
      List<CompletableFuture<?>> done = new ArrayList<>();
      for (HostPort node : active) {
        done.add(router.sendTo(node, new Request.Subscribe(cache, id, withOld, true), true)
            .exceptionally(e -> null));
      }
      active.clear();
      return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
      cancel();
    }

    /**
     * Delivers one event unless it is not newer than the last delivered for its key. Serialized
     * per subscription: events of one key from two nodes (around a change of primary) arrive on
     * two connections, and the listener must see them in version order.
     */
    synchronized void deliver(Response.Event e) {
      String key = e.key().asString();
      // An expiry or removal carries the version of the entry it ended: it ranks just after the
      // write of that version, and before any later write (whose version is higher).
      boolean removal = e.type() == Response.EventType.EXPIRED
          || e.type() == Response.EventType.REMOVED;
      Last last = lastVersion.get(key);
      if (last != null && (e.version() < last.version()
          || (e.version() == last.version() && (!removal || last.removal())))) {
        return;
      }
      lastVersion.put(key, new Last(e.version(), removal));
      EntryEvent.Type type = switch (e.type()) {
        case CREATED -> EntryEvent.Type.CREATED;
        case UPDATED -> EntryEvent.Type.UPDATED;
        case REMOVED -> EntryEvent.Type.REMOVED;
        case EXPIRED -> EntryEvent.Type.EXPIRED;
        case MISSED, HEARTBEAT -> throw new IllegalStateException(e.type() + " is not an entry event");
      };
      try {
        listener.onEvent(new EntryEvent<>(type, key,
            e.value() == null ? null : e.value().getBytes(),
            e.oldValue() == null ? null : e.oldValue().getBytes(), e.version()));
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, () -> "entry listener of cache '" + cache + "' threw: " + ex);
      }
    }

    /**
     * Whether an event already delivered for {@code key} passed {@code version} or ended it: a
     * near cache must not keep that version, whose invalidation came before it could be kept
     * (a read answered by a replica that had not applied the write yet, or an answer overtaken by
     * the event on another connection). Best effort: only the last {@link #RECENT_KEYS} keys.
     */
    synchronized boolean passed(String key, long version) {
      Last last = lastVersion.get(key);
      return last != null && (last.version() > version
          || (last.version() == version && last.removal()));
    }

    synchronized void missed(String reason) {
      lastVersion.clear();
      try {
        listener.onEventsMissed(reason);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, () -> "entry listener of cache '" + cache + "' threw: " + ex);
      }
    }
  }

  CompletionStage<Subscription> subscribe(String cache, EntryListener<byte[]> listener,
      boolean withOld) {
    Sub sub = new Sub(nextId.incrementAndGet(), cache, listener, withOld);
    return router.ready().thenCompose(installed -> {
      byId.put(sub.id, sub);
      List<CompletableFuture<Void>> attached = new ArrayList<>();
      for (NodeAddress n : installed.topology().nodes()) {
        if (!installed.topology().isDown(n.name())) {
          attached.add(attach(sub, new HostPort(n.host(), n.clientPort()), false, -1));
        }
      }
      return CompletableFuture.allOf(attached.toArray(CompletableFuture[]::new))
          .handle((v, e) -> {
            if (e != null) {
              sub.cancel();
              Throwable cause = e instanceof CompletionException
                  && e.getCause() != null ? e.getCause() : e;
              throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
            return (Subscription) sub;
          });
    });
  }

  /**
   * Subscribes {@code sub} at {@code node}, on the node's first connection (its events come back
   * on it, and only it can cancel). With {@code reportPriorWrites}, a node that had coordinated
   * writes before means events may have been missed. {@code retry} is the attempt number of a
   * subscription that must be kept (retried with backoff while the node stays in the topology),
   * or -1 for the first subscribe, whose failure fails the caller.
   */
  private CompletableFuture<Void> attach(Sub sub, HostPort node, boolean reportPriorWrites,
      int retry) {
    if (sub.cancelled || !sub.attaching.add(node)) {
      return CompletableFuture.completedFuture(null);
    }
    return router.sendTo(node, new Request.Subscribe(sub.cache, sub.id, sub.withOld, false), true)
        .handle((r, e) -> {
          sub.attaching.remove(node);
          if (e == null && r instanceof Response.Counter c) {
            if (sub.cancelled) {
              // Cancelled while this subscribe was on its way: undo it there.
              router.sendTo(node, new Request.Subscribe(sub.cache, sub.id, sub.withOld, true),
                  true);
              return (Void) null;
            }
            sub.active.add(node);
            if (reportPriorWrites && c.value() > 0) {
              sub.missed(String.format("node %s joined this subscription after it had"
                  + " coordinated %d writes", node, c.value()));
            }
            return (Void) null;
          }
          CacheException failure = e != null
              ? (e.getCause() instanceof CacheException ce ? ce
                  : e instanceof CacheException ce2 ? ce2
                  : new CacheUnavailableException(Status.UNAVAILABLE, String.valueOf(e), null))
              : r instanceof Response.Failure f
                  ? Errors.of(f, "subscribe to cache '" + sub.cache + "' at " + node)
                  : CacheOps.unexpected(r);
          if (retry < 0) {
            throw failure;
          }
          retryLater(sub, node, retry + 1);
          return (Void) null;
        });
  }

  /** Subscribes again at {@code node} after a backoff, while it is in the topology. */
  private void retryLater(Sub sub, HostPort node, int retry) {
    if (sub.cancelled) {
      return;
    }
    long delay = Math.min(MAX_RETRY_MILLIS, RETRY_MILLIS << Math.min(retry, 4));
    router.schedule(delay, () -> {
      if (!sub.cancelled && !sub.active.contains(node) && inTopology(node)) {
        attach(sub, node, false, retry);
      }
    });
  }

  private boolean inTopology(HostPort node) {
    for (NodeAddress n : router.installed().topology().nodes()) {
      if (n.host().equals(node.host()) && n.clientPort() == node.port()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a test puts faults into the event path (drop, delay, reorder): every EVENT frame goes
   * through it before the client looks at it. Production passes each frame straight on.
   */
  interface EventPath {
    void carry(HostPort from, int id, Response.Event e, Runnable deliver);
  }

  private static final EventPath DIRECT = (from, id, e, deliver) -> deliver.run();
  volatile EventPath path = DIRECT;

  /** One node's event stream as this client sees it: the frame numbers and when it last spoke. */
  private static final class Stream {
    long lastSeq = -1;
    volatile long heardNanos;
    /** When the stream last showed a gap; meaningful once {@code broken}. */
    volatile long brokenNanos;
    volatile boolean broken;
    volatile boolean lost;
  }

  private final Map<HostPort, Stream> streams = new ConcurrentHashMap<>();

  /**
   * Whether every event {@code node} sent since {@code sinceNanos} (the start of a read, on this
   * client's {@link System#nanoTime} clock) has arrived: its stream has spoken since then (a
   * heartbeat at least), has not been lost or shown a gap since then, and is not silent now
   * (heard within {@code maxSilenceNanos}).
   */
  boolean completeSince(HostPort node, long sinceNanos, long maxSilenceNanos) {
    Stream s = streams.get(node);
    if (s == null || s.lost) {
      return false;
    }
    long heard = s.heardNanos;
    return heard - sinceNanos > 0 && (!s.broken || s.brokenNanos - sinceNanos < 0)
        && System.nanoTime() - heard < maxSilenceNanos;
  }

  /** An EVENT frame from {@code from}, through the (test-replaceable) event path. */
  void event(HostPort from, int id, Response.Event e) {
    path.carry(from, id, e, () -> arrived(from, id, e));
  }

  /** A frame as if it came through the event path: for tests that rewrite frames. */
  void arrivedForTest(HostPort from, int id, Response.Event e) {
    arrived(from, id, e);
  }

  private void arrived(HostPort from, int id, Response.Event e) {
    Stream stream = streams.computeIfAbsent(from, n -> new Stream());
    boolean gap;
    long previous;
    synchronized (stream) {
      previous = stream.lastSeq;
      gap = previous >= 0 && e.seq() != previous + 1;
      if (e.seq() > stream.lastSeq) {
        stream.lastSeq = e.seq();
      }
      stream.lost = false;
      if (gap || e.type() == Response.EventType.MISSED) {
        stream.brokenNanos = System.nanoTime();
        stream.broken = true;
      }
      stream.heardNanos = System.nanoTime();
    }
    if (gap) {
      // A frame is missing (or late): whatever it said is unknown until a resubscribe.
      for (Sub sub : byId.values()) {
        if (sub.active.contains(from)) {
          sub.missed(String.format("events from %s arrived out of sequence (frame %d after %d)",
              from, e.seq(), previous));
        }
      }
    }
    if (e.type() == Response.EventType.HEARTBEAT) {
      return;
    }
    if (e.type() == Response.EventType.MISSED) {
      // The node dropped events for this connection (and closes it): subscribe again.
      for (Sub sub : byId.values()) {
        if ((id == 0 || sub.id == id) && sub.active.remove(from)) {
          sub.missed("node " + from + ": " + e.reason());
          retryLater(sub, from, 0);
        }
      }
      return;
    }
    Sub sub = byId.get(id);
    if (sub != null && !sub.cancelled) {
      sub.deliver(e);
    }
  }

  /** The connection to {@code node} was lost: its events with it. */
  void nodeLost(HostPort node) {
    Stream lost = streams.remove(node);
    if (lost != null) {
      lost.lost = true;
    }
    for (Sub sub : byId.values()) {
      if (sub.active.remove(node)) {
        sub.missed("connection to " + node + " lost");
        retryLater(sub, node, 0);
      }
    }
  }

  private final List<Runnable> topologyListeners = new CopyOnWriteArrayList<>();

  /**
   * Runs {@code listener} on every new topology (a near cache drops what it cannot vouch for)
   * until the returned handle is run.
   */
  Runnable onTopologyChange(Runnable listener) {
    topologyListeners.add(listener);
    return () -> topologyListeners.remove(listener);
  }

  /** A new topology: subscribe at nodes that joined, forget those that left. */
  void topologyChanged(Router.Installed installed) {
    topologyListeners.forEach(Runnable::run);
    if (byId.isEmpty()) {
      return;
    }
    Set<HostPort> nodes = ConcurrentHashMap.newKeySet();
    for (NodeAddress n : installed.topology().nodes()) {
      nodes.add(new HostPort(n.host(), n.clientPort()));
    }
    for (Sub sub : byId.values()) {
      sub.active.retainAll(nodes);
      for (HostPort node : nodes) {
        if (!sub.active.contains(node)) {
          attach(sub, node, true, 0);
        }
      }
    }
  }
}
