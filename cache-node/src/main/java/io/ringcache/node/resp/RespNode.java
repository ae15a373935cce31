package io.ringcache.node.resp;

import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.StoreStats;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Future;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What RESP commands see of the node: one event loop's request path and a few read-only gauges.
 *
 * @param path serves a request as every front-end does (routing, forwarding, replication,
 *     metrics); its future never fails: failures arrive as {@link Response.Failure}
 * @param settings the node's server settings (limits, tokens, name)
 * @param epoch the installed topology's epoch
 * @param store this node's store statistics
 * @param openConnections client connections open on this node, both protocols
 */
public record RespNode(Path path, ServerSettings settings, LongSupplier epoch,
    Supplier<StoreStats> store, IntSupplier openConnections) {

  /** The request path of one event loop. */
  @FunctionalInterface
  public interface Path {
    /** Never throws; never fails. */
    Future<Response> call(Request request);
  }
}
