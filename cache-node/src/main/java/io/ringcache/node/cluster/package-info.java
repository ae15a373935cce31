/**
 * Clustering: how a node joins the Hazelcast-backed Vert.x cluster ({@link
 * io.ringcache.node.cluster.ClusterBootstrap}), who is in it ({@link
 * io.ringcache.node.cluster.Membership}, oldest member first, the oldest being the coordinator),
 * and the cluster-wide record of the last published topology ({@link
 * io.ringcache.node.cluster.ClusterState}).
 */
package io.ringcache.node.cluster;
