package io.ringcache.node.store;

/**
 * What a store holds in a range of positions, in 16 bytes: the sum (modulo 2^64) of {@link
 * DigestSlices#entryHash} over every value and tombstone there, and how many there are. Two owners
 * with equal digests hold the same {@code (key, version)} pairs, but for a 2^-64 chance.
 */
public record RangeDigest(long sum, long count) {

  /** The digest of an empty range. */
  public static final RangeDigest EMPTY = new RangeDigest(0, 0);

  /** The digest of this range and {@code other} together (disjoint ranges). */
  public RangeDigest plus(RangeDigest other) {
    return new RangeDigest(sum + other.sum, count + other.count);
  }

  /** The sum as 16 hex digits, for logs and JSON. */
  public String hex() {
    return String.format("%016x", sum);
  }
}
