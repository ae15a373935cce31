package io.ringcache.node.server;

import io.ringcache.node.security.AuthTokens;
import io.ringcache.node.security.NodeTls;
import io.ringcache.node.topology.Self;
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
 * @param auth the tokens clients and peers may present in HELLO (and as HTTP bearer)
 * @param limits key, value, frame and batch bounds
 * @param tls TLS on the client and HTTP ports and towards peers, or {@link NodeTls#off()}
 * @param connections idle and HELLO timeouts of binary-protocol connections
 * @param respPort RESP (Redis protocol) port, 0 for none; same tokens, TLS and limits as
 *     {@code port}
 * @param incarnation this process's cluster member id, known once the node joined the cluster
 *     ({@link #withIncarnation}); "" when unknown, and then a topology entry under this node's
 *     name is this process whatever incarnation it records (see {@link Self})
 */
public record ServerSettings(String nodeName, String host, int port, int httpPort,
    boolean writeAcksAll, boolean readFromAny, int maxConnections, int maxInFlight,
    long requestTimeoutMillis, AuthTokens auth, ProtocolLimits limits, NodeTls tls,
    ConnectionSettings connections, String incarnation, int respPort) {

  public ServerSettings {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(connections, "connections");
  }

  /** Settings of a node whose incarnation is not known yet. */
  public ServerSettings(String nodeName, String host, int port, int httpPort,
      boolean writeAcksAll, boolean readFromAny, int maxConnections, int maxInFlight,
      long requestTimeoutMillis, AuthTokens auth, ProtocolLimits limits, NodeTls tls,
      ConnectionSettings connections) {
    this(nodeName, host, port, httpPort, writeAcksAll, readFromAny, maxConnections, maxInFlight,
        requestTimeoutMillis, auth, limits, tls, connections, "", 0);
  }

  /** Settings with the default connection timeouts. */
  public ServerSettings(String nodeName, String host, int port, int httpPort,
      boolean writeAcksAll, boolean readFromAny, int maxConnections, int maxInFlight,
      long requestTimeoutMillis, AuthTokens auth, ProtocolLimits limits, NodeTls tls) {
    this(nodeName, host, port, httpPort, writeAcksAll, readFromAny, maxConnections, maxInFlight,
        requestTimeoutMillis, auth, limits, tls, ConnectionSettings.DEFAULTS);
  }

  /** Settings with one auth token ({@code ""} = none) and no TLS. */
  public ServerSettings(String nodeName, String host, int port, int httpPort,
      boolean writeAcksAll, boolean readFromAny, int maxConnections, int maxInFlight,
      long requestTimeoutMillis, String authToken, ProtocolLimits limits) {
    this(nodeName, host, port, httpPort, writeAcksAll, readFromAny, maxConnections, maxInFlight,
        requestTimeoutMillis, new AuthTokens(authToken, ""), limits, NodeTls.off());
  }

  /** These settings with other tokens and TLS. */
  public ServerSettings withSecurity(AuthTokens auth, NodeTls tls) {
    return new ServerSettings(nodeName, host, port, httpPort, writeAcksAll, readFromAny,
        maxConnections, maxInFlight, requestTimeoutMillis, auth, limits, tls, connections,
        incarnation, respPort);
  }

  /** These settings with other connection timeouts. */
  public ServerSettings withConnections(ConnectionSettings connections) {
    return new ServerSettings(nodeName, host, port, httpPort, writeAcksAll, readFromAny,
        maxConnections, maxInFlight, requestTimeoutMillis, auth, limits, tls, connections,
        incarnation, respPort);
  }

  /** These settings for the process whose cluster member id is {@code incarnation}. */
  public ServerSettings withIncarnation(String incarnation) {
    return new ServerSettings(nodeName, host, port, httpPort, writeAcksAll, readFromAny,
        maxConnections, maxInFlight, requestTimeoutMillis, auth, limits, tls, connections,
        incarnation, respPort);
  }

  /** These settings with a RESP server on {@code respPort} (0 = none). */
  public ServerSettings withRespPort(int respPort) {
    return new ServerSettings(nodeName, host, port, httpPort, writeAcksAll, readFromAny,
        maxConnections, maxInFlight, requestTimeoutMillis, auth, limits, tls, connections,
        incarnation, respPort);
  }

  /** This process as topologies name it. */
  public Self self() {
    return new Self(nodeName, incarnation);
  }

  /** The token this node presents to its peers; empty when auth is off. */
  public String authToken() {
    return auth.presented();
  }

  public boolean authRequired() {
    return auth.required();
  }

  @Override
  public String toString() {
    return "ServerSettings[node=" + nodeName
        + (incarnation.isEmpty() ? "" : " (incarnation " + incarnation + ")") + ", " + host + ":"
        + port + ", http=" + httpPort + ", resp=" + respPort
        + ", writeAcks=" + (writeAcksAll ? "all" : "one") + ", readFrom="
        + (readFromAny ? "any" : "primary") + ", maxConnections=" + maxConnections
        + ", maxInFlight=" + maxInFlight + ", timeout=" + requestTimeoutMillis + "ms, auth="
        + (authRequired() ? "<redacted>" : "off") + ", " + tls + ", " + limits + ", idleTimeout="
        + connections.idleTimeoutMillis() + "ms, helloTimeout=" + connections.helloTimeoutMillis()
        + "ms]";
  }
}
