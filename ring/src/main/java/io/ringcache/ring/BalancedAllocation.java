package io.ringcache.ring;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One run of balanced token allocation: places a joining member's tokens one at a time, each
 * where it most reduces the ring's imbalance.
 *
 * <h2>Design</h2>
 * The score is the sum over members of the squared relative deviation of their ownership from
 * their target, once for primary ownership and once counting replicas:
 * <pre>  J = Σ ((P_i - p_i) / p_i)² + Σ ((R_i - r_i) / r_i)²</pre>
 * where {@code p_i = w_i / W} and {@code r_i = min(1, min(rf, N) * w_i / W)}. Inserting a token
 * of the new member X at offset {@code P} inside the range {@code (a, b]} changes only a few
 * members' loads, and every change is linear in {@code P}: X gains {@code P} of primary
 * ownership from b's owner, the replica sets of {@code (a, p]} and {@code (p, b]} follow from
 * the replica walk, and the ranges just before {@code a} whose walk now meets X change their
 * replica sets by a constant. So for each candidate range the best offset is the minimum of a
 * parabola, in closed form, and the change in J is exact. Each step tries every range and keeps
 * the best; that is {@code O(tokens)} candidates of {@code O(rf)} work each, per token placed.
 * This is the idea of Cassandra's replication-aware allocator (CASSANDRA-7032), derived here
 * for continuous token positions rather than range splits at fixed points.
 *
 * <p>The replica walk is {@link ReplicaWalk}, the same one {@link Ring} uses, with the candidate
 * token inserted virtually, so zones are honoured by the score exactly as by lookups.
 *
 * <h2>Concurrency</h2>
 * Single-use and single-threaded; the caller's ring is never mutated.
 */
final class BalancedAllocation {

  /** A token leaves at least this fraction of the range it splits to the range's owner. */
  private static final double KEEP = 1e-4;

  /**
   * A token takes at most this multiple of the joining member's fair share per token. Without
   * the cap the first tokens swallow whole ranges in one place and leave long runs of large
   * ranges elsewhere; splitting a range also hands its predecessor's secondary copy to the new
   * member, so a run of large ranges becomes too costly to split ever after and its owners stay
   * overloaded (measured: 1.17 max/mean at 100 members without the cap, 1.01 with 1.2).
   */
  private static final double TAKE = 1.2;

  private final int rf;
  private final int x;
  private final int memberCount;
  private final int[] zoneOf;
  private final int zoneCountWithX;
  private final int zoneCountWithoutX;
  private final double[] primaryTarget;
  private final double[] replicaTarget;
  private final double[] primary;
  private final double[] replica;

  private long[] tokens;
  private int[] owners;
  private int size;
  private boolean xPresent;
  private double maxTake;

  // Scratch space for one candidate's effect: member slots with primary slope, replica constant
  // and replica slope.
  private final int[] slotOf;
  private final int[] affected;
  private int affectedCount;
  private final double[] slopeP;
  private final double[] constR;
  private final double[] slopeR;
  private final int[] walkA;
  private final int[] walkB;
  private final int[] deferred;

  BalancedAllocation(Ring ring, Member joining, int replicationFactor) {
    this.rf = replicationFactor;
    int n = ring.size();
    this.x = n;
    this.memberCount = n + 1;
    double[] weights = new double[memberCount];
    for (int i = 0; i < n; i++) {
      weights[i] = ring.members().get(i).weight();
    }
    weights[x] = joining.weight();
    double total = Arrays.stream(weights).sum();
    int copies = Math.min(rf, memberCount);
    primaryTarget = new double[memberCount];
    replicaTarget = new double[memberCount];
    for (int i = 0; i < memberCount; i++) {
      primaryTarget[i] = weights[i] / total;
      replicaTarget[i] = Math.min(1.0, copies * weights[i] / total);
    }

    int[] ringZones = ring.zoneIndexes();
    boolean zoned = ringZones != null || joining.hasZone();
    if (zoned) {
      zoneOf = new int[memberCount];
      Map<String, Integer> zones = new HashMap<>();
      for (int i = 0; i < n; i++) {
        zoneOf[i] = zones.computeIfAbsent(ring.members().get(i).zone(), z -> zones.size());
      }
      zoneCountWithoutX = zones.size();
      zoneOf[x] = zones.computeIfAbsent(joining.zone(), z -> zones.size());
      zoneCountWithX = zones.size();
    } else {
      zoneOf = null;
      zoneCountWithX = 0;
      zoneCountWithoutX = 0;
    }

    tokens = ring.tokenArray().clone();
    owners = ring.ownerIndexes().clone();
    size = tokens.length;
    primary = new double[memberCount];
    replica = new double[memberCount];

    slotOf = new int[memberCount];
    Arrays.fill(slotOf, -1);
    affected = new int[memberCount];
    slopeP = new double[memberCount];
    constR = new double[memberCount];
    slopeR = new double[memberCount];
    walkA = new int[Math.max(rf, 1)];
    walkB = new int[Math.max(rf, 1)];
    deferred = new int[memberCount];

    int want = wantBefore();
    for (int t = 0; t < size; t++) {
      double length = rangeFraction(t);
      primary[owners[t]] += length;
      int c = walk(t, ReplicaWalk.NO_INSERT, want, zoneCountWithoutX, walkA);
      for (int k = 0; k < c; k++) {
        replica[walkA[k]] += length;
      }
    }
  }

  long[] allocate(int count) {
    long[] placed = new long[count];
    if (size == 0) {
      // First member: evenly spaced, starting at a name-dependent offset.
      long step = Long.divideUnsigned(-1L, count);
      long base = KeyHash.of("first-member");
      for (int i = 0; i < count; i++) {
        placed[i] = base + step * i;
      }
      Arrays.sort(placed);
      return placed;
    }
    maxTake = TAKE * primaryTarget[x] / count;
    tokens = Arrays.copyOf(tokens, size + count);
    owners = Arrays.copyOf(owners, size + count);
    for (int i = 0; i < count; i++) {
      placed[i] = placeOne((i + 1) / (double) count);
    }
    Arrays.sort(placed);
    return placed;
  }

  /** Evaluates every range, inserts X's token where the score drops most, returns it. */
  private long placeOne(double pace) {
    int bestRange = -1;
    double bestDelta = Double.POSITIVE_INFINITY;
    double bestOffset = 0;
    for (int j = 0; j < size; j++) {
      if (owners[j] == x || !splittable(j)) {
        continue;
      }
      double length = rangeFraction(j);
      collectEffect(j, length);
      double a = 0;
      double b = 0;
      double c = 0;
      for (int s = 0; s < affectedCount; s++) {
        int m = affected[s];
        double pt = primaryTarget[m];
        double rt = replicaTarget[m];
        // X is scored against the share it should have after this token, so each of its tokens
        // takes a fair slice instead of the first ones swallowing whole ranges.
        double pCenter = m == x ? pt * pace : pt;
        double rCenter = m == x ? rt * pace : rt;
        a += slopeP[s] * slopeP[s] / (pt * pt) + slopeR[s] * slopeR[s] / (rt * rt);
        double rBase = replica[m] + constR[s] - rCenter;
        b += slopeP[s] * (primary[m] - pCenter) / (pt * pt) + slopeR[s] * rBase / (rt * rt);
        double rNow = replica[m] - rCenter;
        c += (rBase * rBase - rNow * rNow) / (rt * rt);
      }
      double offset =
          Math.max(length * KEEP, Math.min(Math.min(length * (1 - KEEP), maxTake), -b / a));
      double delta = a * offset * offset + 2 * b * offset + c;
      clearEffect();
      if (delta < bestDelta) {
        bestDelta = delta;
        bestRange = j;
        bestOffset = offset;
      }
    }
    if (bestRange < 0) {
      throw new IllegalStateException("no range left to split: the ring is too dense");
    }
    return insert(bestRange, bestOffset);
  }

  private long insert(int j, double offset) {
    double length = rangeFraction(j);
    collectEffect(j, length);
    for (int s = 0; s < affectedCount; s++) {
      int m = affected[s];
      primary[m] += slopeP[s] * offset;
      replica[m] += constR[s] + slopeR[s] * offset;
    }
    clearEffect();

    long start = tokens[prev(j)];
    long span = size == 1 ? -1L : tokens[j] - start;
    long step = (long) (offset * 0x1.0p63) * 2;
    if (Long.compareUnsigned(step, 1) < 0) {
      step = 1;
    }
    if (Long.compareUnsigned(step, span - 1) > 0) {
      step = span - 1;
    }
    long token = start + step;
    int at = insertionPoint(token);
    System.arraycopy(tokens, at, tokens, at + 1, size - at);
    System.arraycopy(owners, at, owners, at + 1, size - at);
    tokens[at] = token;
    owners[at] = x;
    size++;
    xPresent = true;
    return token;
  }

  /**
   * Fills the scratch arrays with the load change of inserting an X token at offset {@code P}
   * into range {@code j}, as {@code constant + slope * P} per member.
   */
  private void collectEffect(int j, double length) {
    int wantOld = wantBefore();
    int wantNew = Math.min(rf, memberCount);
    int zonesOld = xPresent ? zoneCountWithX : zoneCountWithoutX;

    add(x, 1, 0, 0);
    add(owners[j], -1, 0, 0);

    // The range (a, b] splits into (a, p], which starts with X, and (p, b].
    int c0 = walk(j, ReplicaWalk.NO_INSERT, wantOld, zonesOld, walkA);
    for (int k = 0; k < c0; k++) {
      add(walkA[k], 0, -length, 0);
    }
    int c1 = walkInserted(j, 0, wantNew, walkB);
    for (int k = 0; k < c1; k++) {
      add(walkB[k], 0, 0, 1);
    }
    int c2 = walkInserted(j, size, wantNew, walkB);
    for (int k = 0; k < c2; k++) {
      add(walkB[k], 0, length, -1);
    }

    // Ranges before a whose replica walk now meets X. The affected ranges are contiguous and end
    // at a: a walk that completes before reaching a is unaffected, and so is every walk that
    // starts further back.
    int t = prev(j);
    for (int back = 1; back < size; back++, t = prev(t)) {
      int before = walk(t, ReplicaWalk.NO_INSERT, wantOld, zonesOld, walkA);
      int after = walkInserted(t, back, wantNew, walkB);
      if (ReplicaWalk.sameSet(walkA, before, walkB, after)) {
        break;
      }
      double len = rangeFraction(t);
      for (int k = 0; k < after; k++) {
        if (!ReplicaWalk.contains(walkA, before, walkB[k])) {
          add(walkB[k], 0, len, 0);
        }
      }
      for (int k = 0; k < before; k++) {
        if (!ReplicaWalk.contains(walkB, after, walkA[k])) {
          add(walkA[k], 0, -len, 0);
        }
      }
    }
  }

  private void add(int member, double dP, double cR, double dR) {
    int s = slotOf[member];
    if (s < 0) {
      s = affectedCount++;
      slotOf[member] = s;
      affected[s] = member;
      slopeP[s] = 0;
      constR[s] = 0;
      slopeR[s] = 0;
    }
    slopeP[s] += dP;
    constR[s] += cR;
    slopeR[s] += dR;
  }

  private void clearEffect() {
    for (int s = 0; s < affectedCount; s++) {
      slotOf[affected[s]] = -1;
    }
    affectedCount = 0;
  }

  private int walk(int start, int insertAt, int want, int zones, int[] out) {
    return ReplicaWalk.walk(owners, size, start, insertAt, x, want, zoneOf, zones, out, deferred);
  }

  private int walkInserted(int start, int insertAt, int want, int[] out) {
    return ReplicaWalk.walk(owners, size, start, insertAt, x, want, zoneOf, zoneCountWithX, out,
        deferred);
  }

  private int wantBefore() {
    return Math.min(rf, xPresent ? memberCount : memberCount - 1);
  }

  private boolean splittable(int j) {
    return size == 1 || Long.compareUnsigned(tokens[j] - tokens[prev(j)], 2) >= 0;
  }

  private double rangeFraction(int j) {
    return size == 1 ? 1.0 : Tokens.fraction(tokens[prev(j)], tokens[j]);
  }

  private int prev(int j) {
    return j == 0 ? size - 1 : j - 1;
  }

  private int insertionPoint(long token) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (tokens[mid] < token) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
