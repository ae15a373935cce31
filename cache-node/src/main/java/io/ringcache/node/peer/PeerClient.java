package io.ringcache.node.peer;

import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Future;

/**
 * Node-to-node data traffic: forwarding, replication and (later) range transfer, over pipelined
 * binary-protocol connections. The clustered event bus is for the control plane only; measured
 * here it reaches about a tenth of a raw connection's throughput at 64 requests in flight.
 *
 * <p>Every returned future completes: with the peer's {@link Response} (which may itself be a
 * {@link Response.Failure}), or failed with a {@link PeerException} carrying the status to answer
 * with ({@code UNAVAILABLE} when the peer cannot be reached or the connection drops,
 * {@code TIMEOUT} when it does not answer in time).
 */
public interface PeerClient {

  /**
   * Sends {@code request} to {@code peer} with the given header flags and {@code epoch}: the epoch
   * of the topology the request was routed by, which the receiver checks for replication and
   * transfer. Must be called on the event loop that owns this client.
   */
  Future<Response> send(NodeAddress peer, int flags, long epoch, Request request);

  /** Fails every pending request and closes every connection. */
  Future<Void> close();
}
