package io.ringcache.node.cluster;

import io.ringcache.protocol.HostPort;
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
 * @param incarnation this start of the member's process: a random id drawn when it starts, which
 *     the topology records with the member. Unlike {@code uuid}, which Hazelcast replaces when a
 *     member rejoins after a split brain, it lasts as long as the process and its store.
 */
public record MemberView(
    String name, UUID uuid, String host, int clientPort, int httpPort, String zone, double weight,
    String incarnation) {

  public MemberView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(incarnation, "incarnation");
  }

  /** A member whose incarnation is its Hazelcast UUID (one that never rejoined after a split). */
  public MemberView(
      String name, UUID uuid, String host, int clientPort, int httpPort, String zone,
      double weight) {
    this(name, uuid, host, clientPort, httpPort, zone, weight, uuid.toString());
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
