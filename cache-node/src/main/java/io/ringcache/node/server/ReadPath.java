package io.ringcache.node.server;

import io.netty.buffer.Unpooled;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoredValue;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;

/**
 * GET: served from this node's store when this process is the key's primary read owner (or any
 * read owner, with {@code read-from=any} or the ANY_OWNER flag), else forwarded to the primary.
 */
final class ReadPath {

  private final RouteContext ctx;
  private final Forwarding forwarding;

  ReadPath(RouteContext ctx, Forwarding forwarding) {
    this.ctx = ctx;
    this.forwarding = forwarding;
  }

  Future<Response> get(Request.Get r, int flags) {
    Topology t = ctx.topology.current();
    List<Member> owners = t.readReplicas(r.key().position());
    if (owners.isEmpty()) {
      return RouteContext.noTopology();
    }
    if (readsLocally(t, owners, flags)) {
      return Future.succeededFuture(localGet(r.key()));
    }
    return forwarding.forward(t, owners.get(0), flags, r);
  }

  boolean readsLocally(Topology t, List<Member> owners, int flags) {
    if (ctx.isSelf(t, owners.get(0))) {
      return true;
    }
    boolean any = ctx.settings.readFromAny() || Flags.isSet(flags, Flags.ANY_OWNER);
    return any && owners.stream().anyMatch(m -> ctx.isSelf(t, m));
  }

  Response localGet(Key key) {
    ctx.caches.hotKeys.record(key);
    StoredValue v = ctx.store.read(RouteContext.storeKey(key));
    if (v == null) {
      return Response.Failure.of(Status.NOT_FOUND);
    }
    // The protocol says -1 for "no TTL"; the store says NO_TTL (0) and never returns 0 for a
    // live value that has one (it rounds up), so the mapping is unambiguous.
    long ttl = v.ttlMillis() == ReplicaEntry.NO_TTL ? -1 : v.ttlMillis();
    // The answer wraps the stored bytes (never written after they are stored) instead of copying
    // them; they are copied once, into the answer frame. Vert.x's public Buffer.buffer(byte[])
    // would copy, hence its internal wrapping factory.
    return new Response.Value(v.version(), ttl, BufferInternal.buffer(
        Unpooled.wrappedBuffer(v.array(), v.offset(), v.length())));
  }
}
