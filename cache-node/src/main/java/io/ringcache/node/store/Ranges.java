package io.ringcache.node.store;

/** Ring range membership with the ring module's conventions. */
final class Ranges {

  private Ranges() {}

  /**
   * Whether {@code position} lies in {@code (startExclusive, endInclusive]}: a range with {@code
   * start > end} wraps past {@code Long.MAX_VALUE} to {@code Long.MIN_VALUE}; {@code start == end}
   * is the whole ring (a single token owns everything).
   */
  static boolean contains(long startExclusive, long endInclusive, long position) {
    if (startExclusive == endInclusive) {
      return true;
    }
    if (startExclusive < endInclusive) {
      return position > startExclusive && position <= endInclusive;
    }
    return position > startExclusive || position <= endInclusive;
  }
}
