/**
 * Topologies: the one installed on this node ({@link io.ringcache.node.topology.TopologyHolder}),
 * who this node is on it ({@link io.ringcache.node.topology.Self}), the coordinator that
 * publishes the next one ({@link io.ringcache.node.topology.TopologyCoordinator}) and its pure
 * planning step ({@code TopologyPlanner}), the progress every node reports
 * ({@link io.ringcache.node.topology.ProgressBoard}) and the majority guard
 * ({@link io.ringcache.node.topology.PartitionGuard}).
 *
 * <p>Floor: above {@code node.cluster} and {@code node.logging}, which it uses; below everything
 * that moves or serves data ({@code node.rebalance}, {@code node.replication}, {@code
 * node.server}, ...), which reads the topology from here. The progress board lives here, not in
 * {@code node.rebalance}, because the coordinator reads it: the rebalancer reports into it from
 * above. {@code PackageCyclesTest} fails on any dependency that points back up.
 */
package io.ringcache.node.topology;
