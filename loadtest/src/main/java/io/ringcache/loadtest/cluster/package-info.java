/**
 * {@link io.ringcache.loadtest.cluster.LocalCluster}: N node processes on 127.0.0.1 with free
 * ports, readiness from their topology, SIGKILL and SIGTERM by PID. The one launcher for tests, the
 * load test and the demo.
 */
package io.ringcache.loadtest.cluster;
