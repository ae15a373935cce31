package io.ringcache.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class RingTest {

  private static final Member A = Member.of("a");
  private static final Member B = Member.of("b");
  private static final Member C = Member.of("c");

  /** Readable ring, groupcache style: positions are obvious. a owns (300, 100], b (100, 200]... */
  private static Ring readable() {
    return Ring.builder().add(A, 100, 400).add(B, 200).add(C, 300).build();
  }

  @Test
  void primary_positionBetweenTokens_belongsToNextToken() {
    Ring ring = readable();
    assertThat(ring.primary(150).name()).isEqualTo("b");
    assertThat(ring.primary(200).name()).isEqualTo("b");
    assertThat(ring.primary(201).name()).isEqualTo("c");
    assertThat(ring.primary(350).name()).isEqualTo("a");
  }

  @Test
  void primary_positionAfterLastToken_wrapsToFirst() {
    Ring ring = readable();
    assertThat(ring.primary(401).name()).isEqualTo("a");
    assertThat(ring.primary(Long.MAX_VALUE).name()).isEqualTo("a");
    assertThat(ring.primary(Long.MIN_VALUE).name()).isEqualTo("a");
  }

  @Test
  void replicas_walkClockwiseSkippingRepeatedOwners() {
    Ring ring = Ring.builder().add(A, 100, 150).add(B, 200).add(C, 300).build();
    assertThat(names(ring.replicas(120, 2))).containsExactly("a", "b");
    assertThat(names(ring.replicas(90, 2))).containsExactly("a", "b");
    assertThat(names(ring.replicas(250, 3))).containsExactly("c", "a", "b");
  }

  @Test
  void replicas_fewerMembersThanFactor_returnsAll() {
    Ring ring = Ring.builder().add(A, 1).add(B, 2).build();
    assertThat(names(ring.replicas(0, 5))).containsExactly("a", "b");
    assertThat(names(ring.replicas(2, 5))).containsExactly("b", "a");
  }

  @Test
  void replicas_factorBelowOne_isRejected() {
    assertThatThrownBy(() -> readable().replicas(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replication factor must be at least 1, was 0");
  }

  @Test
  void lookups_onEmptyRing_failClearly() {
    assertThatThrownBy(() -> Ring.empty().primary("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no members");
  }

  @Test
  void builder_duplicateName_isRejected() {
    assertThatThrownBy(() -> Ring.builder().add(A, 1).add(Member.of("a"), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate member name 'a'");
  }

  @Test
  void builder_memberWithoutTokens_isRejected() {
    assertThatThrownBy(() -> Ring.builder().add(A))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'a' must own at least one token");
  }

  @Test
  void member_blankNameOrBadWeight_isRejected() {
    assertThatThrownBy(() -> Member.of(" ")).hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> new Member("x", 0, null)).hasMessageContaining("positive and finite");
    assertThatThrownBy(() -> new Member("x", -1, null)).hasMessageContaining("was -1.0");
    assertThatThrownBy(() -> new Member("x", Double.NaN, null)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> new Member("x", Double.POSITIVE_INFINITY, null))
        .hasMessageContaining("Infinity");
  }

  @Test
  void without_unknownMember_isRejectedNamingIt() {
    assertThatThrownBy(() -> readable().without("zz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown member 'zz'");
  }

  @Test
  void without_removesOnlyThatMembersTokens() {
    Ring ring = readable().without("b");
    assertThat(ring.tokensOf("a")).containsExactly(100, 400);
    assertThat(ring.tokensOf("c")).containsExactly(300);
    assertThat(ring.contains("b")).isFalse();
    assertThat(ring.primary(150).name()).isEqualTo("c");
  }

  @Test
  void sameToken_twoMembers_lowerNameWinsDeterministically() {
    Ring one = Ring.builder().add(B, 100).add(A, 100).build();
    Ring two = Ring.builder().add(A, 100).add(B, 100).build();
    assertThat(one).isEqualTo(two);
    assertThat(one.primary(50).name()).isEqualTo("a");
    assertThat(names(one.replicas(50, 2))).containsExactly("a", "b");
  }

  @Test
  void ownership_sumsToCopiesHeld() {
    Ring ring = randomRing(new SplittableRandom(7), 7, 16);
    assertThat(sum(ring.ownership(1))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(sum(ring.ownership(3))).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(sum(ring.ownership(9))).isCloseTo(7.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void replicas_withZones_spreadOverDistinctZonesFirst() {
    Ring.Builder b = Ring.builder();
    SplittableRandom random = new SplittableRandom(11);
    for (String zone : List.of("z1", "z2", "z3")) {
      for (int i = 0; i < 4; i++) {
        b.add(Member.inZone(zone + "-n" + i, zone), randomTokens(random, 32));
      }
    }
    Ring ring = b.build();
    for (int k = 0; k < 5_000; k++) {
      long position = random.nextLong();
      List<Member> three = ring.replicas(position, 3);
      assertThat(three.stream().map(Member::zone).distinct().count()).isEqualTo(3);
      List<Member> five = ring.replicas(position, 5);
      assertThat(five).hasSize(5).doesNotHaveDuplicates();
      assertThat(five.subList(0, 3)).isEqualTo(three);
    }
  }

  @Test
  void replicas_moreCopiesThanZones_coverEveryZoneThenFill() {
    SplittableRandom random = new SplittableRandom(5);
    Ring ring = Ring.builder()
        .add(Member.inZone("a1", "a"), randomTokens(random, 16))
        .add(Member.inZone("a2", "a"), randomTokens(random, 16))
        .add(Member.inZone("a3", "a"), randomTokens(random, 16))
        .add(Member.inZone("b1", "b"), randomTokens(random, 16))
        .build();
    for (int k = 0; k < 2_000; k++) {
      List<Member> r = ring.replicas(random.nextLong(), 3);
      assertThat(r).hasSize(3).doesNotHaveDuplicates();
      assertThat(r.stream().map(Member::zone)).contains("a", "b");
    }
  }

  /** Same members and tokens in any insertion order give an equal ring and equal answers. */
  @RepeatedTest(20)
  void build_anyInsertionOrder_givesSameRing(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(1000 + info.getCurrentRepetition());
    Ring ring = randomRing(random, 2 + random.nextInt(20), 1 + random.nextInt(40));
    List<Map.Entry<Member, long[]>> entries = new ArrayList<>(ring.tokensByMember().entrySet());
    Collections.shuffle(entries, new Random(random.nextLong()));
    Ring.Builder shuffled = Ring.builder();
    entries.forEach(e -> shuffled.add(e.getKey(), e.getValue()));
    Ring other = shuffled.build();
    assertThat(other).isEqualTo(ring);
    for (int k = 0; k < 1_000; k++) {
      long position = random.nextLong();
      assertThat(other.replicas(position, 3)).isEqualTo(ring.replicas(position, 3));
    }
  }

  /** Model test: a naive TreeMap ring gives the same primary and replicas everywhere. */
  @RepeatedTest(20)
  void lookups_agreeWithNaiveTreeMapRing(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(2000 + info.getCurrentRepetition());
    int members = 1 + random.nextInt(30);
    Ring ring = randomRing(random, members, 1 + random.nextInt(64));
    NavigableMap<Long, String> model = new TreeMap<>();
    ring.tokensByMember().forEach((m, tokens) -> {
      for (long t : tokens) {
        model.merge(t, m.name(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
      }
    });
    int n = 1 + random.nextInt(4);
    List<Long> probes = new ArrayList<>();
    for (int k = 0; k < 2_000; k++) {
      probes.add(random.nextLong());
    }
    for (long t : model.keySet()) {
      probes.add(t);
      probes.add(t + 1);
      probes.add(t - 1);
    }
    for (long position : probes) {
      assertThat(ring.primary(position).name()).isEqualTo(modelPrimary(model, position));
      assertThat(names(ring.replicas(position, n))).isEqualTo(modelReplicas(model, position, n));
    }
  }

  @RepeatedTest(10)
  void replicas_areDistinctAndOfExpectedSize(RepetitionInfo info) {
    SplittableRandom random = new SplittableRandom(3000 + info.getCurrentRepetition());
    int members = 1 + random.nextInt(12);
    Ring ring = randomRing(random, members, 8);
    for (int k = 0; k < 2_000; k++) {
      int n = 1 + random.nextInt(5);
      long position = random.nextLong();
      List<Member> replicas = ring.replicas(position, n);
      assertThat(replicas).hasSize(Math.min(n, members)).doesNotHaveDuplicates();
      assertThat(replicas.get(0)).isEqualTo(ring.primary(position));
    }
  }

  @Test
  void replicas_aboveCachedFactors_stillComputed() {
    Ring ring = randomRing(new SplittableRandom(3), 12, 4);
    List<Member> all = ring.replicas(42L, 10);
    assertThat(all).hasSize(10).doesNotHaveDuplicates();
    assertThat(all.subList(0, 8)).isEqualTo(ring.replicas(42L, 8));
  }

  // ------------------------------------------------------------------------- helpers

  static Ring randomRing(SplittableRandom random, int members, int tokensEach) {
    Ring.Builder b = Ring.builder();
    for (int i = 0; i < members; i++) {
      b.add(Member.of("m" + i), randomTokens(random, tokensEach));
    }
    return b.build();
  }

  static long[] randomTokens(SplittableRandom random, int count) {
    long[] tokens = new long[count];
    for (int i = 0; i < count; i++) {
      tokens[i] = random.nextLong();
    }
    return tokens;
  }

  static List<String> names(List<Member> members) {
    return members.stream().map(Member::name).collect(Collectors.toList());
  }

  private static double sum(Map<String, Double> shares) {
    return shares.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static String modelPrimary(NavigableMap<Long, String> model, long position) {
    Map.Entry<Long, String> e = model.ceilingEntry(position);
    return (e != null ? e : model.firstEntry()).getValue();
  }

  private static List<String> modelReplicas(NavigableMap<Long, String> model, long position, int n) {
    Map<Long, String> walk = new LinkedHashMap<>(model.tailMap(position, true));
    walk.putAll(model.headMap(position, false));
    Set<String> seen = new HashSet<>();
    List<String> result = new ArrayList<>();
    for (String owner : walk.values()) {
      if (result.size() < n && seen.add(owner)) {
        result.add(owner);
      }
    }
    return result;
  }
}
