package io.ringcache.node.caches;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Response;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Entry events of the named caches, from this node (where it is a key's primary owner) to the
 * connections that subscribed.
 *
 * <h2>Design</h2>
 * A write this node coordinates runs, when its cache has subscribers, under the key's stripe lock
 * ({@link #lockFor}): read the old value, apply, publish. So two writes of one key publish in the
 * order the store applied them, and each subscriber's queue ({@link Sink}) receives a key's events
 * in version order. The lock is taken only for caches with subscribers: a write to any other cache
 * pays one map lookup.
 *
 * <h2>Bounds</h2>
 * The hub never queues: it hands each event to the subscriber's sink, which holds a bounded queue
 * per connection and disconnects a subscriber that falls behind (telling it with a MISSED event
 * first). So a slow consumer costs its own connection, never the node's memory.
 */
public final class EventHub {

  /** Where one connection's events go: thread-safe, never blocks. */
  public interface Sink {
    /** Queues an event tagged with subscription {@code id}; may drop it and disconnect. */
    void push(int id, Response.Event event);
  }

  private record Subscriber(Sink sink, int id, boolean withOld) {}

  private static final int STRIPES = 256;
  private final Object[] locks = new Object[STRIPES];
  private final Map<String, List<Subscriber>> byCache = new ConcurrentHashMap<>();

  public EventHub() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** Whether {@code cache} has a subscriber on this node. */
  public boolean hasSubscribers(String cache) {
    return !byCache.isEmpty() && byCache.containsKey(cache);
  }

  /** Whether any subscriber of {@code cache} asked for old values. */
  public boolean wantsOldValues(String cache) {
    List<Subscriber> subs = byCache.get(cache);
    if (subs != null) {
      for (Subscriber s : subs) {
        if (s.withOld()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The lock a write of {@code key} holds while it applies and publishes. */
  public Object lockFor(Key key) {
    return locks[(key.hashCode() & 0x7fffffff) % STRIPES];
  }

  public void subscribe(String cache, Sink sink, int id, boolean withOld) {
    byCache.compute(cache, (c, subs) -> {
      List<Subscriber> next = subs == null ? new CopyOnWriteArrayList<>() : subs;
      next.removeIf(s -> s.sink() == sink && s.id() == id);
      next.add(new Subscriber(sink, id, withOld));
      return next;
    });
  }

  public void unsubscribe(String cache, Sink sink, int id) {
    byCache.computeIfPresent(cache, (c, subs) -> {
      subs.removeIf(s -> s.sink() == sink && s.id() == id);
      return subs.isEmpty() ? null : subs;
    });
  }

  /** Drops every subscription of a connection that closed. */
  public void remove(Sink sink) {
    for (String cache : byCache.keySet()) {
      byCache.computeIfPresent(cache, (c, subs) -> {
        subs.removeIf(s -> s.sink() == sink);
        return subs.isEmpty() ? null : subs;
      });
    }
  }

  /** Subscriptions in all, for metrics. */
  public int subscriptions() {
    int n = 0;
    for (List<Subscriber> subs : byCache.values()) {
      n += subs.size();
    }
    return n;
  }

  /**
   * Sends an event of {@code key} (of {@code cache}) to its subscribers; {@code value} and
   * {@code old} are the bytes after and before (either may be null).
   */
  public void publish(String cache, Response.EventType type, Key key, long version,
      byte[] value, byte[] old) {
    List<Subscriber> subs = byCache.get(cache);
    if (subs == null) {
      return;
    }
    Buffer v = value == null ? null : Buffer.buffer(value);
    Buffer o = old == null ? null : Buffer.buffer(old);
    Response.Event withOld = null;
    Response.Event plain = null;
    for (Subscriber s : subs) {
      Response.Event e;
      if (s.withOld() && o != null) {
        if (withOld == null) {
          withOld = new Response.Event(type, key, version, v, o, "");
        }
        e = withOld;
      } else {
        if (plain == null) {
          plain = new Response.Event(type, key, version, v, null, "");
        }
        e = plain;
      }
      s.sink().push(s.id(), e);
    }
  }
}
