package io.ringcache.node.server;

import io.ringcache.protocol.ProtocolLimits;
import java.util.Objects;

/**
 * What the request path needs from the node's configuration.
 *
 * @param nodeName this node's stable name, as it appears on the ring
 * @param host address the servers bind to
 * @param port binary protocol port (clients and peers)
 * @param httpPort HTTP API port, 0 for none
 * @param writeAcksAll answer a write only after every write owner applied it (else after the
 *     coordinating owner did, replicas following asynchronously)
 * @param readFromAny let any owner answer a read, not only the primary
 * @param maxConnections open binary connections allowed, all event loops together
 * @param maxInFlight requests one connection may have unanswered
 * @param requestTimeoutMillis how long a node-to-node request may take
 * @param authToken the token clients and peers must present in HELLO; empty = no auth
 * @param limits key, value, frame and batch bounds
 */
public record ServerSettings(String nodeName, String host, int port, int httpPort,
    boolean writeAcksAll, boolean readFromAny, int maxConnections, int maxInFlight,
    long requestTimeoutMillis, String authToken, ProtocolLimits limits) {

  public ServerSettings {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(authToken, "authToken");
    Objects.requireNonNull(limits, "limits");
  }

  public boolean authRequired() {
    return !authToken.isEmpty();
  }

  @Override
  public String toString() {
    return "ServerSettings[node=" + nodeName + ", " + host + ":" + port + ", http=" + httpPort
        + ", writeAcks=" + (writeAcksAll ? "all" : "one") + ", readFrom="
        + (readFromAny ? "any" : "primary") + ", maxConnections=" + maxConnections
        + ", maxInFlight=" + maxInFlight + ", timeout=" + requestTimeoutMillis + "ms, auth="
        + (authRequired() ? "<redacted>" : "off") + ", " + limits + "]";
  }
}
