package io.ringcache.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenAllocatorTest {

  private static final int TOKENS = 64;
  private static final int RF = 2;
  /** Balanced rings of 1..50 members, built once: ring i has i + 1 members. */
  private static final List<Ring> GROWN = new ArrayList<>();

  @BeforeAll
  static void grow() {
    TokenAllocator allocator = TokenAllocator.balanced(TOKENS, RF);
    Ring ring = Ring.empty();
    for (int i = 1; i <= 50; i++) {
      ring = allocator.add(ring, Member.of("node-" + i));
      GROWN.add(ring);
    }
  }

  private static Ring grown(int members) {
    return GROWN.get(members - 1);
  }

  /**
   * The ring issue's targets were 1.05 primary and 1.08 counting RF=2 replicas at 64 tokens; the
   * allocator does far better, and a bound that loose would let it lose most of that unnoticed.
   * Measured over these inputs (the allocation is deterministic): worst primary 1.0110 (25
   * members), worst RF=2 1.0079 (50 members). The bounds leave about that much again as headroom.
   */
  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5, 10, 17, 25, 50})
  void balanced_64Tokens_keepsMaxOverMeanWithinTargets(int members) {
    Ring ring = grown(members);
    assertThat(maxOverMean(ring.ownership(1))).isLessThanOrEqualTo(1.02);
    assertThat(maxOverMean(ring.ownership(RF))).isLessThanOrEqualTo(1.015);
  }

  @Test
  void balanced_beatsRandomAtFourTimesTheTokens() {
    Ring random = TokenAllocator.random(256).build(names(10));
    assertThat(maxOverMean(grown(10).ownership(1)))
        .isLessThan(maxOverMean(random.ownership(1)));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5, 20, 49})
  void join_keepsEveryExistingTokenAndOwner(int members) {
    Ring before = grown(members);
    Ring after = grown(members + 1);
    for (Member m : before.members()) {
      assertThat(after.tokensOf(m.name())).containsExactly(before.tokensOf(m.name()));
    }
  }

  /** A join moves close to the minimum 1/(N+1) of the keys, and all of it to the new member. */
  @ParameterizedTest
  @ValueSource(ints = {3, 10, 30, 49})
  void join_movesAboutTheMinimumAndOnlyToTheNewMember(int members) {
    Ring before = grown(members);
    Ring after = grown(members + 1);
    String joined = "node-" + (members + 1);
    SplittableRandom random = new SplittableRandom(members);
    int samples = 200_000;
    int moved = 0;
    for (int i = 0; i < samples; i++) {
      long position = random.nextLong();
      String was = before.primary(position).name();
      String now = after.primary(position).name();
      if (!was.equals(now)) {
        moved++;
        assertThat(now).isEqualTo(joined);
      }
    }
    double minimum = 1.0 / (members + 1);
    // 1.1x the minimum plus sampling noise (4 standard deviations of a binomial proportion).
    double noise = 4 * Math.sqrt(minimum * (1 - minimum) / samples);
    assertThat(moved / (double) samples).isLessThanOrEqualTo(1.1 * minimum + noise);
  }

  /** RF=2: after a join, only the new member gains copies; a leave's diff gives copies only away. */
  @Test
  void joinAndLeave_replicaDiff_involvesOnlyTheChangingMember() {
    Ring before = grown(10);
    Ring after = grown(11);
    for (RingDiff.Change c : RingDiff.between(before, after, RF).changes()) {
      assertThat(RingTest.names(c.gained())).containsOnly("node-11");
    }
    Ring left = before.without("node-4");
    for (RingDiff.Change c : RingDiff.between(before, left, RF).changes()) {
      assertThat(RingTest.names(c.lost())).containsOnly("node-4");
    }
  }

  @Test
  void leave_movesOnlyTheLeaversRanges() {
    Ring before = grown(20);
    Ring after = TokenAllocator.balanced(TOKENS, RF).remove(before, "node-7");
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 100_000; i++) {
      long position = random.nextLong();
      String was = before.primary(position).name();
      if (!was.equals("node-7")) {
        assertThat(after.primary(position).name()).isEqualTo(was);
      }
    }
  }

  @Test
  void weights_scaleTokensAndShare() {
    TokenAllocator allocator = TokenAllocator.balanced(32, RF);
    List<Member> members = new ArrayList<>(names(6));
    members.add(new Member("big", 2.0, null));
    Ring ring = allocator.build(members);
    assertThat(ring.tokensOf("big")).hasSize(64);
    Map<String, Double> share = ring.ownership(1);
    assertThat(share.get("big")).isCloseTo(2.0 / 8, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(share.get("node-1")).isCloseTo(1.0 / 8, org.assertj.core.data.Percentage.withPercentage(5));
  }

  @Test
  void zones_balancedAllocationKeepsZoneSpreadAndBalance() {
    TokenAllocator allocator = TokenAllocator.balanced(32, 2);
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      members.add(Member.inZone("n" + i, "zone-" + (i % 3)));
    }
    Ring ring = allocator.build(members);
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 5_000; i++) {
      List<Member> r = ring.replicas(random.nextLong(), 2);
      assertThat(r.get(0).zone()).isNotEqualTo(r.get(1).zone());
    }
    // Measured: 1.0111 primary, 1.0147 at RF=2 (9 members, 3 zones, 32 tokens); bounds with
    // modest headroom, as above.
    assertThat(maxOverMean(ring.ownership(1))).isLessThanOrEqualTo(1.02);
    assertThat(maxOverMean(ring.ownership(2))).isLessThanOrEqualTo(1.025);
  }

  @Test
  void random_tokensAreHashOfNameAndIndex() {
    long[] tokens = TokenAllocator.random(4).allocate(Ring.empty(), Member.of("cache-1"));
    assertThat(tokens).containsExactly(KeyHash.of("cache-1#0"), KeyHash.of("cache-1#1"),
        KeyHash.of("cache-1#2"), KeyHash.of("cache-1#3"));
  }

  @Test
  void random_buildIsOrderIndependent() {
    List<Member> members = new ArrayList<>(names(8));
    Ring one = TokenAllocator.random(32).build(members);
    Collections.reverse(members);
    assertThat(TokenAllocator.random(32).build(members)).isEqualTo(one);
  }

  @Test
  void badArguments_areRejectedWithTheirLimits() {
    assertThatThrownBy(() -> TokenAllocator.balanced(0, 2))
        .hasMessageContaining("between 1 and 4096, was 0");
    assertThatThrownBy(() -> TokenAllocator.balanced(8, 0))
        .hasMessageContaining("replication factor must be at least 1, was 0");
    assertThatThrownBy(() -> TokenAllocator.balanced(8, 2).allocate(grown(3), Member.of("node-2")))
        .hasMessageContaining("'node-2' is already on the ring");
    assertThatThrownBy(() -> TokenAllocator.balanced(8, 2).remove(grown(3), "ghost"))
        .hasMessageContaining("unknown member 'ghost'");
  }

  @Test
  void firstMember_ownsTheWholeRing() {
    Ring ring = TokenAllocator.balanced(16, 2).add(Ring.empty(), Member.of("solo"));
    assertThat(ring.tokenCount()).isEqualTo(16);
    assertThat(ring.ownership(2).get("solo")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  static List<Member> names(int count) {
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      members.add(Member.of("node-" + i));
    }
    return members;
  }

  static double maxOverMean(Map<String, Double> shares) {
    double max = shares.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double mean = shares.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    return max / mean;
  }
}
