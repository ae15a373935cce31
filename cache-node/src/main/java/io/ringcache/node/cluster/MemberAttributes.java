package io.ringcache.node.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.MemberAttributeConfig;
import java.util.Optional;

/** Names and codecs of the Hazelcast member attributes that carry a member's identity. */
final class MemberAttributes {

  static final String NAME = "ringcache.name";
  static final String HOST = "ringcache.host";
  static final String CLIENT_PORT = "ringcache.clientPort";
  static final String HTTP_PORT = "ringcache.httpPort";
  static final String ZONE = "ringcache.zone";
  static final String WEIGHT = "ringcache.weight";
  /**
   * A random id per process start. Hazelcast gives a member a new UUID when it rejoins after a
   * split brain, but the process, and the data in its store, stay the same; this id does too.
   */
  static final String INCARNATION = "ringcache.incarnation";

  private MemberAttributes() {}

  static void write(ClusterSettings settings, String incarnation, MemberAttributeConfig config) {
    config
        .setAttribute(INCARNATION, incarnation)
        .setAttribute(NAME, settings.memberName())
        .setAttribute(HOST, settings.host())
        .setAttribute(CLIENT_PORT, Integer.toString(settings.clientPort()))
        .setAttribute(HTTP_PORT, Integer.toString(settings.httpPort()))
        .setAttribute(ZONE, settings.zone())
        .setAttribute(WEIGHT, Double.toString(settings.weight()));
  }

  /**
   * The view of {@code member}, or empty when it is not a ringcache member (no name attribute, or
   * attributes it cannot parse; a lite member or a foreign Vert.x node, say).
   */
  static Optional<MemberView> read(Member member) {
    String name = member.getAttribute(NAME);
    if (name == null) {
      return Optional.empty();
    }
    try {
      String host = member.getAttribute(HOST);
      String zone = member.getAttribute(ZONE);
      String incarnation = member.getAttribute(INCARNATION);
      return Optional.of(
          new MemberView(
              name,
              member.getUuid(),
              host != null ? host : member.getAddress().getHost(),
              Integer.parseInt(member.getAttribute(CLIENT_PORT)),
              Integer.parseInt(member.getAttribute(HTTP_PORT)),
              zone != null ? zone : "",
              Double.parseDouble(member.getAttribute(WEIGHT)),
              incarnation != null ? incarnation : member.getUuid().toString()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
