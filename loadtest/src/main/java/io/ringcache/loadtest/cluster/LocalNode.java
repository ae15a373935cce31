package io.ringcache.loadtest.cluster;

import java.nio.file.Path;

/**
 * One node process a {@link LocalCluster} started: a snapshot, not a live view. A restarted node
 * (same name) is a new {@code LocalNode} with a new pid and new ports.
 *
 * @param name the node's member name on the ring
 * @param pid the operating-system process id
 * @param host the address it binds, always 127.0.0.1
 * @param clientPort binary-protocol port, for clients
 * @param httpPort HTTP port (health, topology, stats, HTTP API)
 * @param clusterPort the first Hazelcast member port it tries
 * @param log the file its standard output and error go to (appended across restarts)
 */
public record LocalNode(
    String name, long pid, String host, int clientPort, int httpPort, int clusterPort, Path log) {

  /** {@code host:clientPort}, what {@code CacheClient.builder().seeds(...)} takes. */
  public String clientAddress() {
    return host + ":" + clientPort;
  }

  /** {@code http://host:httpPort}, without a trailing slash. */
  public String httpBase() {
    return "http://" + host + ":" + httpPort;
  }
}
