package io.ringcache.ring;

import java.util.HashMap;
import java.util.Map;

/**
 * A lower bound on max/mean ownership at RF=2 after a leave that keeps the survivors' ranges (a
 * deletion or a hand-off), for rings without zones and members of weight 1. Shared by
 * {@code BalancedLeaveTest} and the ring benchmark.
 *
 * <p>Each survivor's own ranges, and the ranges whose next other owner is a survivor, stay its
 * whatever happens. A run of ranges of one survivor {@code q} followed by a leaver's token needs a
 * second copy from some member other than {@code q}, and whoever gives it gains the whole run:
 * the bound is the least that member can end with, for the worst run.
 */
public final class LeaveBound {

  private LeaveBound() {}

  public static double replicaMaxOverMean(Ring before, String leaver) {
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
      if (q.equals(leaver)) {
        continue;
      }
      double length = before.rangeFraction(i);
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
    for (Map.Entry<Integer, Double> run : runs.entrySet()) {
      double least = Double.MAX_VALUE;
      for (Map.Entry<String, Double> m : fixed.entrySet()) {
        if (!m.getKey().equals(runOwner.get(run.getKey()))) {
          least = Math.min(least, m.getValue() + run.getValue());
        }
      }
      worst = Math.max(worst, least * n / 2);
    }
    return worst;
  }
}
