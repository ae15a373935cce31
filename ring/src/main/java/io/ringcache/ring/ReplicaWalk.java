package io.ringcache.ring;

/**
 * The one replica-selection rule, shared by {@link Ring} lookups and {@link TokenAllocator}'s
 * what-if evaluations so the two can never disagree.
 *
 * <p>Rule: walk the tokens clockwise from a start index and collect distinct owners. Without
 * zones, the first {@code n} distinct owners are the replicas. With zones, an owner whose zone is
 * already represented is deferred; deferred owners fill the remaining slots, in walk order, once
 * every zone is represented or the ring is exhausted. So replicas land in distinct zones first.
 *
 * <p>The walk can be told to see one extra token, owned by {@code insertOwner}, at step
 * {@code insertAt}: that is how the allocator asks "what would this range's replicas be if I put
 * a token here" without copying the ring.
 *
 * <p>Members are small ints; sets are tiny arrays scanned linearly (n is a replication factor).
 */
final class ReplicaWalk {

  /** No extra token. */
  static final int NO_INSERT = -1;

  private ReplicaWalk() {}

  /**
   * Writes the replicas of the range ending at token {@code start} into {@code out}.
   *
   * @param owners owner index per token, in token order
   * @param tokenCount number of valid entries in {@code owners}
   * @param start token index to start from
   * @param insertAt step at which a virtual token is seen, or {@link #NO_INSERT}
   * @param insertOwner owner of the virtual token
   * @param want how many replicas to return; callers cap it at the number of present members
   * @param zoneOf zone index per member, or {@code null} when the ring has no zones
   * @param zoneCount distinct zones among present members (ignored without zones)
   * @param out receives the replicas, primary first; length at least {@code want}
   * @param deferred scratch space, length at least the number of members
   * @return the number of replicas written, equal to {@code want} unless the walk runs dry
   */
  static int walk(int[] owners, int tokenCount, int start, int insertAt, int insertOwner,
      int want, int[] zoneOf, int zoneCount, int[] out, int[] deferred) {
    return (int) run(owners, tokenCount, start, insertAt, insertOwner, want, zoneOf, zoneCount,
        out, deferred);
  }

  /**
   * How many tokens the walk from {@code start} reads before it has its replicas, or
   * {@link Integer#MAX_VALUE} when it runs out of tokens first. The walk's result depends only on
   * those tokens: a change of owner at a token {@code d} steps ahead affects the range at
   * {@code start} only if this is more than {@code d}.
   */
  static int reach(int[] owners, int tokenCount, int start, int want, int[] zoneOf,
      int zoneCount, int[] out, int[] deferred) {
    return (int) (run(owners, tokenCount, start, NO_INSERT, -1, want, zoneOf, zoneCount, out,
        deferred) >>> 32);
  }

  /** The one loop behind {@link #walk} and {@link #reach}: reach in the high half, count low. */
  private static long run(int[] owners, int tokenCount, int start, int insertAt, int insertOwner,
      int want, int[] zoneOf, int zoneCount, int[] out, int[] deferred) {
    int count = 0;
    int deferredCount = 0;
    int zonesUsed = 0;
    int steps = insertAt >= 0 ? tokenCount + 1 : tokenCount;
    int reach = Integer.MAX_VALUE;
    for (int s = 0; s < steps && count < want; s++) {
      int m;
      if (insertAt >= 0 && s >= insertAt) {
        m = s == insertAt ? insertOwner : owners[(start + s - 1) % tokenCount];
      } else {
        m = owners[(start + s) % tokenCount];
      }
      if (contains(out, count, m) || contains(deferred, deferredCount, m)) {
        continue;
      }
      if (zoneOf == null) {
        out[count++] = m;
        if (count == want) {
          reach = s + 1;
        }
        continue;
      }
      if (zoneTaken(out, count, zoneOf, zoneOf[m])) {
        deferred[deferredCount++] = m;
      } else {
        out[count++] = m;
        zonesUsed++;
      }
      if (count == want || zonesUsed == zoneCount && count + deferredCount >= want) {
        reach = s + 1;
        break;
      }
    }
    for (int d = 0; count < want && d < deferredCount; d++) {
      out[count++] = deferred[d];
    }
    return (long) reach << 32 | count;
  }

  static boolean contains(int[] values, int length, int value) {
    return contains(values, 0, length, value);
  }

  /** Whether {@code value} is among the {@code length} values from index {@code from}. */
  static boolean contains(int[] values, int from, int length, int value) {
    for (int i = from; i < from + length; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  private static boolean zoneTaken(int[] chosen, int count, int[] zoneOf, int zone) {
    for (int i = 0; i < count; i++) {
      if (zoneOf[chosen[i]] == zone) {
        return true;
      }
    }
    return false;
  }

  /** {@code true} when both arrays hold the same values in their first {@code n} slots, in any order. */
  static boolean sameSet(int[] a, int aCount, int[] b, int bCount) {
    if (aCount != bCount) {
      return false;
    }
    for (int i = 0; i < aCount; i++) {
      if (!contains(b, bCount, a[i])) {
        return false;
      }
    }
    return true;
  }
}
