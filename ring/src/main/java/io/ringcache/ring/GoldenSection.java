package io.ringcache.ring;

import java.util.function.DoubleUnaryOperator;

/**
 * Golden-section search for the minimum of a convex function on an interval: each step keeps
 * the part of the interval that holds the lower of two probes, shrinking it by the golden ratio.
 * A fixed number of steps and no randomness, so every node computes the same cut.
 */
final class GoldenSection {

  private static final double GOLDEN = 0.6180339887498949;
  /** Steps: the interval shrinks to 0.618^40, about 4e-9 of its length. */
  private static final int STEPS = 40;

  private GoldenSection() {}

  /** The point of {@code [lo, hi]} (lo &lt;= hi) where {@code f}, convex there, is lowest. */
  static double minimum(DoubleUnaryOperator f, double lo, double hi) {
    double a = lo;
    double b = hi;
    double x1 = b - GOLDEN * (b - a);
    double x2 = a + GOLDEN * (b - a);
    double f1 = f.applyAsDouble(x1);
    double f2 = f.applyAsDouble(x2);
    for (int i = 0; i < STEPS; i++) {
      if (f1 <= f2) {
        b = x2;
        x2 = x1;
        f2 = f1;
        x1 = b - GOLDEN * (b - a);
        f1 = f.applyAsDouble(x1);
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + GOLDEN * (b - a);
        f2 = f.applyAsDouble(x2);
      }
    }
    return (a + b) / 2;
  }
}
