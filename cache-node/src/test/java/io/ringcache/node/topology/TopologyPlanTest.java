package io.ringcache.node.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.cluster.MemberView;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.TokenAllocator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The coordinator's pure planning step: what topology follows a base for a member list. */
class TopologyPlanTest {

  private static final TokenAllocator ALLOCATOR = TokenAllocator.balanced(16, 2);

  private static MemberView member(String name, int port) {
    return new MemberView(name, UUID.randomUUID(), "127.0.0.1", port, port + 1000, "", 1.0);
  }

  @Test
  void firstMembers_getAStableTopologyAtEpochOne() {
    Topology t = TopologyCoordinator.plan(Topology.initial(2),
        List.of(member("a", 7001), member("b", 7002)), ALLOCATOR, 2);
    assertThat(t.epoch()).isEqualTo(1);
    assertThat(t.phase()).isEqualTo(Topology.Phase.STABLE);
    assertThat(t.readRing().tokensOf("a")).hasSize(16);
    assertThat(t.nodes()).extracting(NodeAddress::clientPort).containsExactly(7001, 7002);
  }

  @Test
  void unchangedMembership_plansNothing() {
    List<MemberView> members = List.of(member("a", 7001), member("b", 7002));
    Topology t = TopologyCoordinator.plan(Topology.initial(2), members, ALLOCATOR, 2);
    assertThat(TopologyCoordinator.plan(t, members, ALLOCATOR, 2)).isNull();
  }

  @Test
  void join_keepsExistingTokens_leave_dropsOnlyTheLeaver() {
    Topology two = TopologyCoordinator.plan(Topology.initial(2),
        List.of(member("a", 7001), member("b", 7002)), ALLOCATOR, 2);
    Topology three = TopologyCoordinator.plan(two,
        List.of(member("a", 7001), member("b", 7002), member("c", 7003)), ALLOCATOR, 2);
    assertThat(three.epoch()).isEqualTo(2);
    assertThat(three.readRing().tokensOf("a")).containsExactly(two.readRing().tokensOf("a"));
    Topology left = TopologyCoordinator.plan(three,
        List.of(member("b", 7002), member("c", 7003)), ALLOCATOR, 2);
    assertThat(left.epoch()).isEqualTo(3);
    assertThat(left.readRing().contains("a")).isFalse();
    assertThat(left.readRing().tokensOf("c")).containsExactly(three.readRing().tokensOf("c"));
  }

  @Test
  void restartedNodeSeenTwice_keepsTheYoungestAddress() {
    Topology t = TopologyCoordinator.plan(Topology.initial(2),
        List.of(member("a", 7001), member("b", 7002), member("a", 7101)), ALLOCATOR, 2);
    assertThat(t.nodes()).hasSize(2);
    assertThat(t.node("a").orElseThrow().clientPort()).isEqualTo(7101);
  }

  @Test
  void movedAddress_publishesANewEpoch() {
    Topology t = TopologyCoordinator.plan(Topology.initial(2),
        List.of(member("a", 7001)), ALLOCATOR, 2);
    Topology moved = TopologyCoordinator.plan(t, List.of(member("a", 7005)), ALLOCATOR, 2);
    assertThat(moved.epoch()).isEqualTo(2);
    assertThat(moved.readRing()).isEqualTo(t.readRing());
  }
}
