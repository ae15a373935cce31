package io.ringcache.ring.bench;

import io.ringcache.ring.LeaveBound;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.ringcache.ring.RingDiff;
import io.ringcache.ring.TokenAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Balance, movement and decay of rings built by {@link TokenAllocator}, printed as markdown tables
 * for {@code docs/benchmarks.md}. Run through {@code bin/ring-bench balance}.
 *
 * <p>Everything but the timing section is deterministic: members join in name order
 * ({@code node-001}, {@code node-002}, ...), sampled positions and leaving members come from
 * fixed-seed {@link SplittableRandom}s, and ownership is computed exactly from token ranges by
 * {@link Ring#ownership(int)}. Movement is measured twice, by sampling positions and exactly by
 * {@link RingDiff}, so a disagreement would show a bug in one of them.
 *
 * <p>Ratios are against the fair share: {@code 1/N} for primary ownership and {@code 2/N} at
 * RF=2. A ratio of 1.05 means the busiest member holds 5% more than its share.
 *
 * <p>A plain {@code main}, not a test: the figures are measurements to record, not assertions.
 */
public final class RingBalanceReport {

  private static final int RF = 2;
  private static final int[] SIZES = {3, 10, 50, 100};
  private static final int MAX_SIZE = 100;
  private static final int SAMPLES = 262_144;
  private static final long SAMPLE_SEED = 7;
  private static final long LEAVE_SEED = 11;
  private static final long DECAY_SEED = 13;
  private static final long MIXED_SEED = 19;
  /**
   * {@code BalancedHandoff.MIN_SHIFTED_PIECE} (package-private there), in fair per-token shares:
   * the smallest piece a hand-off leaves once the refinement has shifted its cuts.
   */
  private static final double MIN_PIECE = 0.0025;

  /** A way to place tokens, named as in the tables. */
  private record Mode(String name, TokenAllocator allocator) {}

  /** Max/mean and min/mean of one ring. */
  private record Balance(double maxPrimary, double maxReplica, double minReplica) {}

  private RingBalanceReport() {}

  public static void main(String[] args) {
    Mode balanced64 = new Mode("balanced@64", TokenAllocator.balanced(64, RF));
    Mode random64 = new Mode("random@64", TokenAllocator.random(64));
    Mode random256 = new Mode("random@256", TokenAllocator.random(256));
    Mode balanced256 = new Mode("balanced@256", TokenAllocator.balanced(256, RF));
    List<Mode> modes = List.of(balanced64, random64, random256, balanced256);

    System.out.println("Ring balance report: members join in name order, RF=" + RF + ", "
        + SAMPLES + " sampled positions for movement.");
    System.out.println();

    // One growth per mode from 1 to 101 members; every snapshot along the way is kept, since
    // balanced allocation depends on join order and rebuilding each size would cost minutes.
    List<Growth> growths = new ArrayList<>();
    for (Mode mode : modes) {
      growths.add(Growth.of(mode, MAX_SIZE + 1));
    }

    printBalance(growths);
    printWorstOverRange(growths);
    printMovement(List.of(growths.get(0), growths.get(2)));
    printDecay(growths.get(0), 100);
    printDecay(growths.get(0), 10);
    printSingleLeaves(growths.get(0));
    printMixed(growths.get(0), 50, 50);
    printTiming(growths);
    printLeaveTiming(growths.get(0));
  }

  // ---------------------------------------------------------------- (a) balance

  private static void printBalance(List<Growth> growths) {
    System.out.println("### Balance (max/mean ownership; 1.00 is perfect)");
    System.out.println();
    System.out.println("| N | mode | tokens/member | max/mean primary | max/mean RF=2 "
        + "| min/mean RF=2 |");
    System.out.println("|---:|---|---:|---:|---:|---:|");
    for (int n : SIZES) {
      for (Growth g : growths) {
        Balance b = balance(g.ring(n));
        System.out.printf(Locale.ROOT, "| %d | %s | %d | %.3f | %.3f | %.3f |%n", n,
            g.mode.name, g.mode.allocator.tokensPerMember(), b.maxPrimary, b.maxReplica,
            b.minReplica);
      }
    }
    System.out.println();
  }

  private static void printWorstOverRange(List<Growth> growths) {
    System.out.println("### Worst balance over every N from 3 to " + MAX_SIZE);
    System.out.println();
    System.out.println("| mode | worst max/mean primary (at N) | worst max/mean RF=2 (at N) "
        + "| worst min/mean RF=2 (at N) |");
    System.out.println("|---|---:|---:|---:|");
    for (Growth g : growths) {
      double worstP = 0;
      double worstR = 0;
      double worstMin = Double.MAX_VALUE;
      int atP = 0;
      int atR = 0;
      int atMin = 0;
      for (int n = 3; n <= MAX_SIZE; n++) {
        Balance b = balance(g.ring(n));
        if (b.maxPrimary > worstP) {
          worstP = b.maxPrimary;
          atP = n;
        }
        if (b.maxReplica > worstR) {
          worstR = b.maxReplica;
          atR = n;
        }
        if (b.minReplica < worstMin) {
          worstMin = b.minReplica;
          atMin = n;
        }
      }
      System.out.printf(Locale.ROOT, "| %s | %.3f (%d) | %.3f (%d) | %.3f (%d) |%n",
          g.mode.name, worstP, atP, worstR, atR, worstMin, atMin);
    }
    System.out.println();
  }

  static Balance balance(Ring ring) {
    double[] primary = values(ring.ownership(1));
    double[] replica = values(ring.ownership(RF));
    int n = ring.size();
    double meanPrimary = 1.0 / n;
    double meanReplica = (double) Math.min(RF, n) / n;
    return new Balance(max(primary) / meanPrimary, max(replica) / meanReplica,
        min(replica) / meanReplica);
  }

  // ---------------------------------------------------------------- (b) movement

  private static void printMovement(List<Growth> growths) {
    System.out.println("### Movement on one join (N -> N+1) and one leave (N+1 -> N)");
    System.out.println();
    System.out.println("Minimum for both: 1/(N+1) of the keys change primary, 2/(N+1) of the "
        + "data is copied at RF=2. Join: the member that joins is node-(N+1). Leave: a "
        + "seeded-random member of the N+1 ring leaves through `TokenAllocator.remove` (balanced: "
        + "hand-off to chosen survivors; random: deletion). \"moved\" is sampled; \"exact\" is "
        + "`RingDiff` at RF=1. Copied is `RingDiff.copiedFraction()` at RF=2.");
    System.out.println();
    System.out.println("| mode | N | join: primary moved ÷ 1/(N+1) (exact) | all to joiner "
        + "| join: RF=2 copied ÷ 2/(N+1) | RF=2 gains all on joiner "
        + "| leave: primary moved ÷ 1/(N+1) (exact) | exact ÷ leaver's share "
        + "| only leaver's keys moved "
        + "| leave: RF=2 copied ÷ 2/(N+1) | every RF=2 change held the leaver |");
    System.out.println("|---|---:|---:|---|---:|---|---:|---:|---|---:|---|");
    SplittableRandom leaveRandom = new SplittableRandom(LEAVE_SEED);
    long[] positions = new SplittableRandom(SAMPLE_SEED).longs(SAMPLES).toArray();
    for (Growth g : growths) {
      for (int n : SIZES) {
        Ring before = g.ring(n);
        Ring after = g.ring(n + 1);
        double minimum = 1.0 / (n + 1);

        String joiner = memberName(n + 1);
        int moved = 0;
        boolean allToJoiner = true;
        for (long p : positions) {
          String was = before.primary(p).name();
          String now = after.primary(p).name();
          if (!was.equals(now)) {
            moved++;
            allToJoiner &= now.equals(joiner);
          }
        }
        double joinMoved = (double) moved / SAMPLES;
        double joinExact = RingDiff.between(before, after, 1).changedFraction();
        RingDiff joinDiff = RingDiff.between(before, after, RF);
        boolean gainsOnJoiner = joinDiff.changes().stream()
            .allMatch(c -> c.gained().stream().allMatch(m -> m.name().equals(joiner)));

        String leaver = memberName(1 + leaveRandom.nextInt(n + 1));
        Ring left = g.mode.allocator.remove(after, leaver);
        double leaverShare = after.ownership(1).get(leaver);
        int leaveMoved = 0;
        boolean onlyLeaver = true;
        for (long p : positions) {
          String was = after.primary(p).name();
          if (!was.equals(left.primary(p).name())) {
            leaveMoved++;
          }
          // A key the leaver did not own must keep its primary.
          if (!was.equals(leaver) && !was.equals(left.primary(p).name())) {
            onlyLeaver = false;
          }
        }
        double leaveFraction = (double) leaveMoved / SAMPLES;
        double leaveExact = RingDiff.between(after, left, 1).changedFraction();
        RingDiff leaveDiff = RingDiff.between(after, left, RF);
        boolean everyChangeHeldLeaver = leaveDiff.changes().stream()
            .allMatch(c -> c.sources().stream().anyMatch(m -> m.name().equals(leaver)));

        System.out.printf(Locale.ROOT,
            "| %s | %d | %.3f (%.3f) | %s | %.3f | %s | %.3f (%.3f) | %.3f | %s | %.3f | %s |%n",
            g.mode.name, n, joinMoved / minimum, joinExact / minimum, yesNo(allToJoiner),
            joinDiff.copiedFraction() / (RF * minimum), yesNo(gainsOnJoiner),
            leaveFraction / minimum, leaveExact / minimum, leaveExact / leaverShare,
            yesNo(onlyLeaver),
            leaveDiff.copiedFraction() / (RF * minimum), yesNo(everyChangeHeldLeaver));
      }
    }
    System.out.println();
  }

  // ---------------------------------------------------------------- (c) decay

  private static void printDecay(Growth g, int n) {
    int removals = Math.max(1, n / 10);
    System.out.printf(Locale.ROOT, "### Decay: %s at N=%d, removing %d (10%%) one at a time%n%n",
        g.mode.name, n, removals);
    System.out.println("\"hand-off\" is `TokenAllocator.remove` (each leaver's ranges go to the "
        + "survivors the allocator's score picks); \"delete\" is `Ring.without` (each range goes "
        + "to its clockwise neighbour), the same leavers in the same order. \"tokens\" is the "
        + "hand-off ring's token count. \"fresh\" is the allocator's ring grown directly to the "
        + "remaining size.");
    System.out.println();
    System.out.println("| step | left | N | hand-off max/mean primary | hand-off max/mean RF=2 "
        + "| hand-off min/mean RF=2 | tokens | delete max/mean primary | delete max/mean RF=2 "
        + "| fresh max/mean primary | fresh max/mean RF=2 |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    SplittableRandom random = new SplittableRandom(DECAY_SEED + n);
    Ring handOff = g.ring(n);
    Ring deleted = handOff;
    Balance start = balance(handOff);
    System.out.printf(Locale.ROOT,
        "| 0 | - | %d | %.3f | %.3f | %.3f | %d | %.3f | %.3f | %.3f | %.3f |%n", n,
        start.maxPrimary, start.maxReplica, start.minReplica, handOff.tokenCount(),
        start.maxPrimary, start.maxReplica, start.maxPrimary, start.maxReplica);
    for (int step = 1; step <= removals; step++) {
      List<Member> members = handOff.members();
      String leaver = members.get(random.nextInt(members.size())).name();
      handOff = g.mode.allocator.remove(handOff, leaver);
      deleted = deleted.without(leaver);
      Balance b = balance(handOff);
      Balance d = balance(deleted);
      Balance fresh = balance(g.ring(handOff.size()));
      System.out.printf(Locale.ROOT,
          "| %d | %s | %d | %.3f | %.3f | %.3f | %d | %.3f | %.3f | %.3f | %.3f |%n",
          step, leaver, handOff.size(), b.maxPrimary, b.maxReplica, b.minReplica,
          handOff.tokenCount(), d.maxPrimary, d.maxReplica, fresh.maxPrimary, fresh.maxReplica);
    }
    System.out.println();
  }

  /** One leave from every ring of N + 1 = 4..101 members: a seeded leaver, then every member. */
  private static void printSingleLeaves(Growth g) {
    System.out.println("### One leave at every N from 3 to " + MAX_SIZE + " (" + g.mode.name
        + ")");
    System.out.println();
    System.out.println("Each ring of N+1 members loses one member, leaving N. \"seeded\": one "
        + "seeded-random leaver per N (98 leaves); \"every\": each member of each ring in turn ("
        + (MAX_SIZE + 5) * (MAX_SIZE - 2) / 2 + " leaves). Worst max/mean with the N and the "
        + "leaver where it happened; \"> 1.05\" counts leaves whose ring exceeds 1.05; "
        + "\"unavoidable\" counts those among them whose `LeaveBound` (a lower bound for any "
        + "leave that keeps the survivors' ranges) is above 1.05, then those whose bound for "
        + "pieces of at least `MIN_SHIFTED_PIECE` (0.0025 fair per-token shares, the least a refined hand-off's piece keeps) is; "
        + "\"excess\" is the most any leave's RF=2 max/mean exceeds the higher of 1.05 and the "
        + "bound for pieces.");
    System.out.println();
    System.out.println("| leaves | leave by | worst max/mean primary (N, leaver) "
        + "| worst max/mean RF=2 (N, leaver) | > 1.05 primary "
        + "| > 1.05 RF=2 (unavoidable; with pieces) "
        + "| median max/mean RF=2 | cut tokens added per leave (mean) "
        + "| RF=2 copied ÷ deletion's (mean) | excess |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (boolean every : new boolean[] {false, true}) {
      for (boolean handOff : new boolean[] {true, false}) {
        SplittableRandom random = new SplittableRandom(LEAVE_SEED + 1);
        LeaveStats stats = new LeaveStats();
        for (int n = 3; n <= MAX_SIZE; n++) {
          Ring before = g.ring(n + 1);
          if (every) {
            for (Member m : before.members()) {
              stats.add(g, before, m.name(), handOff, n);
            }
          } else {
            stats.add(g, before, memberName(1 + random.nextInt(n + 1)), handOff, n);
          }
        }
        stats.print(every ? "every" : "seeded", handOff ? "hand-off" : "delete");
      }
    }
    System.out.println();
  }

  /** Worst and counts over a set of single leaves. */
  private static final class LeaveStats {
    double worstP;
    double worstR;
    String atP = "";
    String atR = "";
    int overP;
    int overR;
    int unavoidable;
    int unavoidableWithPieces;
    int count;
    long cuts;
    double copyRatio;
    double excess;
    final List<Double> replicas = new ArrayList<>();

    void add(Growth g, Ring before, String leaver, boolean handOff, int n) {
      Ring after = handOff ? g.mode.allocator.remove(before, leaver) : before.without(leaver);
      Balance b = balance(after);
      String at = String.format(Locale.ROOT, "%d, %s", n, leaver);
      if (b.maxPrimary > worstP) {
        worstP = b.maxPrimary;
        atP = at;
      }
      if (b.maxReplica > worstR) {
        worstR = b.maxReplica;
        atR = at;
      }
      overP += b.maxPrimary > 1.05 ? 1 : 0;
      double bound = LeaveBound.replicaMaxOverMean(before, leaver);
      double withPieces = LeaveBound.replicaMaxOverMean(before, leaver,
          MIN_PIECE / ((double) n * g.mode.allocator.tokensPerMember()));
      if (b.maxReplica > 1.05) {
        overR++;
        unavoidable += bound > 1.05 ? 1 : 0;
        unavoidableWithPieces += withPieces > 1.05 ? 1 : 0;
      }
      excess = Math.max(excess, b.maxReplica - Math.max(1.05, withPieces));
      copyRatio += RingDiff.between(before, after, RF).copiedFraction()
          / RingDiff.between(before, before.without(leaver), RF).copiedFraction();
      replicas.add(b.maxReplica);
      cuts += handOff ? after.tokenCount() - before.tokenCount() : 0;
      count++;
    }

    void print(String leaves, String by) {
      double[] sorted = replicas.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(Locale.ROOT,
          "| %s | %s | %.3f (%s) | %.3f (%s) | %d of %d | %d of %d (%d; %d) | %.3f | %s | %.3f "
              + "| %.3f |%n",
          leaves, by, worstP, atP, worstR, atR, overP, count, overR, count, unavoidable,
          unavoidableWithPieces,
          sorted[sorted.length / 2],
          by.equals("delete") ? "-" : String.format(Locale.ROOT, "%.1f", (double) cuts / count),
          copyRatio / count, excess);
    }
  }

  /** {@code changes} joins and leaves with even odds, from {@code start} members. */
  private static void printMixed(Growth g, int start, int changes) {
    System.out.printf(Locale.ROOT, "### Mixed: %d joins and leaves from N=%d (%s)%n%n", changes,
        start, g.mode.name);
    System.out.println("Each step is a join (a new name, allocated by `TokenAllocator.add`) or a "
        + "leave (a seeded-random member), with even odds; leaves by hand-off, and the same "
        + "sequence with leaves by deletion for comparison. One row per 5 steps: the worst "
        + "max/mean after any of them.");
    System.out.println();
    System.out.println("| steps | joins, leaves | N after | hand-off worst max/mean primary "
        + "| hand-off worst max/mean RF=2 | tokens after (max per member) "
        + "| delete worst max/mean primary | delete worst max/mean RF=2 |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    SplittableRandom random = new SplittableRandom(MIXED_SEED);
    Ring handOff = g.ring(start);
    Ring deleted = handOff;
    int next = MAX_SIZE + 2;
    double allP = 0;
    double allR = 0;
    double allDelP = 0;
    double allDelR = 0;
    for (int first = 1; first <= changes; first += 5) {
      int joins = 0;
      int leaves = 0;
      double worstP = 0;
      double worstR = 0;
      double delP = 0;
      double delR = 0;
      for (int step = first; step < first + 5 && step <= changes; step++) {
        if (random.nextBoolean()) {
          Member joiner = Member.of(memberName(next++));
          handOff = g.mode.allocator.add(handOff, joiner);
          deleted = g.mode.allocator.add(deleted, joiner);
          joins++;
        } else {
          String leaver = handOff.members().get(random.nextInt(handOff.size())).name();
          handOff = g.mode.allocator.remove(handOff, leaver);
          deleted = deleted.without(leaver);
          leaves++;
        }
        Balance b = balance(handOff);
        Balance d = balance(deleted);
        worstP = Math.max(worstP, b.maxPrimary);
        worstR = Math.max(worstR, b.maxReplica);
        delP = Math.max(delP, d.maxPrimary);
        delR = Math.max(delR, d.maxReplica);
      }
      int maxTokens = handOff.tokensByMember().values().stream().mapToInt(t -> t.length).max()
          .orElse(0);
      System.out.printf(Locale.ROOT,
          "| %d-%d | %d, %d | %d | %.3f | %.3f | %d (%d) | %.3f | %.3f |%n", first, Math.min(first + 4, changes), joins, leaves, handOff.size(), worstP, worstR,
          handOff.tokenCount(), maxTokens, delP, delR);
      allP = Math.max(allP, worstP);
      allR = Math.max(allR, worstR);
      allDelP = Math.max(allDelP, delP);
      allDelR = Math.max(allDelR, delR);
    }
    System.out.printf(Locale.ROOT, "| all | | | %.3f | %.3f | | %.3f | %.3f |%n", allP, allR,
        allDelP, allDelR);
    System.out.println();
  }

  // ---------------------------------------------------------------- (d) timing

  private static void printTiming(List<Growth> growths) {
    System.out.println("### Allocation time (wall clock, this JVM; not deterministic)");
    System.out.println();
    System.out.println("Per join: median of 5 allocations of node-(N+1) into the N-member ring, "
        + "after the growth warmed the JIT. Growth: one pass from 0 to 100 members, cold JVM "
        + "for the first mode.");
    System.out.println();
    System.out.println("| mode | join at N=10 (ms) | join at N=50 (ms) | join at N=100 (ms) "
        + "| grow 0 -> 100 (s) |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Growth g : growths) {
      StringBuilder row = new StringBuilder("| " + g.mode.name + " |");
      for (int n : new int[] {10, 50, 100}) {
        Ring ring = g.ring(n);
        Member joiner = Member.of(memberName(n + 1));
        double[] millis = new double[5];
        for (int i = 0; i < millis.length; i++) {
          long t0 = System.nanoTime();
          g.mode.allocator.allocate(ring, joiner);
          millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        row.append(String.format(Locale.ROOT, " %.2f |", millis[2]));
      }
      row.append(String.format(Locale.ROOT, " %.2f |", g.growNanosTo100 / 1e9));
      System.out.println(row);
    }
    System.out.println();
  }

  private static void printLeaveTiming(Growth g) {
    System.out.println("Per leave (" + g.mode.name + ", `TokenAllocator.remove` of a "
        + "seeded-random member of the N+1 ring, median of 5):");
    System.out.println();
    System.out.println("| mode | leave at N=10 (ms) | leave at N=50 (ms) | leave at N=100 (ms) |");
    System.out.println("|---|---:|---:|---:|");
    SplittableRandom random = new SplittableRandom(LEAVE_SEED + 2);
    StringBuilder row = new StringBuilder("| " + g.mode.name + " |");
    for (int n : new int[] {10, 50, 100}) {
      Ring ring = g.ring(n + 1);
      String leaver = memberName(1 + random.nextInt(n + 1));
      double[] millis = new double[5];
      for (int i = 0; i < millis.length; i++) {
        long t0 = System.nanoTime();
        g.mode.allocator.remove(ring, leaver);
        millis[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(millis);
      row.append(String.format(Locale.ROOT, " %.2f |", millis[2]));
    }
    System.out.println(row);
    System.out.println();

    System.out.println("Every leave of the 101-member ring once (" + g.mode.name
        + ", after the runs above warmed the JIT): the slowest is the coordinator's worst case.");
    System.out.println();
    System.out.println("| leaves at N=100 | median (ms) | 90th percentile (ms) "
        + "| slowest (ms, leaver) |");
    System.out.println("|---:|---:|---:|---:|");
    Ring ring = g.ring(MAX_SIZE + 1);
    double[] millis = new double[ring.size()];
    double slowest = 0;
    String slowestLeaver = "";
    for (int i = 0; i < ring.size(); i++) {
      String leaver = ring.members().get(i).name();
      long t0 = System.nanoTime();
      g.mode.allocator.remove(ring, leaver);
      millis[i] = (System.nanoTime() - t0) / 1e6;
      if (millis[i] > slowest) {
        slowest = millis[i];
        slowestLeaver = leaver;
      }
    }
    Arrays.sort(millis);
    System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f (%s) |%n", millis.length,
        millis[millis.length / 2], millis[millis.length * 9 / 10], slowest, slowestLeaver);
    System.out.println();
  }

  // ---------------------------------------------------------------- helpers

  /** Every snapshot of one mode's ring as members join, indexed by size. */
  private static final class Growth {
    final Mode mode;
    final Ring[] bySize;
    long growNanosTo100;

    private Growth(Mode mode, int maxSize) {
      this.mode = mode;
      this.bySize = new Ring[maxSize + 1];
    }

    static Growth of(Mode mode, int maxSize) {
      Growth g = new Growth(mode, maxSize);
      Ring ring = Ring.empty();
      g.bySize[0] = ring;
      long t0 = System.nanoTime();
      for (int n = 1; n <= maxSize; n++) {
        ring = mode.allocator.add(ring, Member.of(memberName(n)));
        g.bySize[n] = ring;
        if (n == MAX_SIZE) {
          g.growNanosTo100 = System.nanoTime() - t0;
        }
      }
      return g;
    }

    Ring ring(int size) {
      return bySize[size];
    }
  }

  static String memberName(int i) {
    return String.format("node-%03d", i);
  }

  private static double[] values(Map<String, Double> shares) {
    return shares.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }
}
