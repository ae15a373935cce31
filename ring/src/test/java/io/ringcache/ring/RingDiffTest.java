package io.ringcache.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class RingDiffTest {

  /**
   * Exactness: a position lies in a change if and only if its replica list differs between the
   * rings, and then the change names exactly the old and new lists. Random rings, random
   * membership changes (join, leave, both), boundaries probed at token and token +/- 1.
   */
  @RepeatedTest(25)
  void changes_matchPerKeyComparisonExactly(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(500 + info.getCurrentRepetition());
    int rf = 1 + random.nextInt(3);
    TokenAllocator allocator = random.nextBoolean()
        ? TokenAllocator.balanced(1 + random.nextInt(16), rf)
        : TokenAllocator.random(1 + random.nextInt(32));
    List<Member> members = TokenAllocatorTest.names(1 + random.nextInt(9));
    Ring before = allocator.build(members);
    Ring after = before;
    int change = random.nextInt(3);
    if (change != 1) {
      after = allocator.add(after, Member.of("joiner"));
    }
    if (change != 0 && before.size() > 1) {
      after = after.without(members.get(random.nextInt(members.size())).name());
    }
    RingDiff diff = RingDiff.between(before, after, rf);

    List<Long> probes = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      probes.add(random.nextLong());
    }
    for (Ring ring : List.of(before, after)) {
      for (int i = 0; i < ring.tokenCount(); i++) {
        probes.add(ring.token(i));
        probes.add(ring.token(i) + 1);
        probes.add(ring.token(i) - 1);
      }
    }
    for (long position : probes) {
      List<Member> was = before.replicas(position, rf);
      List<Member> now = after.replicas(position, rf);
      RingDiff.Change c = diff.changeAt(position);
      if (was.equals(now)) {
        assertThat(c).as("unchanged position %s inside a change", position).isNull();
      } else {
        assertThat(c).as("changed position %s not covered", position).isNotNull();
        assertThat(c.sources()).isEqualTo(was);
        assertThat(c.targets()).isEqualTo(now);
      }
    }
  }

  @Test
  void identicalRings_haveNoChanges() {
    Ring ring = TokenAllocator.balanced(8, 2).build(TokenAllocatorTest.names(4));
    assertThat(RingDiff.between(ring, ring, 2).isEmpty()).isTrue();
  }

  @Test
  void fromEmpty_wholeRingGoesToTheFirstMember() {
    Ring first = TokenAllocator.balanced(8, 2).add(Ring.empty(), Member.of("a"));
    RingDiff diff = RingDiff.between(Ring.empty(), first, 2);
    assertThat(diff.changedFraction()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(diff.changes()).allSatisfy(c -> {
      assertThat(c.sources()).isEmpty();
      assertThat(RingTest.names(c.targets())).containsExactly("a");
    });
  }

  @Test
  void readableRings_listTheMovedRange() {
    Ring before = Ring.builder().add(Member.of("a"), 100).add(Member.of("b"), 200).build();
    Ring after = before.with(Member.of("c"), 150);
    RingDiff diff = RingDiff.between(before, after, 1);
    assertThat(diff.changes()).hasSize(1);
    RingDiff.Change c = diff.changes().get(0);
    assertThat(c.start()).isEqualTo(100);
    assertThat(c.end()).isEqualTo(150);
    assertThat(RingTest.names(c.sources())).containsExactly("b");
    assertThat(RingTest.names(c.targets())).containsExactly("c");
    assertThat(RingTest.names(c.gained())).containsExactly("c");
    assertThat(RingTest.names(c.lost())).containsExactly("b");
  }

  @Test
  void wrappingRange_containsBothEnds() {
    long half = 1L << 40;
    RingDiff.Change c = new RingDiff.Change(Long.MAX_VALUE - half, Long.MIN_VALUE + half,
        List.of(), List.of());
    assertThat(c.contains(Long.MAX_VALUE)).isTrue();
    assertThat(c.contains(Long.MIN_VALUE + half)).isTrue();
    assertThat(c.contains(Long.MIN_VALUE + half + 1)).isFalse();
    assertThat(c.contains(Long.MAX_VALUE - half)).isFalse();
    // The range spans 2 * 2^40 + 1 positions: 2^-23 of the ring.
    assertThat(c.fraction()).isCloseTo(0x1.0p-23, org.assertj.core.data.Offset.offset(1e-15));
  }
}
