package io.ringcache.loadtest.dsl;

import java.util.SplittableRandom;

/**
 * Zipf-distributed key indexes by rejection-inversion.
 *
 * <h2>Design</h2>
 *
 * W. Hörmann and G. Derflinger, "Rejection-inversion to generate variates from monotone discrete
 * distributions", ACM TOMACS 6(3), 1996 (the algorithm behind Apache Commons RNG's
 * {@code RejectionInversionZipfSampler}). The probability mass {@code h(k) = k^-s} is bounded by
 * the integral {@code H} of {@code h} over {@code [k - 1/2, k + 1/2]}; a uniform draw between
 * {@code H(1.5) - 1} and {@code H(n + 1/2)} is inverted through {@code H} and accepted when it
 * falls under the true mass. Acceptance is above 90% for every {@code s}, so the expected cost is
 * a few logarithms per sample with O(1) memory, whatever {@code n}. A precomputed CDF with binary
 * search would be exact too but needs {@code 8n} bytes and O(n) set-up.
 *
 * <p>Rank {@code k} maps to index {@code k - 1}: {@code key:0} is the hottest key. Keys are hashed
 * onto the ring, so hot keys land on members independently of their index.
 */
final class ZipfianFeeder implements KeyFeeder {

  private final long n;
  private final double exponent;
  private final double hIntegralX1;
  private final double hIntegralN;
  private final double squeeze;

  ZipfianFeeder(long n, double exponent) {
    this.n = n;
    this.exponent = exponent;
    this.hIntegralX1 = hIntegral(1.5) - 1;
    this.hIntegralN = hIntegral(n + 0.5);
    this.squeeze = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
  }

  @Override
  public long keyCount() {
    return n;
  }

  @Override
  public long nextIndex(SplittableRandom random, long sequence) {
    while (true) {
      double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
      double x = hIntegralInverse(u);
      long k = (long) (x + 0.5);
      if (k < 1) {
        k = 1;
      } else if (k > n) {
        k = n;
      }
      if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
        return k - 1;
      }
    }
  }

  /** {@code H(x)}: the integral of {@code h} from 1 to x, shifted; {@code log(x)} when s = 1. */
  private double hIntegral(double x) {
    double logX = Math.log(x);
    return helper2((1 - exponent) * logX) * logX;
  }

  private double h(double x) {
    return Math.exp(-exponent * Math.log(x));
  }

  private double hIntegralInverse(double x) {
    double t = x * (1 - exponent);
    if (t < -1) {
      t = -1; // rounding near the lower end; the exact value is never below -1
    }
    return Math.exp(helper1(t) * x);
  }

  /** {@code log1p(x) / x}, accurate near 0. */
  private static double helper1(double x) {
    if (Math.abs(x) > 1e-8) {
      return Math.log1p(x) / x;
    }
    return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
  }

  /** {@code expm1(x) / x}, accurate near 0. */
  private static double helper2(double x) {
    if (Math.abs(x) > 1e-8) {
      return Math.expm1(x) / x;
    }
    return 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
  }

  @Override
  public String toString() {
    return "zipfian(" + n + ", " + exponent + ")";
  }
}
