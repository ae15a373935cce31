package io.ringcache.node.store;

import io.ringcache.protocol.PositionRange;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Digests and version lists of ranges of positions, indexing the slices they need first (one scan
 * of the store for all of them): what both sides of an anti-entropy comparison read. Every method
 * may scan the store: call them off the event loop.
 */
public final class RangeReads {

  private RangeReads() {}

  /** One entry of a version list. */
  public record Version(StoreKey key, long position, long version, boolean tombstone) {}

  /**
   * The digest of each range, in order; null only if the indexes they need were dropped again
   * while reading (a caller asks again later).
   */
  public static List<RangeDigest> digests(LocalStore store, List<PositionRange> ranges) {
    index(store, ranges, false);
    List<RangeDigest> out = new ArrayList<>(ranges.size());
    for (PositionRange range : ranges) {
      RangeDigest d = store.digest(range.first(), range.last());
      if (d == null) {
        return null;
      }
      out.add(d);
    }
    return out;
  }

  /**
   * Every value and tombstone of {@code range} that has not expired, sorted by position; null
   * only if its indexes were dropped again while reading.
   */
  public static List<Version> versions(LocalStore store, PositionRange range) {
    index(store, List.of(range), true);
    List<Version> out = new ArrayList<>();
    boolean listed = store.versionsIn(range.first(), range.last(),
        (key, position, version, tombstone) ->
            out.add(new Version(key, position, version, tombstone)));
    if (!listed) {
      return null;
    }
    out.sort((a, b) -> Long.compare(a.position(), b.position()));
    return out;
  }

  /**
   * Whether an entry at {@code version} ({@code tombstone}) orders after one at {@code
   * otherVersion}: the store's merge order ({@link LocalStore#apply}) for entries of different
   * writes: the higher version, and on a tie a tombstone over a value.
   */
  public static boolean newer(long version, boolean tombstone, long otherVersion,
      boolean otherTombstone) {
    return version != otherVersion ? version > otherVersion : tombstone && !otherTombstone;
  }

  /** Indexes the slices {@code ranges} need ({@code whole}: every slice, else the cut ones). */
  public static void index(LocalStore store, List<PositionRange> ranges, boolean whole) {
    BitSet slices = new BitSet();
    for (PositionRange range : ranges) {
      for (int s : store.unindexedSlices(range.first(), range.last(), whole)) {
        slices.set(s);
      }
    }
    if (!slices.isEmpty()) {
      store.indexSlices(slices.stream().toArray());
    }
  }
}
