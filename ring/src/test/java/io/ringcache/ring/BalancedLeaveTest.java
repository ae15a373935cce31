package io.ringcache.ring;

import static io.ringcache.ring.TokenAllocatorTest.maxOverMean;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Balanced leaves: {@link TokenAllocator#remove} hands a leaver's ranges to the survivors that
 * keep ownership even, and moves no key the leaver did not own. Leavers and positions come from
 * seeded {@link SplittableRandom}s; the balance bounds are the ring issue's (1.05 max/mean,
 * primary and at RF=2, 64 tokens). Deleting the leaver's tokens instead ({@link Ring#without})
 * fails every balance test here: 1.19 primary after 10 leaves of 100, 1.13 / 1.20 after one
 * leave of 10 (docs/benchmarks.md). The greedy hand-off alone, without
 * {@link HandoffRefinement}, fails the refinement tests and the early-leaver test.
 */
class BalancedLeaveTest {

  private static final int TOKENS = 64;
  private static final int RF = 2;
  private static final double BOUND = 1.05;
  /**
   * How far above a {@link LeaveBound} over 1.05 a leave may end at RF=2: over all 5,145 single
   * leaves at N = 3..100 the hand-off ends at most 0.006 above the bound with pieces
   * (docs/benchmarks.md).
   */
  private static final double SLACK = 0.01;
  private static final TokenAllocator ALLOCATOR = TokenAllocator.balanced(TOKENS, RF);
  /**
   * Seven of the single leaves (N survivors, leaver) at N = 3..100 that the greedy leaves above
   * 1.05 at RF=2 with no bound above 1.05, and the refinement brings within it; the last three
   * only since its cut shifts may go below the greedy's smallest piece.
   */
  private static final String[][] FIXED_BY_REFINEMENT = {
      {"63", "node-002"}, {"82", "node-005"}, {"95", "node-016"}, {"100", "node-016"},
      {"88", "node-006"}, {"88", "node-010"}, {"98", "node-006"}};
  /** Balanced rings of 1..101 members in join order: {@code GROWN.get(i)} has i + 1 members. */
  private static final List<Ring> GROWN = new ArrayList<>();

  @BeforeAll
  static void grow() {
    Ring ring = Ring.empty();
    for (int i = 1; i <= 101; i++) {
      ring = ALLOCATOR.add(ring, Member.of(name(i)));
      GROWN.add(ring);
    }
  }

  private static Ring grown(int members) {
    return GROWN.get(members - 1);
  }

  private static String name(int i) {
    return String.format("node-%03d", i);
  }

  private static String randomMember(Ring ring, SplittableRandom random) {
    return ring.members().get(random.nextInt(ring.size())).name();
  }

  private static void assertBalanced(Ring ring, String what) {
    assertThat(maxOverMean(ring.ownership(1))).as("max/mean primary " + what)
        .isLessThanOrEqualTo(BOUND);
    assertThat(maxOverMean(ring.ownership(RF))).as("max/mean RF=2 " + what)
        .isLessThanOrEqualTo(BOUND);
  }

  /**
   * The bound after one leave. Primary: 1.05. RF=2: 1.05 unless {@link LeaveBound}, counting
   * pieces of at least {@link BalancedHandoff#MIN_PIECE}, proves that no such hand-off gets
   * there; then that bound plus {@link #SLACK}.
   */
  private static void assertBalancedAfterLeave(Ring before, String leaver, Ring after,
      String what) {
    assertThat(maxOverMean(after.ownership(1))).as("max/mean primary " + what)
        .isLessThanOrEqualTo(BOUND);
    double unavoidable = pieceBound(before, leaver);
    double bound = unavoidable > BOUND ? unavoidable + SLACK : BOUND;
    assertThat(maxOverMean(after.ownership(RF))).as("max/mean RF=2 %s (bound %.4f)", what,
        unavoidable).isLessThanOrEqualTo(bound);
  }

  /**
   * {@link LeaveBound} for pieces of at least the hand-off's smallest (the refinement's cut shifts
   * may trim a greedy piece down to {@link BalancedHandoff#MIN_SHIFTED_PIECE}), members of weight 1.
   */
  private static double pieceBound(Ring before, String leaver) {
    int survivors = before.size() - 1;
    double minPiece = BalancedHandoff.MIN_SHIFTED_PIECE / ((double) survivors * TOKENS);
    return LeaveBound.replicaMaxOverMean(before, leaver, minPiece * (1 - 1e-9));
  }

  private static Ring greedy(Ring before, String leaver) {
    boolean[] leaving = new boolean[before.size()];
    leaving[before.indexOf(leaver)] = true;
    return new BalancedHandoff(before, leaving, RF, TOKENS, false).run();
  }

  private static double worst(Ring ring) {
    return Math.max(maxOverMean(ring.ownership(1)), maxOverMean(ring.ownership(RF)));
  }

  // ---------------------------------------------------------------- movement

  /** Exactly the leaver's keys change primary, each to a survivor; survivors keep every token. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void leave_movesExactlyTheLeaversKeys(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Ring before = grown(3 + random.nextInt(60));
    String leaver = randomMember(before, random);
    Ring after = ALLOCATOR.remove(before, leaver);

    assertThat(after.contains(leaver)).isFalse();
    for (Member m : after.members()) {
      assertThat(after.tokensOf(m.name())).contains(before.tokensOf(m.name()));
    }
    for (int i = 0; i < 50_000; i++) {
      long position = random.nextLong();
      String was = before.primary(position).name();
      String now = after.primary(position).name();
      if (was.equals(leaver)) {
        assertThat(now).isNotEqualTo(leaver);
      } else {
        assertThat(now).as("primary of %x", position).isEqualTo(was);
      }
    }
    assertThat(RingDiff.between(before, after, 1).changedFraction())
        .isCloseTo(before.ownership(1).get(leaver), Offset.offset(1e-12));
  }

  /** At RF=2 every range whose replicas change had the leaver among them. */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void leave_changesOnlyReplicaSetsThatHeldTheLeaver(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Ring before = grown(3 + random.nextInt(60));
    String leaver = randomMember(before, random);
    Ring after = ALLOCATOR.remove(before, leaver);
    for (RingDiff.Change c : RingDiff.between(before, after, RF).changes()) {
      assertThat(RingTest.names(c.sources())).contains(leaver);
    }
  }

  // ---------------------------------------------------------------- balance

  @Test
  void tenOfHundredLeaveOneByOne_balanceStaysWithinBound() {
    SplittableRandom random = new SplittableRandom(113);
    Ring ring = grown(100);
    for (int step = 1; step <= 10; step++) {
      String leaver = randomMember(ring, random);
      ring = ALLOCATOR.remove(ring, leaver);
      assertBalanced(ring, "after " + step + " leaves, the last " + leaver);
    }
  }

  /** One seeded leave at every size: N + 1 members, one leaves, N stay. */
  @Test
  void singleLeave_everySizeFrom3To100_balanceStaysWithinBound() {
    SplittableRandom random = new SplittableRandom(17);
    for (int n = 3; n <= 100; n++) {
      Ring before = grown(n + 1);
      String leaver = randomMember(before, random);
      assertBalancedAfterLeave(before, leaver, ALLOCATOR.remove(before, leaver),
          "N=" + n + " after " + leaver + " left");
    }
  }

  /**
   * Leaves of early members, whose neighbours hold the long ranges (every leave of the 5,145
   * that ends above 1.05 at RF=2 is one of node-001 to node-020), at sizes where they end there
   * most (N=63 is in {@link #FIXED_BY_REFINEMENT}); among them are three that ended above 1.05
   * with no bound above it until the refinement's cut shifts went finer than the greedy's pieces.
   */
  @Test
  void singleLeave_earlyMembers_balanceStaysWithinBound() {
    for (int n : new int[] {88, 98}) {
      Ring before = grown(n + 1);
      for (int i = 1; i <= 12; i++) {
        String leaver = name(i);
        assertBalancedAfterLeave(before, leaver, ALLOCATOR.remove(before, leaver),
            "N=" + n + " after " + leaver + " left");
      }
    }
  }

  /**
   * The lower bounds are true ones: neither deletion nor the hand-off gets below the bound for
   * any pieces, nor the hand-off below the bound for its pieces.
   */
  @Test
  void lowerBound_holdsForDeletionToo() {
    SplittableRandom random = new SplittableRandom(23);
    for (int i = 0; i < 20; i++) {
      Ring before = grown(3 + random.nextInt(98));
      String leaver = randomMember(before, random);
      double bound = LeaveBound.replicaMaxOverMean(before, leaver);
      assertThat(maxOverMean(before.without(leaver).ownership(RF))).isGreaterThanOrEqualTo(bound);
      Ring after = ALLOCATOR.remove(before, leaver);
      assertThat(maxOverMean(after.ownership(RF))).isGreaterThanOrEqualTo(bound);
      assertThat(maxOverMean(after.ownership(RF)))
          .isGreaterThanOrEqualTo(pieceBound(before, leaver) - 1e-9);
    }
  }

  /** The leaves where the bound rests on several long ranges at once, or on the pieces. */
  @Test
  void lowerBound_countsSeveralLongRangesAndThePieces() {
    // Two long runs (of node-001 and node-002) need two takers: 1.046, where one run alone gives
    // 1.012; the pieces add a little more.
    Ring before = grown(99);
    assertThat(LeaveBound.replicaMaxOverMean(before, "node-006")).isGreaterThan(1.045);
    assertThat(pieceBound(before, "node-006"))
        .isGreaterThan(LeaveBound.replicaMaxOverMean(before, "node-006"));
  }

  /** The refinement never ends above the greedy's highest max/mean, primary or at RF=2. */
  @Test
  void refinement_neverEndsAboveTheGreedy() {
    SplittableRandom random = new SplittableRandom(37);
    for (int i = 0; i < 40; i++) {
      Ring before = grown(4 + random.nextInt(97));
      String leaver = randomMember(before, random);
      assertThat(worst(ALLOCATOR.remove(before, leaver)))
          .as("%s leaving %d members", leaver, before.size())
          .isLessThanOrEqualTo(worst(greedy(before, leaver)) + 1e-9);
    }
  }

  /**
   * Leaves where the greedy ends above 1.05 at RF=2 with no bound forcing it, and the refinement
   * does not: without it this test fails.
   */
  @Test
  void refinement_bringsLeavesTheGreedyLeftAbove105WithinIt() {
    for (String[] leave : FIXED_BY_REFINEMENT) {
      Ring before = grown(Integer.parseInt(leave[0]) + 1);
      assertThat(pieceBound(before, leave[1])).isLessThanOrEqualTo(BOUND);
      assertThat(maxOverMean(greedy(before, leave[1]).ownership(RF))).isGreaterThan(BOUND);
      assertBalancedAfterLeave(before, leave[1], ALLOCATOR.remove(before, leave[1]),
          "N=" + leave[0] + " after " + leave[1] + " left");
    }
  }

  /**
   * The refinement reads nothing but the ring and the leavers: the same leave gives equal rings
   * when repeated and from a ring rebuilt with its members added in reverse order.
   */
  @Test
  void refinement_isDeterministic() {
    Ring before = grown(64);
    Ring.Builder reversed = Ring.builder();
    List<Member> members = new ArrayList<>(before.members());
    Collections.reverse(members);
    for (Member m : members) {
      reversed.add(m, before.tokensOf(m.name()));
    }
    Ring rebuilt = reversed.build();
    Ring one = ALLOCATOR.remove(before, "node-002");
    assertThat(one).isNotEqualTo(greedy(before, "node-002"));
    assertThat(ALLOCATOR.remove(before, "node-002")).isEqualTo(one);
    assertThat(ALLOCATOR.remove(rebuilt, "node-002")).isEqualTo(one);
  }

  /** 50 changes from 50 members, each a join or a leave with even odds. */
  @Test
  void mixedJoinsAndLeaves_balanceStaysWithinBound() {
    SplittableRandom random = new SplittableRandom(29);
    Ring ring = grown(50);
    int next = 51;
    for (int step = 1; step <= 50; step++) {
      if (random.nextBoolean()) {
        Member joiner = Member.of(name(next++));
        ring = ALLOCATOR.add(ring, joiner);
        assertBalanced(ring, "at step " + step + ", the join of " + joiner.name());
      } else {
        String leaver = randomMember(ring, random);
        Ring after = ALLOCATOR.remove(ring, leaver);
        assertBalancedAfterLeave(ring, leaver, after,
            "at step " + step + ", the leave of " + leaver);
        ring = after;
      }
    }
  }

  /** After leaves, members hold more tokens than others; a join still takes its share. */
  @Test
  void joinAfterLeaves_getsItsTokensAndShare_andTakesKeysOnlyForItself() {
    SplittableRandom random = new SplittableRandom(31);
    Ring ring = grown(40);
    for (int i = 0; i < 5; i++) {
      ring = ALLOCATOR.remove(ring, randomMember(ring, random));
    }
    assertThat(ring.tokenCount()).isGreaterThan(35 * TOKENS);

    Ring joined = ALLOCATOR.add(ring, Member.of("late"));
    assertThat(joined.tokensOf("late")).hasSize(TOKENS);
    assertThat(joined.ownership(1).get("late"))
        .isCloseTo(1.0 / joined.size(), Percentage.withPercentage(5));
    assertBalanced(joined, "after the join");
    for (int i = 0; i < 50_000; i++) {
      long position = random.nextLong();
      String was = ring.primary(position).name();
      String now = joined.primary(position).name();
      assertThat(now.equals(was) || now.equals("late")).isTrue();
    }
  }

  /** Shares over weighted targets: a member of weight 2 should hold twice a member of weight 1. */
  @Test
  void weights_leaveKeepsWeightedShares() {
    List<Member> members = new ArrayList<>(TokenAllocatorTest.names(11));
    members.add(new Member("big", 2.0, null));
    Ring after = ALLOCATOR.remove(ALLOCATOR.build(members), "node-4");
    double total = after.members().stream().mapToDouble(Member::weight).sum();
    for (int rf = 1; rf <= RF; rf++) {
      Map<String, Double> share = after.ownership(rf);
      for (Member m : after.members()) {
        double target = Math.min(1.0, rf * m.weight() / total);
        assertThat(share.get(m.name()) / target).as("%s at RF=%d", m.name(), rf)
            .isLessThanOrEqualTo(BOUND);
      }
    }
  }

  @Test
  void zones_leaveKeepsReplicasInDistinctZonesAndBalance() {
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      members.add(Member.inZone("n" + i, "zone-" + (i % 3)));
    }
    Ring ring = ALLOCATOR.remove(ALLOCATOR.build(members), "n4");
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 20_000; i++) {
      List<Member> r = ring.replicas(random.nextLong(), 2);
      assertThat(r.get(0).zone()).isNotEqualTo(r.get(1).zone());
    }
    assertBalanced(ring, "after n4 left");
  }

  // ---------------------------------------------------------------- shape and determinism

  @Test
  void sameInputs_giveEqualRings_inAnyOrderOfNames() {
    Ring ring = grown(30);
    Ring one = ALLOCATOR.remove(ring, List.of("node-007", "node-019"));
    Ring two = ALLOCATOR.remove(ring, List.of("node-019", "node-007"));
    assertThat(two).isEqualTo(one);
    assertThat(ALLOCATOR.remove(grown(30), List.of("node-007", "node-019"))).isEqualTo(one);
  }

  /** Golden values: the receivers of a hand-off must not change across releases unnoticed. */
  @Test
  void handOff_golden() {
    Ring after = ALLOCATOR.remove(grown(10), "node-004");
    // 9 × 64 survivor tokens, the leaver's 64 re-owned, 7 cuts.
    assertThat(after.tokenCount()).isEqualTo(647);
    assertThat(after.primary(0x84bbe3fa7e8c3c74L).name()).isEqualTo("node-001");
    assertThat(after.primary(0x8669c53b4f4f0323L).name()).isEqualTo("node-008");
    assertThat(after.primary(0x87de15a48321a44bL).name()).isEqualTo("node-009");
    assertThat(after.primary(0xa6c09b4bc72b197bL).name()).isEqualTo("node-001");
    assertThat(after.tokensOf("node-002")).hasSize(75);
  }

  @Test
  void simultaneousLeaves_handRangesOnlyToMembersThatStay() {
    Ring ring = grown(12);
    List<String> leaving = List.of("node-002", "node-003", "node-011");
    Ring after = ALLOCATOR.remove(ring, leaving);
    assertThat(after.size()).isEqualTo(9);
    assertThat(after.members()).noneMatch(m -> leaving.contains(m.name()));
    assertBalanced(after, "after three left at once");
  }

  @Test
  void everyoneLeaves_givesTheEmptyRing() {
    Ring ring = grown(3);
    assertThat(ALLOCATOR.remove(ring, List.of("node-001", "node-002", "node-003")).isEmpty())
        .isTrue();
    assertThat(ALLOCATOR.remove(ring, List.of())).isSameAs(ring);
  }

  @Test
  void random_leaveDeletesTheTokens_asKetamaDoes() {
    TokenAllocator random = TokenAllocator.random(32);
    Ring ring = random.build(TokenAllocatorTest.names(8));
    assertThat(random.remove(ring, "node-3")).isEqualTo(ring.without("node-3"))
        .isEqualTo(random.build(TokenAllocatorTest.names(8).stream()
            .filter(m -> !m.name().equals("node-3")).toList()));
  }
}
