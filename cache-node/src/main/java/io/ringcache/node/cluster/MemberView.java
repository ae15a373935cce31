package io.ringcache.node.cluster;

import io.ringcache.ring.Member;
import java.util.Objects;
import java.util.UUID;

/**
 * What every member knows about one cluster member, read from its Hazelcast member attributes.
 *
 * @param name stable member name (the ring identity)
 * @param uuid Hazelcast member UUID; changes on every start, so never use it as a ring identity
 * @param host advertised host for the client and HTTP ports
 * @param clientPort binary-protocol port
 * @param httpPort HTTP port, or 0 when the member serves no HTTP
 * @param zone failure zone, or the empty string
 * @param weight share multiplier
 */
public record MemberView(
    String name, UUID uuid, String host, int clientPort, int httpPort, String zone, double weight) {

  public MemberView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(zone, "zone");
  }

  /** {@code host:clientPort}, the address peers and clients connect to. */
  public String clientAddress() {
    return HostPort.format(host, clientPort);
  }

  /** This member as the ring sees it: name, weight, zone. */
  public Member toRingMember() {
    return new Member(name, weight, zone);
  }
}
