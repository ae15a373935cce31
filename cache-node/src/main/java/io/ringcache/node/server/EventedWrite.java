package io.ringcache.node.server;

import io.ringcache.node.caches.EventHub;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.store.StoreStatus;
import io.ringcache.node.store.StoredValue;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A write on the coordinating owner with its entry event: every path that coordinates writes
 * (single-key and MULTI_SET) applies through here, so none forgets to tell subscribers.
 *
 * <p>When the key's cache has subscribers on this node, the write runs under the key's stripe
 * lock ({@link EventHub#lockFor}): read the value it replaces (which tells CREATED from UPDATED),
 * apply, publish. Two writes of one key therefore publish in the order the store applied them.
 * Without subscribers it is the bare store call and one counter.
 */
final class EventedWrite {

  /** What a write tells subscribers when it changes the store. */
  enum Kind {
    /** CREATED or UPDATED, with the new value. */
    WRITE,
    REMOVE,
    EXPIRE,
    /** Nothing (a touch: the value did not change). */
    NONE
  }

  private EventedWrite() {}

  static Kind kindOf(Request.Write request) {
    if (request instanceof Request.Delete) {
      return Kind.REMOVE;
    }
    if (request instanceof Request.DeleteIf d) {
      return d.asExpired() ? Kind.EXPIRE : Kind.REMOVE;
    }
    if (request instanceof Request.GetTouch) {
      return Kind.NONE;
    }
    return Kind.WRITE;
  }

  /** Applies {@code apply} to {@code key}'s store entry and publishes its event. */
  static StoreResult apply(RouteContext ctx, Key key, Kind kind,
      Function<StoreKey, StoreResult> apply) {
    ctx.caches.hotKeys.record(key);
    StoreKey storeKey = RouteContext.storeKey(key);
    String cache = key.isQualified() ? key.cacheName() : Key.DEFAULT_CACHE;
    EventHub events = ctx.caches.events;
    StoreResult res;
    if (kind == Kind.NONE || !events.hasSubscribers(cache)) {
      res = apply.apply(storeKey);
    } else {
      synchronized (events.lockFor(key)) {
        StoredValue before = ctx.store.peek(storeKey);
        res = apply.apply(storeKey);
        publish(events, cache, kind, key, before, res, events.wantsOldValues(cache));
      }
    }
    if (res.replica() != null) {
      ctx.caches.coordinatedWrites.increment();
      // A load lease of the key ends with any write: its waiters ask again and find the value.
      ctx.caches.leases.written(key);
    }
    return res;
  }

  private static void publish(EventHub events, String cache, Kind kind, Key key,
      StoredValue before, StoreResult res, boolean withOld) {
    if (res.status() != StoreStatus.OK || res.replica() == null) {
      return;
    }
    // The value before is read either way (it tells CREATED from UPDATED); copied only if asked.
    byte[] old = before == null || !withOld ? null
        : Arrays.copyOfRange(before.array(), before.offset(), before.offset() + before.length());
    Response.EventType type = switch (kind) {
      case REMOVE -> Response.EventType.REMOVED;
      case EXPIRE -> Response.EventType.EXPIRED;
      default -> before == null ? Response.EventType.CREATED : Response.EventType.UPDATED;
    };
    byte[] value = kind == Kind.WRITE ? res.replica().value() : null;
    events.publish(cache, type, key, res.replica().version(), value, old);
  }
}
