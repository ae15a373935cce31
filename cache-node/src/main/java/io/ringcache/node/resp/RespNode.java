package io.ringcache.node.resp;

import io.ringcache.node.server.RequestPath;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.StoreStats;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What RESP commands see of the node: one event loop's request path and a few read-only gauges.
 *
 * @param path serves a request as every front-end does (routing, forwarding, replication,
 *     metrics); its future never fails
 * @param settings the node's server settings (limits, tokens, name)
 * @param epoch the installed topology's epoch
 * @param store this node's store statistics
 * @param openConnections client connections open on this node, both protocols
 */
public record RespNode(RequestPath path, ServerSettings settings, LongSupplier epoch,
    Supplier<StoreStats> store, IntSupplier openConnections) {}
