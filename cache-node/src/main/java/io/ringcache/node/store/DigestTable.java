package io.ringcache.node.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The store's range digests ({@link DigestSlices}): a sum and a count per slice, kept exact on
 * every change of the map, and key indexes for the few slices a comparison cuts or repairs.
 *
 * <h2>Design</h2>
 * Every change of an entry goes through {@link #replace} with the array it replaced and the one
 * that replaced it (either may be null), from inside the atomic map operation that made the
 * change: a compute of the store, a conditional removal, or Caffeine's eviction listener, which
 * runs inside the eviction. So a slice's sum is always the sum over exactly the entries the map
 * holds there, expired ones included until something removes them, whatever the interleaving.
 * It costs two hashes and at most two atomic adds on one cache line per write, and no allocation.
 *
 * <p>The map is a hash map, so the keys of one slice cannot be found without a scan. A digest
 * that cuts a slice (a ring range that ends inside it) and a repair that lists a slice's versions
 * need them, so such slices get a key index: {@link #index} scans the map once for all the slices
 * asked for, and from then on every write to an indexed slice adds its key. Indexes are few (the
 * slices the ring's tokens fall in, and slices under repair) and are dropped when unused ({@link
 * #forgetIdle}). An index may hold keys the map no longer has (a removal racing the write that
 * added the key); readers check each key against the map and remove such keys with a re-check,
 * so a key can be listed too often but never be missing.
 *
 * <h2>Concurrency</h2>
 * Sums and counts change with atomic adds; reads of a range are weakly consistent, as any read
 * racing writes. Indexing: a writer adds its key after its map operation returned, if the slice
 * has an index by then; {@link #index} publishes a slice's (empty) index before it starts its
 * scan. A write either finished before the publication, so the scan, which starts after it, sees
 * the key, or sees the index and adds the key itself. One {@link #index} runs at a time.
 */
final class DigestTable {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /** Slice {@code s}: sum at {@code 2s}, count at {@code 2s + 1}. */
  private final long[] table = new long[2 * DigestSlices.COUNT];
  private final AtomicReferenceArray<SliceIndex> indexes =
      new AtomicReferenceArray<>(DigestSlices.COUNT);

  /** The keys of one slice; readable once {@code ready}. */
  private static final class SliceIndex {
    final Set<StoreKey> keys = ConcurrentHashMap.newKeySet();
    volatile boolean ready;
    volatile long usedNanos;
  }

  static long hashOf(long position, byte[] entry) {
    return DigestSlices.entryHash(position, StoredEntry.version(entry),
        StoredEntry.isTombstone(entry));
  }

  /** {@code old} left the map at {@code position} and {@code next} took its place (null: none). */
  void replace(long position, byte[] old, byte[] next) {
    if (old == next) {
      return;
    }
    long sum = 0;
    long count = 0;
    if (old != null) {
      sum -= hashOf(position, old);
      count--;
    }
    if (next != null) {
      sum += hashOf(position, next);
      count++;
    }
    int at = DigestSlices.of(position) << 1;
    if (sum != 0) {
      LONGS.getAndAdd(table, at, sum);
    }
    if (count != 0) {
      LONGS.getAndAdd(table, at + 1, count);
    }
  }

  /** After a write of {@code key} returned: records the key if its slice is indexed. */
  void written(StoreKey key, long position) {
    SliceIndex index = indexes.get(DigestSlices.of(position));
    if (index != null) {
      index.keys.add(key);
    }
  }

  /**
   * The digest of positions {@code first..last} (inclusive, signed order, {@code first <= last})
   * over {@code map}, or null when the range cuts a slice without a ready index.
   */
  RangeDigest digest(long first, long last, ConcurrentMap<StoreKey, byte[]> map, long nowNanos) {
    int from = DigestSlices.of(first);
    int to = DigestSlices.of(last);
    long sum = 0;
    long count = 0;
    for (int s = from; s <= to; s++) {
      if (covers(s, first, last)) {
        sum += (long) LONGS.getOpaque(table, s << 1);
        count += (long) LONGS.getOpaque(table, (s << 1) + 1);
        continue;
      }
      SliceIndex index = ready(s, nowNanos);
      if (index == null) {
        return null;
      }
      for (StoreKey key : index.keys) {
        byte[] entry = entryOf(index, key, map);
        if (entry == null) {
          continue;
        }
        long position = key.position();
        if (position >= first && position <= last) {
          sum += hashOf(position, entry);
          count++;
        }
      }
    }
    return new RangeDigest(sum, count);
  }

  /**
   * Calls {@code sink} with each entry of {@code first..last} that has not expired at {@code
   * nowNanos}; false, and nothing called, when a slice of the range has no ready index.
   */
  boolean versions(long first, long last, ConcurrentMap<StoreKey, byte[]> map, long nowNanos,
      LocalStore.VersionSink sink) {
    int from = DigestSlices.of(first);
    int to = DigestSlices.of(last);
    List<SliceIndex> slices = new ArrayList<>(to - from + 1);
    for (int s = from; s <= to; s++) {
      SliceIndex index = ready(s, nowNanos);
      if (index == null) {
        return false;
      }
      slices.add(index);
    }
    for (SliceIndex index : slices) {
      for (StoreKey key : index.keys) {
        byte[] entry = entryOf(index, key, map);
        if (entry == null
            || StoredEntry.remainingMillis(entry, nowNanos) == ReplicaEntry.EXPIRED) {
          continue;
        }
        long position = key.position();
        if (position >= first && position <= last) {
          sink.accept(key, position, StoredEntry.version(entry), StoredEntry.isTombstone(entry));
        }
      }
    }
    return true;
  }

  /**
   * Slices of {@code first..last} without a ready index that {@link #versions} ({@code whole}) or
   * {@link #digest} (only the slices the ends cut) would need.
   */
  int[] unindexed(long first, long last, boolean whole) {
    int from = DigestSlices.of(first);
    int to = DigestSlices.of(last);
    int[] out = new int[to - from + 1];
    int n = 0;
    for (int s = from; s <= to; s++) {
      if ((whole || !covers(s, first, last)) && !isReady(s)) {
        out[n++] = s;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Indexes the keys of {@code slices} with one scan of {@code keys} (the map's); returns how many
   * slices it indexed. Runs the scan on the calling thread: keep it off the event loops.
   */
  synchronized int index(int[] slices, Iterable<StoreKey> keys, long nowNanos) {
    SliceIndex[] fresh = new SliceIndex[DigestSlices.COUNT];
    int added = 0;
    for (int s : slices) {
      if (indexes.get(s) == null) {
        SliceIndex index = new SliceIndex();
        index.usedNanos = nowNanos;
        fresh[s] = index;
        indexes.set(s, index);
        added++;
      }
    }
    if (added == 0) {
      return 0;
    }
    for (StoreKey key : keys) {
      SliceIndex index = fresh[DigestSlices.of(key.position())];
      if (index != null) {
        index.keys.add(key);
      }
    }
    for (SliceIndex index : fresh) {
      if (index != null) {
        index.ready = true;
      }
    }
    return added;
  }

  /** Drops the indexes nobody read since {@code beforeNanos}; returns how many. */
  synchronized int forgetIdle(long beforeNanos) {
    int dropped = 0;
    for (int s = 0; s < DigestSlices.COUNT; s++) {
      SliceIndex index = indexes.get(s);
      if (index != null && index.ready && index.usedNanos - beforeNanos < 0) {
        indexes.set(s, null);
        dropped++;
      }
    }
    return dropped;
  }

  /** Number of slices with an index. */
  int indexedSlices() {
    int n = 0;
    for (int s = 0; s < DigestSlices.COUNT; s++) {
      if (indexes.get(s) != null) {
        n++;
      }
    }
    return n;
  }

  private static boolean covers(int slice, long first, long last) {
    return first <= DigestSlices.first(slice) && last >= DigestSlices.last(slice);
  }

  private boolean isReady(int slice) {
    SliceIndex index = indexes.get(slice);
    return index != null && index.ready;
  }

  private SliceIndex ready(int slice, long nowNanos) {
    SliceIndex index = indexes.get(slice);
    if (index == null || !index.ready) {
      return null;
    }
    index.usedNanos = nowNanos;
    return index;
  }

  /**
   * The entry the map holds for an indexed key, or null; a key the map no longer holds leaves the
   * index, and comes back at once if a write put it in the map meanwhile (its own add may have
   * come first).
   */
  private static byte[] entryOf(SliceIndex index, StoreKey key, Map<StoreKey, byte[]> map) {
    byte[] entry = map.get(key);
    if (entry == null) {
      index.keys.remove(key);
      if (map.containsKey(key)) {
        index.keys.add(key);
      }
    }
    return entry;
  }
}
