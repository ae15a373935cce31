package io.ringcache.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lower bounds on max/mean ownership at RF=2 after a leave that keeps the survivors' ranges (a
 * deletion or a hand-off), for rings without zones and members of weight 1. Shared by
 * {@code BalancedLeaveTest} and the ring benchmark.
 *
 * <p>Each survivor's own ranges, and the ranges whose next other owner is a survivor, stay its
 * whatever happens. A run of ranges of one survivor {@code q} followed by a leaver's token needs a
 * second copy from some member other than {@code q}, and whoever gives it gains the whole run:
 * the bound is the least that member can end with, for the worst run, or the most any survivor
 * holds for certain, if that is more (after earlier leaves, a survivor may already hold the
 * second copy of a long range). Several long runs may each need a taker, and one member taking
 * two gains both: the least possible maximum over the assignments of the {@link #RUNS} longest
 * runs to takers bounds the result too. Only the {@code RUNS} takers of lowest load need be
 * tried for each run: if a run went to another, one of those would be free, and taking it
 * there raises no maximum.
 *
 * <p>{@link #replicaMaxOverMean(Ring, String, double)} adds what pieces of at least a given
 * length cost, as {@link BalancedHandoff}'s are ({@code MIN_PIECE}, or the whole range when it is
 * shorter): the last piece of a leaver's range directly followed by a survivor's token has that
 * survivor among its replicas, and whoever gives a run's second copy also owns, or holds the
 * second copy of, the first piece of the range after the run.
 */
public final class LeaveBound {

  /** Longest runs whose takers are chosen together. */
  static final int RUNS = 4;

  private LeaveBound() {}

  /** The bound for any hand-off or deletion, however small its pieces. */
  public static double replicaMaxOverMean(Ring before, String leaver) {
    return replicaMaxOverMean(before, leaver, 0);
  }

  /**
   * The bound for hand-offs whose pieces are each at least {@code minPiece} of the circle, or a
   * whole leaver range when that is shorter.
   */
  public static double replicaMaxOverMean(Ring before, String leaver, double minPiece) {
    int n = before.size() - 1;
    int tokens = before.tokenCount();
    Map<String, Double> fixed = new HashMap<>();
    Map<Integer, Double> runs = new HashMap<>();
    Map<Integer, String> runOwner = new HashMap<>();
    for (Member m : before.members()) {
      if (!m.name().equals(leaver)) {
        fixed.put(m.name(), 0.0);
      }
    }
    for (int i = 0; i < tokens; i++) {
      String q = before.ownerOfToken(i).name();
      double length = before.rangeFraction(i);
      if (q.equals(leaver)) {
        String next = before.ownerOfToken((i + 1) % tokens).name();
        if (!next.equals(leaver)) {
          fixed.merge(next, Math.min(minPiece, length), Double::sum);
        }
        continue;
      }
      fixed.merge(q, length, Double::sum);
      for (int k = 1; k < tokens; k++) {
        int j = (i + k) % tokens;
        String next = before.ownerOfToken(j).name();
        if (next.equals(q)) {
          continue;
        }
        if (next.equals(leaver)) {
          runs.merge(j, length, Double::sum);
          runOwner.put(j, q);
        } else {
          fixed.merge(next, length, Double::sum);
        }
        break;
      }
    }
    double worst = 0;
    for (double certain : fixed.values()) {
      worst = Math.max(worst, certain * n / 2);
    }
    List<String> names = new ArrayList<>(fixed.keySet());
    names.sort(Comparator.naturalOrder());
    List<Integer> longest = new ArrayList<>(runs.keySet());
    longest.sort(Comparator.comparing((Integer j) -> -runs.get(j)).thenComparing(j -> j));
    int k = Math.min(RUNS, longest.size());
    String[][] takers = new String[k][];
    double[][] gains = new double[k][];
    for (int r = 0; r < longest.size(); r++) {
      int j = longest.get(r);
      double piece = Math.min(minPiece, before.rangeFraction(j));
      String after = before.ownerOfToken((j + 1) % tokens).name();
      List<String> eligible = new ArrayList<>();
      for (String m : names) {
        if (!m.equals(runOwner.get(j))) {
          eligible.add(m);
        }
      }
      // The piece is already in the fixed share of the member right after the range.
      Map<String, Double> gain = new HashMap<>();
      for (String m : eligible) {
        gain.put(m, runs.get(j) + (m.equals(after) ? 0 : piece));
      }
      eligible.sort(Comparator.comparing((String m) -> fixed.get(m) + gain.get(m)));
      worst = Math.max(worst, (fixed.get(eligible.get(0)) + gain.get(eligible.get(0))) * n / 2);
      if (r < k) {
        int c = Math.min(k, eligible.size());
        takers[r] = eligible.subList(0, c).toArray(new String[0]);
        gains[r] = new double[c];
        for (int i = 0; i < c; i++) {
          gains[r][i] = gain.get(takers[r][i]);
        }
      }
    }
    if (k > 1) {
      worst = Math.max(worst, leastMaximum(takers, gains, 0, fixed, new HashMap<>()) * n / 2);
    }
    return worst;
  }

  /** The least, over the takers of runs {@code r..}, of the highest load among all takers. */
  private static double leastMaximum(String[][] takers, double[][] gains, int r,
      Map<String, Double> fixed, Map<String, Double> added) {
    if (r == takers.length) {
      double highest = 0;
      for (Map.Entry<String, Double> a : added.entrySet()) {
        highest = Math.max(highest, fixed.get(a.getKey()) + a.getValue());
      }
      return highest;
    }
    double least = Double.MAX_VALUE;
    for (int i = 0; i < takers[r].length; i++) {
      added.merge(takers[r][i], gains[r][i], Double::sum);
      least = Math.min(least, leastMaximum(takers, gains, r + 1, fixed, added));
      added.merge(takers[r][i], -gains[r][i], Double::sum);
    }
    return least;
  }
}
