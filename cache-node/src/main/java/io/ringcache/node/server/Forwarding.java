package io.ringcache.node.server;

import io.ringcache.protocol.Flags;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;

/**
 * Sends a request this node does not coordinate to the node that does, with the FORWARDED flag.
 * A forwarded request is never forwarded again: the receiver serves it or answers NOT_OWNER, so
 * two nodes on different epochs cannot bounce a request between them.
 */
final class Forwarding {

  private final RouteContext ctx;

  Forwarding(RouteContext ctx) {
    this.ctx = ctx;
  }

  Future<Response> forward(Topology t, Member owner, int flags, Request request) {
    return forward(t, owner.name(), flags, request);
  }

  Future<Response> forward(Topology t, String owner, int flags, Request request) {
    if (owner.equals(ctx.settings.nodeName())) {
      // The owner is this name but not this process (isSelf said no): an earlier incarnation.
      // Forwarding would reach this process again; NOT_OWNER says "not applied, refresh".
      return Future.succeededFuture(new Response.Failure(Status.NOT_OWNER,
          ctx.notThisIncarnation(t, ctx.self.predecessorIn(t).orElse("?"))));
    }
    if (Flags.isSet(flags, Flags.FORWARDED)) {
      return Future.succeededFuture(new Response.Failure(Status.NOT_OWNER, String.format(
          "node '%s' does not own this key in epoch %d (owner: '%s'); refresh the topology",
          ctx.settings.nodeName(), t.epoch(), owner)));
    }
    NodeAddress address = t.node(owner).orElse(null);
    if (address == null) {
      return Future.succeededFuture(new Response.Failure(Status.UNAVAILABLE,
          "owner '" + owner + "' has no address in epoch " + t.epoch()));
    }
    ctx.stats.forwarded.increment();
    return ctx.peers.send(address, flags | Flags.FORWARDED, t.epoch(), request)
        .otherwise(RequestRouter::failure);
  }
}
