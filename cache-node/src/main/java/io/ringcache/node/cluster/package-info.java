/**
 * Clustering: how a node joins the Hazelcast-backed Vert.x cluster ({@link
 * io.ringcache.node.cluster.ClusterBootstrap}), who is in it ({@link
 * io.ringcache.node.cluster.Membership}, oldest member first, the oldest being the coordinator),
 * and the cluster-wide record of the last published topology ({@link
 * io.ringcache.node.cluster.ClusterState}).
 *
 * <p>Floor: one above the ground; it uses only {@code node.logging} and {@code node.security}.
 * {@code node.config} builds its {@link io.ringcache.node.cluster.ClusterSettings} from above,
 * and {@code node.topology} reads membership from above. {@code PackageCyclesTest} fails on any
 * dependency that points back up.
 */
package io.ringcache.node.cluster;
