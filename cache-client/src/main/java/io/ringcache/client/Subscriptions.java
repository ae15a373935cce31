package io.ringcache.client;

import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

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
 * {@link EntryListener#onEventsMissed} and the client subscribes again to the nodes of its current
 * topology; delivery goes on.
 *
 * <h2>Concurrency</h2>
 * Events of one node arrive on that connection's event loop, in the node's order; the per-key
 * version map is synchronized per subscription.
 */
final class Subscriptions {

  private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
  /** Keys whose last delivered version a subscription remembers, for duplicate suppression. */
  static final int RECENT_KEYS = 10_000;
  private static final long RETRY_MILLIS = 200;

  private final Router router;
  private final AtomicInteger nextId = new AtomicInteger();
  private final Map<Integer, Sub> byId = new ConcurrentHashMap<>();

  Subscriptions(Router router) {
    this.router = router;
  }

  /** One subscription; events reach {@code listener} as bytes. */
  final class Sub implements Subscription {
    final int id;
    final String cache;
    final EntryListener<byte[]> listener;
    final boolean withOld;
    final Set<HostAndPort> active = ConcurrentHashMap.newKeySet();
    final Set<HostAndPort> attaching = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastVersion = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
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
      for (HostAndPort node : active) {
        done.add(router.sendTo(node, new Request.Subscribe(cache, id, withOld, true))
            .exceptionally(e -> null));
      }
      active.clear();
      return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
      cancel();
    }

    void deliver(Response.Event e) {
      String key = e.key().asString();
      // An expiry carries the version of the entry it removed: it ranks just after that write,
      // and before any later write (whose version is higher).
      boolean removal = e.type() == Response.EventType.EXPIRED
          || e.type() == Response.EventType.REMOVED;
      long rank = e.version() * 2 + (removal ? 1 : 0);
      synchronized (lastVersion) {
        Long last = lastVersion.get(key);
        if (last != null && rank <= last) {
          return;
        }
        lastVersion.put(key, rank);
      }
      EntryEvent.Type type = switch (e.type()) {
        case CREATED -> EntryEvent.Type.CREATED;
        case UPDATED -> EntryEvent.Type.UPDATED;
        case REMOVED -> EntryEvent.Type.REMOVED;
        case EXPIRED -> EntryEvent.Type.EXPIRED;
        case MISSED -> throw new IllegalStateException("MISSED is not an entry event");
      };
      try {
        listener.onEvent(new EntryEvent<>(type, key,
            e.value() == null ? null : e.value().getBytes(),
            e.oldValue() == null ? null : e.oldValue().getBytes(), e.version()));
      } catch (RuntimeException ex) {
        LOG.warning(() -> "entry listener of cache '" + cache + "' threw: " + ex);
      }
    }

    void missed(String reason) {
      synchronized (lastVersion) {
        lastVersion.clear();
      }
      try {
        listener.onEventsMissed(reason);
      } catch (RuntimeException ex) {
        LOG.warning(() -> "entry listener of cache '" + cache + "' threw: " + ex);
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
          attached.add(attach(sub, new HostAndPort(n.host(), n.clientPort()), true));
        }
      }
      return CompletableFuture.allOf(attached.toArray(CompletableFuture[]::new))
          .handle((v, e) -> {
            if (e != null) {
              sub.cancel();
              throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            return (Subscription) sub;
          });
    });
  }

  /**
   * Subscribes {@code sub} at {@code node}. Unless {@code initial}, a node that had coordinated
   * writes before means events may have been missed.
   */
  private CompletableFuture<Void> attach(Sub sub, HostAndPort node, boolean initial) {
    if (sub.cancelled || !sub.attaching.add(node)) {
      return CompletableFuture.completedFuture(null);
    }
    return router.sendTo(node, new Request.Subscribe(sub.cache, sub.id, sub.withOld, false))
        .thenAccept(r -> {
          sub.attaching.remove(node);
          if (r instanceof Response.Counter c) {
            sub.active.add(node);
            if (!initial && c.value() > 0) {
              sub.missed(String.format("node %s joined this subscription after it had"
                  + " coordinated %d writes", node, c.value()));
            }
          } else if (r instanceof Response.Failure f) {
            throw Errors.of(f, "subscribe to cache '" + sub.cache + "' at " + node);
          }
        })
        .whenComplete((v, e) -> {
          sub.attaching.remove(node);
          if (e != null && !initial && !sub.cancelled) {
            router.schedule(RETRY_MILLIS, () -> reattach(sub, node));
          }
        });
  }

  private void reattach(Sub sub, HostAndPort node) {
    Router.Installed i = router.installed();
    for (NodeAddress n : i.topology().nodes()) {
      if (n.host().equals(node.host()) && n.clientPort() == node.port()
          && !sub.active.contains(node)) {
        attach(sub, node, true);
      }
    }
  }

  /** An EVENT frame from {@code from}. */
  void event(HostAndPort from, int id, Response.Event e) {
    if (e.type() == Response.EventType.MISSED) {
      for (Sub sub : byId.values()) {
        if (id == 0 || sub.id == id) {
          if (sub.active.remove(from)) {
            sub.missed("node " + from + ": " + e.reason());
          }
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
  void nodeLost(HostAndPort node) {
    for (Sub sub : byId.values()) {
      if (sub.active.remove(node)) {
        sub.missed("connection to " + node + " lost");
        router.schedule(RETRY_MILLIS, () -> reattach(sub, node));
      }
    }
  }

  /** A new topology: subscribe at nodes that joined, forget those that left. */
  void topologyChanged(Router.Installed installed) {
    if (byId.isEmpty()) {
      return;
    }
    Set<HostAndPort> nodes = ConcurrentHashMap.newKeySet();
    for (NodeAddress n : installed.topology().nodes()) {
      nodes.add(new HostAndPort(n.host(), n.clientPort()));
    }
    for (Sub sub : byId.values()) {
      sub.active.retainAll(nodes);
      for (HostAndPort node : nodes) {
        if (!sub.active.contains(node)) {
          attach(sub, node, false);
        }
      }
    }
  }

  static boolean isNoSuchCache(Throwable e) {
    return e instanceof CacheException c && c.status() == Status.NO_SUCH_CACHE;
  }
}
