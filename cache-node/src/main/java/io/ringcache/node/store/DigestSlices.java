package io.ringcache.node.store;

/**
 * The fixed partition of the ring that range digests are kept over: {@value #COUNT} equal slices
 * of the 64-bit position space, in signed order (slice 0 starts at {@code Long.MIN_VALUE}), and the
 * hash of one {@code (key, version)} pair.
 *
 * <h2>Design</h2>
 * A digest must mean the same thing on every owner, whatever ring either installed, so it is kept
 * per slice of a partition no topology changes; a ring range is compared as the slices it covers
 * whole plus the pieces of the (at most two) slices its ends cut ({@link LocalStore#digest}).
 * 2^16 slices cost 1 MiB per node (a sum and a count per slice) and put about 15 entries in a
 * slice at a million entries, so a slice that disagrees is repaired by exchanging a short list.
 *
 * <p>Both {@link #BITS} and {@link #entryHash} are part of the peer protocol: nodes that disagree
 * on either see every slice as different. {@code DigestSlicesTest} pins golden values.
 */
public final class DigestSlices {

  /** log2 of the number of slices. */
  public static final int BITS = 16;

  /** Number of slices. */
  public static final int COUNT = 1 << BITS;

  private static final int SHIFT = 64 - BITS;

  private DigestSlices() {}

  /** The slice holding {@code position}. */
  public static int of(long position) {
    return (int) ((position ^ Long.MIN_VALUE) >>> SHIFT);
  }

  /** The first position of {@code slice}. */
  public static long first(int slice) {
    return ((long) slice << SHIFT) ^ Long.MIN_VALUE;
  }

  /** The last position of {@code slice}. */
  public static long last(int slice) {
    return first(slice) + ((1L << SHIFT) - 1);
  }

  /**
   * The hash of one entry in a digest: its key (by ring position, itself a 64-bit hash of the
   * bytes), its version and whether it is a tombstone. A digest is the sum of these over a range,
   * modulo 2^64: order-independent, and an entry leaves it by subtraction, so every write updates
   * it in O(1) and nothing is ever rescanned.
   */
  public static long entryHash(long position, long version, boolean tombstone) {
    long v = fmix64((version << 1 | (tombstone ? 1 : 0)) + 0x9E3779B97F4A7C15L);
    return fmix64(position ^ Long.rotateLeft(v, 32));
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
