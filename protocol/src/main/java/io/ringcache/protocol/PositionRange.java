package io.ringcache.protocol;

import java.util.List;

/**
 * Ring positions {@code first..last}, both included, in signed order: what anti-entropy compares
 * and repairs. A ring range that wraps past {@code Long.MAX_VALUE} travels as two of these.
 */
public record PositionRange(long first, long last) {

  /** Every position. */
  public static final PositionRange ALL = new PositionRange(Long.MIN_VALUE, Long.MAX_VALUE);

  public PositionRange {
    if (first > last) {
      throw new IllegalArgumentException(
          String.format("range first %d is after last %d", first, last));
    }
  }

  /**
   * The ring range {@code (startExclusive, endInclusive]} as position ranges: one, or two when it
   * wraps past {@code Long.MAX_VALUE} ({@code startExclusive > endInclusive}); equal bounds are the
   * whole ring (a ring of one token), as the ring module reads them.
   */
  public static List<PositionRange> ofRing(long startExclusive, long endInclusive) {
    if (startExclusive == endInclusive) {
      return List.of(ALL);
    }
    if (startExclusive < endInclusive) {
      return List.of(new PositionRange(startExclusive + 1, endInclusive));
    }
    if (startExclusive == Long.MAX_VALUE) {
      return List.of(new PositionRange(Long.MIN_VALUE, endInclusive));
    }
    return List.of(new PositionRange(startExclusive + 1, Long.MAX_VALUE),
        new PositionRange(Long.MIN_VALUE, endInclusive));
  }

  /** Whether {@code position} lies in this range. */
  public boolean contains(long position) {
    return position >= first && position <= last;
  }
}
