package io.ringcache.loadtest.peer;

import java.nio.file.Path;

/**
 * A member process {@link HazelcastCluster} started.
 *
 * @param name the member's name, {@code member-1} and so on
 * @param pid its OS process id
 * @param host the address it binds, 127.0.0.1
 * @param port its one member port (clients connect here too)
 * @param log its stdout and stderr
 */
public record HazelcastMember(String name, long pid, String host, int port, Path log) {

  /** {@code host:port}, as a Hazelcast client's member address. */
  public String address() {
    return host + ":" + port;
  }
}
