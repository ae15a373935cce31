package io.ringcache.node.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.cluster.MemberView;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.ringcache.ring.TokenAllocator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link TopologyPlanner}: which topology follows, phase by phase. */
class TopologyPlanTest {

  private static final TokenAllocator ALLOCATOR = TokenAllocator.balanced(16, 2);
  private static final TopologyPlanner PLANNER = new TopologyPlanner(ALLOCATOR, 2);

  /** Progress the test controls: what each node reported installed and transferred. */
  private static final class Board implements TopologyPlanner.Progress {
    final Map<String, Long> installed = new HashMap<>();
    final Map<String, Long> transferred = new HashMap<>();

    @Override
    public long installed(MemberView node) {
      return installed.getOrDefault(node.name(), 0L);
    }

    @Override
    public long transferred(MemberView node) {
      return transferred.getOrDefault(node.name(), 0L);
    }

    void all(List<MemberView> members, long installedEpoch, long transferredEpoch) {
      for (MemberView m : members) {
        installed.put(m.name(), installedEpoch);
        transferred.put(m.name(), transferredEpoch);
      }
    }
  }

  private static MemberView member(String name, int port) {
    return new MemberView(name, UUID.randomUUID(), "127.0.0.1", port, port + 1000, "", 1.0);
  }

  private static Topology next(Topology t, List<MemberView> live, Set<String> draining,
      Board board) {
    return PLANNER.next(t, live, draining, board);
  }

  private static final MemberView A = member("a", 7001);
  private static final MemberView B = member("b", 7002);
  private static final MemberView C = member("c", 7003);

  private static Topology stableAb() {
    return next(Topology.initial(2), List.of(A, B), Set.of(), new Board());
  }

  @Test
  void firstMembers_getAStableTopologyAtOnce() {
    Topology t = stableAb();
    assertThat(t.epoch()).isEqualTo(1);
    assertThat(t.phase()).isEqualTo(Topology.Phase.STABLE);
    assertThat(t.readRing().tokensOf("a")).hasSize(16);
    assertThat(t.nodes()).extracting(NodeAddress::clientPort).containsExactly(7001, 7002);
  }

  @Test
  void unchangedMembership_plansNothing() {
    assertThat(next(stableAb(), List.of(A, B), Set.of(), new Board())).isNull();
  }

  @Test
  void join_walksTransferSwitchStable_waitingForProgress() {
    Topology stable = stableAb();
    List<MemberView> abc = List.of(A, B, C);
    Board board = new Board();
    Topology transfer = next(stable, abc, Set.of(), board);
    assertThat(transfer.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(transfer.epoch()).isEqualTo(2);
    assertThat(transfer.readRing()).isEqualTo(stable.readRing());
    assertThat(transfer.writeRing().tokensOf("a")).containsExactly(stable.readRing().tokensOf("a"));
    assertThat(transfer.writeRing().contains("c")).isTrue();

    board.all(abc, 2, 0);
    assertThat(next(transfer, abc, Set.of(), board)).as("transfers not reported").isNull();
    board.all(abc, 2, 2);
    Topology switched = next(transfer, abc, Set.of(), board);
    assertThat(switched.phase()).isEqualTo(Topology.Phase.SWITCH);
    assertThat(switched.readRing()).isEqualTo(transfer.writeRing());
    assertThat(switched.writeRing()).isEqualTo(transfer.readRing());

    assertThat(next(switched, abc, Set.of(), board)).as("switch not installed").isNull();
    board.all(abc, 3, 2);
    Topology done = next(switched, abc, Set.of(), board);
    assertThat(done.phase()).isEqualTo(Topology.Phase.STABLE);
    assertThat(done.epoch()).isEqualTo(4);
    assertThat(done.readRing()).isEqualTo(transfer.writeRing());
  }

  @Test
  void crash_keepsTheDeadMemberPlacedButDown_andDropsItAtStable() {
    Topology stable = threeStable();

    Topology afterCrash = next(stable, List.of(A, B), Set.of(), new Board());
    assertThat(afterCrash.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(afterCrash.readRing().contains("c")).isTrue();
    assertThat(afterCrash.isDown("c")).isTrue();
    assertThat(afterCrash.writeRing().contains("c")).isFalse();
    for (long p = -5; p < 5; p++) {
      long position = p * (Long.MAX_VALUE / 5);
      assertThat(afterCrash.readReplicas(position)).noneMatch(m -> m.name().equals("c"));
      assertThat(afterCrash.writeReplicas(position)).noneMatch(m -> m.name().equals("c"));
    }
    List<MemberView> ab = List.of(A, B);
    Topology t = afterCrash;
    while (t.phase() != Topology.Phase.STABLE) {
      t = next(t, ab, Set.of(), board(ab, t.epoch()));
    }
    assertThat(t.readRing().contains("c")).isFalse();
    assertThat(t.node("c")).isEmpty();
  }

  /**
   * A crash hands the dead member's ranges to the survivors the allocator picks: every token
   * position of the read ring stays (owned by a survivor), so keys the dead member did not own keep
   * their primary. Deleting its tokens instead would drop its positions from the write ring.
   */
  @Test
  void crash_handsTheDeadMembersRangesToSurvivors_atTheSamePositions() {
    Topology stable = threeStable();
    Ring read = stable.readRing();
    Topology afterCrash = next(stable, List.of(A, B), Set.of(), new Board());
    Ring write = afterCrash.writeRing();
    assertThat(write).isEqualTo(ALLOCATOR.remove(read, "c"));
    assertThat(write.members()).extracting(Member::name).containsExactly("a", "b");
    Set<Long> positions = new HashSet<>();
    for (int i = 0; i < write.tokenCount(); i++) {
      positions.add(write.token(i));
    }
    for (int i = 0; i < read.tokenCount(); i++) {
      assertThat(positions).contains(read.token(i));
    }
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      long position = random.nextLong();
      String was = read.primary(position).name();
      if (!was.equals("c")) {
        assertThat(write.primary(position).name()).isEqualTo(was);
      }
    }
  }

  @Test
  void twoCrashesAtOnce_handTheirRangesOnlyToTheSurvivors() {
    MemberView d = member("d", 7004);
    List<MemberView> abcd = List.of(A, B, C, d);
    Topology t = next(threeStable(), abcd, Set.of(), new Board());
    while (t.phase() != Topology.Phase.STABLE) {
      t = next(t, abcd, Set.of(), board(abcd, t.epoch()));
    }
    Topology afterCrash = next(t, List.of(A, d), Set.of(), new Board());
    assertThat(afterCrash.writeRing()).isEqualTo(ALLOCATOR.remove(t.readRing(), List.of("b", "c")));
    assertThat(afterCrash.writeRing().members()).extracting(Member::name)
        .containsExactly("a", "d");
  }

  @Test
  void randomAllocator_crashDeletesTheTokens() {
    TopologyPlanner random = new TopologyPlanner(TokenAllocator.random(16), 2);
    List<MemberView> abc = List.of(A, B, C);
    Topology t = random.next(Topology.initial(2), abc, Set.of(), new Board());
    Topology afterCrash = random.next(t, List.of(A, B), Set.of(), new Board());
    assertThat(afterCrash.writeRing()).isEqualTo(t.readRing().without("c"));
  }

  @Test
  void drain_leavesTheDrainingMemberAsSourceOnly() {
    Topology three = threeStable();
    Topology transfer = next(three, List.of(A, B, C), Set.of("b"), new Board());
    assertThat(transfer.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(transfer.readRing().contains("b")).isTrue();
    assertThat(transfer.writeRing().contains("b")).isFalse();
    assertThat(transfer.node("b").orElseThrow().state()).isEqualTo(NodeAddress.State.LEAVING);
    assertThat(transfer.writeRing()).isEqualTo(ALLOCATOR.remove(three.readRing(), "b"));
  }

  @Test
  void everyoneDraining_keepsTheirRangesButDropsTheDead() {
    Topology three = threeStable();
    Topology t = next(three, List.of(A, B), Set.of("a", "b"), new Board());
    assertThat(t.writeRing()).isEqualTo(ALLOCATOR.remove(three.readRing(), "c"));
  }

  @Test
  void changeDuringTransfer_abortsAndRestartsFromTheReadRing() {
    Topology three = threeStable();
    MemberView d = member("d", 7004);
    Topology transfer = next(three, List.of(A, B, C, d), Set.of(), new Board());
    MemberView e = member("e", 7005);
    Topology restarted = next(transfer, List.of(A, B, C, d, e), Set.of(), new Board());
    assertThat(restarted.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(restarted.epoch()).isEqualTo(transfer.epoch() + 1);
    assertThat(restarted.readRing()).isEqualTo(three.readRing());
    assertThat(restarted.writeRing().contains("e")).isTrue();
  }

  @Test
  void restartedNodeSeenTwice_keepsTheYoungestAddress() {
    Topology t = next(Topology.initial(2), List.of(A, B, member("a", 7101)), Set.of(),
        new Board());
    assertThat(t.nodes()).hasSize(2);
    assertThat(t.node("a").orElseThrow().clientPort()).isEqualTo(7101);
  }

  @Test
  void restartedUnderTheSameName_isReplacedThroughATransferNotTrustedAsOwner() {
    Topology stable = threeStable();
    MemberView reborn = member("b", 7002);
    List<MemberView> live = List.of(A, reborn, C);
    Topology t = next(stable, live, Set.of(), new Board());
    assertThat(t.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(t.isDown("b")).isTrue();
    assertThat(t.node("b").orElseThrow().incarnation())
        .isEqualTo(stable.node("b").orElseThrow().incarnation());
    assertThat(t.writeRing().contains("b")).isFalse();
    while (t.phase() != Topology.Phase.STABLE) {
      t = next(t, live, Set.of(), board(live, t.epoch()));
    }
    assertThat(t.readRing().contains("b")).isFalse();
    // Once the old incarnation is gone from the rings, the new one joins like any newcomer.
    Topology rejoin = next(t, live, Set.of(), new Board());
    assertThat(rejoin.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(rejoin.writeRing().contains("b")).isTrue();
    assertThat(rejoin.node("b").orElseThrow().incarnation())
        .isEqualTo(reborn.incarnation());
  }

  @Test
  void switchAbort_waitsUntilEveryMemberReadsTheNewRing() {
    List<MemberView> abc = List.of(A, B, C);
    Topology t = next(stableAb(), abc, Set.of(), new Board());
    t = next(t, abc, Set.of(), board(abc, t.epoch()));
    assertThat(t.phase()).isEqualTo(Topology.Phase.SWITCH);
    MemberView d = member("d", 7004);
    List<MemberView> abcd = List.of(A, B, C, d);
    Board lagging = board(abc, t.epoch() - 1);
    assertThat(next(t, abcd, Set.of(), lagging)).isNull();
    Topology restarted = next(t, abcd, Set.of(), board(abcd, t.epoch()));
    assertThat(restarted.phase()).isEqualTo(Topology.Phase.TRANSFER);
    assertThat(restarted.readRing()).isEqualTo(t.readRing());
  }

  @Test
  void everyDataHolderGone_startsAFreshRing() {
    Topology t = next(Topology.initial(2), List.of(A), Set.of(), new Board());
    MemberView reborn = member("a", 7005);
    Topology fresh = next(t, List.of(reborn), Set.of(), new Board());
    assertThat(fresh.phase()).isEqualTo(Topology.Phase.STABLE);
    assertThat(fresh.node("a").orElseThrow().clientPort()).isEqualTo(7005);
    assertThat(fresh.node("a").orElseThrow().state()).isEqualTo(NodeAddress.State.UP);
  }

  private static Board board(List<MemberView> members, long epoch) {
    Board b = new Board();
    b.all(members, epoch, epoch);
    return b;
  }

  private static Topology threeStable() {
    List<MemberView> abc = List.of(A, B, C);
    Topology t = next(stableAb(), abc, Set.of(), new Board());
    while (t.phase() != Topology.Phase.STABLE) {
      t = next(t, abc, Set.of(), board(abc, t.epoch()));
    }
    return t;
  }

  @Test
  void replicationFactorBelowOne_isRefusedNamingTheValue() {
    assertThatThrownBy(() -> new TopologyPlanner(ALLOCATOR, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replicationFactor is 0, must be at least 1");
  }
}
