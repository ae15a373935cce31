/**
 * {@link io.ringcache.loadtest.cluster.LocalCluster}: N node processes on 127.0.0.1 with free
 * ports, readiness from their topology, SIGKILL and SIGTERM by PID. The one ringcache cluster for
 * tests, the load test, the demo and {@code loadtest cluster}. Under it, and under the Hazelcast
 * peer's cluster, {@link io.ringcache.loadtest.cluster.JvmProcessLauncher}: the one launcher of
 * JVM processes (start, readiness, kill, stop, cleanup).
 */
package io.ringcache.loadtest.cluster;
