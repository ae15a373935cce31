package io.ringcache.ring;

/**
 * Arithmetic on the 2<sup>64</sup> token circle. Tokens are signed longs ordered as signed values;
 * distances are unsigned and wrap.
 */
final class Tokens {

  private Tokens() {}

  /** Clockwise distance from {@code from} to {@code to} as a fraction of the circle, in [0, 1). */
  static double fraction(long from, long to) {
    return ((to - from) >>> 11) * 0x1.0p-53;
  }

  /** The token {@code fraction} of the circle clockwise from {@code from}. */
  static long advance(long from, double fraction) {
    return from + (long) (fraction * 0x1.0p63) * 2;
  }
}
