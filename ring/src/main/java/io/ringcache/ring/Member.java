package io.ringcache.ring;

import java.util.Objects;

/**
 * A ring member: a stable name, a weight that scales its share, and an optional zone.
 *
 * <p>The name is the member's identity on the ring; it must survive restarts (a Vert.x node id
 * does not). Two members are equal when all three fields are equal; a ring rejects two members
 * with the same name.
 *
 * @param name stable, non-blank name
 * @param weight positive, finite share multiplier; 1.0 is the norm
 * @param zone failure zone, or the empty string when zones are not used
 */
public record Member(String name, double weight, String zone) {

  /** The zone of a member that has none. */
  public static final String NO_ZONE = "";

  public Member {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("member name must not be blank");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          String.format("weight of member '%s' must be positive and finite, was %s", name, weight));
    }
    zone = zone == null ? NO_ZONE : zone;
  }

  /** A member of weight 1 with no zone. */
  public static Member of(String name) {
    return new Member(name, 1.0, NO_ZONE);
  }

  /** A member of weight 1 in {@code zone}. */
  public static Member inZone(String name, String zone) {
    return new Member(name, 1.0, zone);
  }

  public boolean hasZone() {
    return !zone.isEmpty();
  }
}
