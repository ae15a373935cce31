package io.ringcache.node.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable view of the cluster at one moment, as seen by one member.
 *
 * @param version local, strictly growing number of this snapshot on this member; not comparable
 *     across members
 * @param members live members in join order, oldest first (Hazelcast's member list order); the
 *     first one is the coordinator
 * @param self this member
 */
public record MembershipSnapshot(long version, List<MemberView> members, MemberView self) {

  public MembershipSnapshot {
    members = List.copyOf(members);
    Objects.requireNonNull(self, "self");
  }

  /** The oldest member, the coordinator; this member itself while it is alone. */
  public MemberView oldest() {
    return members.isEmpty() ? self : members.get(0);
  }

  /**
   * Whether this member is the oldest, hence the coordinator. Compared by incarnation: after a
   * split brain heals, Hazelcast gives the members that rejoin new UUIDs, and {@code self} keeps
   * the one this member started with.
   */
  public boolean isOldest() {
    return oldest().incarnation().equals(self.incarnation());
  }

  /** The live member with this stable name, if any. */
  public Optional<MemberView> byName(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The live member with this Hazelcast UUID, if any. */
  public Optional<MemberView> byUuid(UUID uuid) {
    return members.stream().filter(m -> m.uuid().equals(uuid)).findFirst();
  }

  /** The stable names in join order. */
  public List<String> names() {
    return members.stream().map(MemberView::name).toList();
  }
}
