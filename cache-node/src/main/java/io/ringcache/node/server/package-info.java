/**
 * The node's servers on each event loop ({@link io.ringcache.node.server.ServerVerticle}): the
 * binary protocol's connections, the request router and its one class per operation family, the
 * HTTP API, and the node's statistics. Further front-ends plug in through {@link
 * io.ringcache.node.server.LoopFrontEnd} over a loop's {@link
 * io.ringcache.node.server.RequestPath}.
 *
 * <p>Floor: above {@code node.replication}, {@code node.rebalance}, {@code node.caches}, {@code
 * node.topology}, {@code node.peer}, {@code node.store}, {@code node.security} and {@code
 * node.logging}, which it uses; below {@code node.resp}, {@code node.snapshot} and {@code
 * node.metrics}, which use its settings and statistics. It must not name those: the node hands it
 * the RESP front-end as a {@code LoopFrontEnd}. {@code PackageCyclesTest} fails on any dependency
 * that points back up.
 */
package io.ringcache.node.server;
