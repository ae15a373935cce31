package io.ringcache.ring;

import java.util.HashMap;
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
 * second copy of a long range).
 *
 * <p>{@link #replicaMaxOverMean(Ring, String, double)} adds what pieces of at least a given
 * length cost, as {@link BalancedHandoff}'s are ({@code MIN_PIECE}, or the whole range when it is
 * shorter): the last piece of a leaver's range directly followed by a survivor's token has that
 * survivor among its replicas, and whoever gives a run's second copy also owns, or holds the
 * second copy of, the first piece of the range after the run.
 */
public final class LeaveBound {

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
    for (Map.Entry<Integer, Double> run : runs.entrySet()) {
      int j = run.getKey();
      double piece = Math.min(minPiece, before.rangeFraction(j));
      String after = before.ownerOfToken((j + 1) % tokens).name();
      double least = Double.MAX_VALUE;
      for (Map.Entry<String, Double> m : fixed.entrySet()) {
        if (!m.getKey().equals(runOwner.get(j))) {
          // The piece is already in the fixed share of the member right after the range.
          double extra = m.getKey().equals(after) ? 0 : piece;
          least = Math.min(least, m.getValue() + run.getValue() + extra);
        }
      }
      worst = Math.max(worst, least * n / 2);
    }
    return worst;
  }
}
