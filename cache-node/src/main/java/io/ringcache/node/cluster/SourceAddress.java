package io.ringcache.node.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The local address a node's outgoing connections to other nodes start from: its configured
 * host, when that is an IP address other than the wildcard.
 *
 * <p>Why bind at all: on a machine with several addresses the operating system picks the source
 * by route, which need not be the address the node advertises. Bound, every connection between
 * two nodes (Hazelcast, the event bus, peer data traffic) carries the nodes' own addresses, so
 * firewall rules and packet captures can tell the nodes apart; the partition tests rely on it. A
 * host name is left alone: resolving it here could block, and it may name several addresses.
 */
public final class SourceAddress {

  private SourceAddress() {}

  /** {@code host} when it is a non-wildcard IP literal; empty otherwise. Never resolves a name. */
  public static Optional<String> of(String host) {
    boolean literal = host != null && !host.isEmpty() && (host.indexOf(':') >= 0
        || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    if (!literal) {
      return Optional.empty();
    }
    try {
      // An IP literal parses without a lookup.
      return InetAddress.getByName(host).isAnyLocalAddress() ? Optional.empty()
          : Optional.of(host);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
