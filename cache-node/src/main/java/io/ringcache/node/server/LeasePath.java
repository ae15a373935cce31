package io.ringcache.node.server;

import io.ringcache.node.caches.LeaseTable;
import io.ringcache.node.store.StoredValue;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import java.util.Arrays;
import java.util.List;

/**
 * LEASE on the key's coordinating owner (forwarded there from any other node, since that is where
 * every write of the key applies and ends its lease): the value if there is one, else a lease, else
 * a bounded wait for the holder's value. See {@link LeaseTable}.
 */
final class LeasePath {

  private final RouteContext ctx;
  private final Forwarding forwarding;

  LeasePath(RouteContext ctx, Forwarding forwarding) {
    this.ctx = ctx;
    this.forwarding = forwarding;
  }

  Future<Response> lease(Request.Lease r, int flags) {
    Key key = r.key();
    Topology t = ctx.topology.current();
    List<Member> owners = t.writeReplicas(key.position());
    if (owners.isEmpty()) {
      return RouteContext.noTopology();
    }
    if (!ctx.isSelf(t, owners.get(0))) {
      return forwarding.forward(t, owners.get(0), flags, r);
    }
    LeaseTable table = ctx.caches.leases;
    if (r.release()) {
      table.release(key, r.token());
      return answer(Response.LeaseState.RELEASED, 0);
    }
    Response value = value(key);
    if (value != null) {
      return Future.succeededFuture(value);
    }
    LeaseTable.Outcome outcome = table.acquire(key, r.leaseMillis());
    if (outcome == null) {
      return Future.succeededFuture(new Response.Failure(Status.BUSY, String.format(
          "%d keys are leased for loading on this node, limit is %d; retry or load without a"
              + " lease", table.size(), 100_000)));
    }
    if (outcome.granted()) {
      // A value written between the read above and the grant: give the lease back, answer it.
      Response late = value(key);
      if (late != null) {
        table.release(key, outcome.lease().token());
        return Future.succeededFuture(late);
      }
      return answer(Response.LeaseState.GRANTED, outcome.lease().token());
    }
    LeaseTable.Lease held = outcome.lease();
    long wait = Math.min(r.maxWaitMillis(), held.remainingMillis() + 1);
    if (wait <= 0) {
      return held(held);
    }
    ContextInternal context = (ContextInternal) Vertx.currentContext();
    Promise<Void> woken = context.promise();
    if (!held.await(woken)) {
      return held(held);
    }
    long timer = context.owner().setTimer(wait, id -> woken.tryComplete());
    return woken.future().compose(v -> {
      context.owner().cancelTimer(timer);
      // Woken by a write, a release, an expiry or the end of the wait: the caller asks again.
      Response now = value(key);
      return now != null ? Future.succeededFuture(now) : held(held);
    });
  }

  private Response value(Key key) {
    StoredValue v = ctx.store.peek(RouteContext.storeKey(key));
    if (v == null) {
      return null;
    }
    return new Response.LeaseAnswer(Response.LeaseState.VALUE, 0, v.version(),
        v.ttlMillis() == 0 ? -1 : v.ttlMillis(),
        Buffer.buffer(Arrays.copyOfRange(v.array(), v.offset(), v.offset() + v.length())));
  }

  private static Future<Response> held(LeaseTable.Lease lease) {
    return Future.succeededFuture(new Response.LeaseAnswer(Response.LeaseState.HELD, 0, 0,
        lease.remainingMillis(), null));
  }

  private static Future<Response> answer(Response.LeaseState state, long token) {
    return Future.succeededFuture(new Response.LeaseAnswer(state, token, 0, 0, null));
  }
}
