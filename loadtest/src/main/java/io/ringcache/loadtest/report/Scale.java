package io.ringcache.loadtest.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a domain onto pixels, linearly from zero or on a log10 axis, and picks the ticks to label
 * it. The domain is widened to round tick values, so the top tick is always the top of the axis.
 * Degenerate input (no data, a zero or negative maximum) gives a small default domain rather than
 * a division by zero: the charts must render for a run that sent nothing.
 */
final class Scale {

  private final double d0;
  private final double d1;
  private final double r0;
  private final double r1;
  private final boolean log;
  private final List<Double> ticks;
  private final List<Double> minorTicks;

  private Scale(double d0, double d1, double r0, double r1, boolean log, List<Double> ticks,
      List<Double> minorTicks) {
    this.d0 = d0;
    this.d1 = d1;
    this.r0 = r0;
    this.r1 = r1;
    this.log = log;
    this.ticks = ticks;
    this.minorTicks = minorTicks;
  }

  /** {@code [0, max]} rounded up to a 1-2-5 step, with about {@code targetTicks} intervals. */
  static Scale linear(double max, double r0, double r1, int targetTicks) {
    double top = Double.isFinite(max) && max > 0 ? max : 1;
    double step = niceStep(top / targetTicks);
    int n = (int) Math.ceil(top / step - 1e-9);
    List<Double> ticks = new ArrayList<>(n + 1);
    for (int i = 0; i <= n; i++) {
      ticks.add(i * step);
    }
    return new Scale(0, n * step, r0, r1, false, ticks, List.of());
  }

  /**
   * Whole decades around {@code [min, max]} (both positive), ticked at 1, 2 and 5 times each
   * power of ten while that stays readable, at the powers alone beyond three decades (with 2 and
   * 5 kept as unlabelled minor grid lines, so values between decades can still be read).
   */
  static Scale log(double min, double max, double r0, double r1) {
    double lo = Math.pow(10, Math.floor(Math.log10(Math.max(min, 1e-9))));
    double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, lo))));
    if (hi <= lo) {
      hi = lo * 10;
    }
    long decades = Math.round(Math.log10(hi / lo));
    boolean dense = decades <= 3;
    List<Double> ticks = new ArrayList<>();
    List<Double> minor = new ArrayList<>();
    for (int d = 0; d < decades; d++) {
      double base = lo * Math.pow(10, d);
      ticks.add(base);
      (dense ? ticks : minor).add(base * 2);
      (dense ? ticks : minor).add(base * 5);
    }
    ticks.add(hi);
    return new Scale(lo, hi, r0, r1, true, ticks, minor);
  }

  private static double niceStep(double raw) {
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
  }

  /** Pixel position of {@code v}, clamped to the axis so nothing is drawn outside the plot. */
  double map(double v) {
    double t;
    if (log) {
      double clamped = Math.min(Math.max(v, d0), d1);
      t = Math.log10(clamped / d0) / Math.log10(d1 / d0);
    } else {
      double clamped = Math.min(Math.max(v, d0), d1);
      t = (clamped - d0) / (d1 - d0);
    }
    return r0 + t * (r1 - r0);
  }

  List<Double> ticks() {
    return ticks;
  }

  /** Grid-only positions between labelled ticks; empty on a linear axis. */
  List<Double> minorTicks() {
    return minorTicks;
  }

  double min() {
    return d0;
  }

  double max() {
    return d1;
  }
}
