/**
 * The node's Prometheus meters: Micrometer's standard cache meters over the store, {@code
 * ringcache_*} meters for requests, forwarding, replication, topology, rebalancing and
 * connections, and the JVM's own. {@link io.ringcache.node.metrics.NodeMetrics} owns one registry
 * per node; {@code docs/metrics.md} lists every meter.
 */
package io.ringcache.node.metrics;
