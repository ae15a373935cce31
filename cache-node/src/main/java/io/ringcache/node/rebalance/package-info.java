/**
 * Data follows ownership: the {@link io.ringcache.node.rebalance.Rebalancer} acts on each
 * installed topology (range transfers, drain, the hand-off proof) and reports its progress on the
 * topology's {@link io.ringcache.node.topology.ProgressBoard}; {@link
 * io.ringcache.node.rebalance.RangeTransfer} streams one range to its new owners.
 *
 * <p>Floor: above {@code node.topology}, {@code node.peer}, {@code node.store}, {@code
 * node.security} and {@code node.logging}, which it uses; below {@code node.replication} and
 * {@code node.server}. Nothing under it may name a type from here. {@code PackageCyclesTest}
 * fails on any dependency that points back up.
 */
package io.ringcache.node.rebalance;
