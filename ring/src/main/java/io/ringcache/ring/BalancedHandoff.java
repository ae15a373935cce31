package io.ringcache.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run of a balanced leave: hands the ranges of the leaving members to surviving members,
 * piece by piece, each piece to the member, and of the length, that lowers the allocator's score
 * most.
 *
 * <h2>Design</h2>
 * Deleting a leaver's tokens gives each of its ranges to the member clockwise of it, so its share
 * lands in lumps on whoever happens to follow it (measured at 100 members × 64 tokens: removing
 * 10 one by one took max/mean from 1.01 to 1.19 primary). Here the leaver's ranges become
 * <em>holes</em> that are handed out: every token of the leaver stays where it is, owned by a
 * survivor, and cuts may be added inside a leaver's range. Every cut lies strictly inside a
 * leaver's range, so a key changes primary only if a leaver owned it: primary movement is exactly
 * the leavers' share, as with deletion; only the receivers differ. Survivors keep every token.
 * At RF=2 more is copied than with deletion, because each piece but a hole's last gives its
 * second copy to a member that did not hold it (see {@link #MIN_PIECE}).
 *
 * <p>The score is {@link BalancedAllocation}'s, over the survivors with targets from their
 * weights, primary ownership plus ownership counting replicas at the replication factor (the
 * replica term is dropped when there are no more survivors than copies: each then holds
 * everything whatever the choice), with one change: a deviation below target counts
 * {@link #UNDER} times one above it. While a hole waits it counts for nobody and replica walks
 * pass over it, so the survivors' loads are those of the final ring minus what is still to hand
 * out, and every step's change of the score is exact for the ring as it stands.
 *
 * <p>Each step takes the open hole with the most at stake (what is left of it, plus the range
 * just before it, whose copy the next piece's owner takes over: a survivor's long range followed
 * by a leaver's token hands its second copy to whoever gets the hole's first piece), and gives its
 * counter-clockwise end to the best survivor: for each survivor the best length in
 * {@code [min piece, rest of the hole]} (the score change is convex in it), then the survivor with
 * the lowest change (ties: the name that sorts first). The piece's effect is evaluated with the
 * replica walk's virtual insertion, as a join's tokens are: the piece's own replica set and the
 * ranges before it whose walk reaches it ({@link ReplicaWalk#reach}). Handing out whole ranges
 * is not enough: balanced joins split ranges unevenly, so one leaver range can be worth more than
 * half a member's share (measured: 0.59 at 53 members × 64), and whoever took it whole would be
 * overloaded. Pieces are at least {@link #MIN_PIECE} survivor fair shares per token, and a cut
 * whose two sides went to the same member is dropped again.
 *
 * <p>What no hand-off can fix: the member that takes over the second copy of a survivor's long
 * range (one that the leaver followed) gains that range at RF=2 whatever else happens, so a leave
 * after such a range can leave RF=2 above 1.05 (docs/benchmarks.md lists how often).
 *
 * <p>The greedy never looks back, so the one member light enough to take such a copy may have
 * been filled first. After the last piece, {@link HandoffRefinement} revisits the receivers on
 * the finished ring; it changes only the owners of pieces and the cuts between pieces of one
 * range, so all of the above holds for its result, and it never ends above the greedy's highest
 * max/mean. The figures on {@link #MIN_PIECE} and {@link #UNDER} are of the greedy alone.
 *
 * <p>Cost: per piece, survivors × a 40-step search × a few affected members, plus one walk per
 * affected range; a leave at 100 members × 64 tokens takes tens of milliseconds. Zones enter
 * through the walk, as for lookups and joins.
 *
 * <p>Size: about 380 lines of code, over the house's 400 with this commentary. Every step reads
 * and updates one run's state (the ring being built, the holes, the loads, the scratch space), so
 * it stays one class, like {@link BalancedAllocation}.
 *
 * <h2>Concurrency</h2>
 * Single-use and single-threaded; the caller's ring is never mutated.
 */
final class BalancedHandoff {

  /**
   * Smallest piece cut from a longer hole, in survivor fair shares per token (the share of a
   * weight-1 member divided by the tokens per member). Smaller pieces balance more finely, and
   * cost tokens and copies: every piece but a hole's last gives its second copy to a member that
   * did not hold it. Measured on 1,068 single leaves at N = 3..100 × 64 tokens (leaves above 1.05
   * max/mean, primary or RF=2; cut tokens added per leave; RF=2 copying over deletion's): 0.25:
   * 23, 58, 1.25×; 0.5: 31, 34, 1.20×; 1.0: 46, 11, 1.10×; 2.0: 209, 3, 1.04×.
   */
  static final double MIN_PIECE = 0.25;

  /**
   * Smallest piece {@link HandoffRefinement}'s cut shifts may leave, in the same unit. A shift
   * moves a cut that exists, so it costs no token and no copy, and a finer one can trim the last
   * piece before a survivor's token (whose owner gains the survivor's range as second copy) more
   * closely. Measured on the single leaves of node-001..node-020 at N = 3..100 (leaves above 1.05
   * at RF=2; those among them that no {@code LeaveBound} explains): 0.25: 85, 9; 0.05: 80, 4;
   * 0.01: 79, 3; 0.0025: 78, 2; 0.00025: 78, 2.
   */
  static final double MIN_SHIFTED_PIECE = 0.0025;

  /**
   * Weight of a deviation below target against one above it. A hand-off only adds load, and
   * max/mean is decided by the most loaded member. With equal weights (the join score) a member
   * that the leave left short, such as the one clockwise of a long leaver range, which loses that
   * range's copies, draws pieces until its primary share is overloaded instead. Measured on the
   * same 1,068 leaves: worst max/mean primary 1.110 and 94 leaves above 1.05 with 1.0; 1.037 and
   * 23 with 0.1.
   */
  static final double UNDER = 0.1;

  private final Ring ring;
  private final int memberCount;
  private final boolean[] leaving;
  private final int[] zoneOf;
  private final int zoneCount;
  private final int want;
  private final double[] primaryTarget;
  private final double[] replicaTarget;
  private final boolean scoreReplicas;
  private final double minPiece;
  private final double minShiftedPiece;
  private final boolean refine;

  // The ring as it stands, in ring order: survivors' tokens and the pieces handed out so far,
  // with owners and the length of each token's range in the result.
  private long[] tokens;
  private int[] owners;
  private double[] lengths;
  private boolean[] cuts;
  private boolean[] handed;
  private int size;

  // The holes: leavers' ranges not handed out yet, as (start, end] where start moves clockwise
  // as pieces are cut from it.
  private final long[] holeStart;
  private final long[] holeEnd;
  private final double[] holeLeft;

  private final double[] primary;
  private final double[] replica;

  // Scratch space: one candidate's load change per member slot, as constant + slope * length,
  // and the ranges before the hole with their replica sets before the hand-out.
  private final int[] slotOf;
  private final int[] affected;
  private int affectedCount;
  private final double[] slopeP;
  private final double[] constR;
  private final double[] slopeR;
  private final int[] walk;
  private final int[] deferred;
  private int[] ranges = new int[4];
  private int[] distances = new int[4];
  private int[][] before = new int[4][];
  private int[] beforeCount = new int[4];
  private int rangeCount;

  BalancedHandoff(Ring ring, boolean[] leaving, int replicationFactor, int tokensPerMember) {
    this(ring, leaving, replicationFactor, tokensPerMember, true);
  }

  /** With {@code refine} false, the greedy alone (tests compare the two). */
  BalancedHandoff(Ring ring, boolean[] leaving, int replicationFactor, int tokensPerMember,
      boolean refine) {
    this.ring = ring;
    this.refine = refine;
    this.memberCount = ring.size();
    this.leaving = leaving;

    double total = 0;
    int survivors = 0;
    for (int i = 0; i < memberCount; i++) {
      if (!leaving[i]) {
        total += ring.members().get(i).weight();
        survivors++;
      }
    }
    want = Math.min(replicationFactor, survivors);
    primaryTarget = new double[memberCount];
    replicaTarget = new double[memberCount];
    for (int i = 0; i < memberCount; i++) {
      if (!leaving[i]) {
        double w = ring.members().get(i).weight();
        primaryTarget[i] = w / total;
        replicaTarget[i] = Math.min(1.0, want * w / total);
      }
    }
    scoreReplicas = survivors > replicationFactor;
    minPiece = MIN_PIECE / (total * tokensPerMember);
    minShiftedPiece = MIN_SHIFTED_PIECE / (total * tokensPerMember);

    int[] ringZones = ring.zoneIndexes();
    int zones = 0;
    if (ringZones != null) {
      boolean[] seen = new boolean[memberCount];
      for (int i = 0; i < memberCount; i++) {
        if (!leaving[i] && !seen[ringZones[i]]) {
          seen[ringZones[i]] = true;
          zones++;
        }
      }
    }
    zoneOf = ringZones;
    zoneCount = zones;

    long[] all = ring.tokenArray();
    int[] allOwners = ring.ownerIndexes();
    int n = all.length;
    tokens = new long[n];
    owners = new int[n];
    lengths = new double[n];
    cuts = new boolean[n];
    handed = new boolean[n];
    List<long[]> holes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long previous = all[i == 0 ? n - 1 : i - 1];
      if (!leaving[allOwners[i]]) {
        tokens[size] = all[i];
        owners[size] = allOwners[i];
        lengths[size] = n == 1 ? 1.0 : Tokens.fraction(previous, all[i]);
        size++;
      } else if (previous != all[i]) {
        // A leaver's empty range (its token equals the one before) simply goes.
        holes.add(new long[] {previous, all[i]});
      }
    }
    holeStart = new long[holes.size()];
    holeEnd = new long[holes.size()];
    holeLeft = new double[holes.size()];
    for (int h = 0; h < holes.size(); h++) {
      holeStart[h] = holes.get(h)[0];
      holeEnd[h] = holes.get(h)[1];
      holeLeft[h] = Tokens.fraction(holeStart[h], holeEnd[h]);
    }

    primary = new double[memberCount];
    replica = new double[memberCount];
    slotOf = new int[memberCount];
    Arrays.fill(slotOf, -1);
    affected = new int[memberCount];
    slopeP = new double[memberCount];
    constR = new double[memberCount];
    slopeR = new double[memberCount];
    walk = new int[Math.max(want, 1)];
    deferred = new int[memberCount];
    for (int t = 0; t < size; t++) {
      primary[owners[t]] += lengths[t];
      int c = walk(t, ReplicaWalk.NO_INSERT, -1, walk);
      for (int k = 0; k < c; k++) {
        replica[walk[k]] += lengths[t];
      }
    }
  }

  /** The ring with every leaver's range owned by survivors; empty when nobody survives. */
  Ring run() {
    if (want == 0) {
      return Ring.empty();
    }
    boolean[] open = new boolean[holeStart.length];
    Arrays.fill(open, true);
    while (true) {
      int next = -1;
      double nextStake = -1;
      for (int h = 0; h < holeStart.length; h++) {
        if (open[h]) {
          double stake = holeLeft[h] + lengthBefore(h);
          if (stake > nextStake) {
            next = h;
            nextStake = stake;
          }
        }
      }
      if (next < 0) {
        break;
      }
      open[next] = handOutPiece(next);
    }
    if (refine) {
      new HandoffRefinement(tokens, owners, lengths, cuts, handed, size, leaving, zoneOf,
          zoneCount, want, primaryTarget, replicaTarget, scoreReplicas, minShiftedPiece).run();
    }
    return build();
  }

  /**
   * Gives away the clockwise end of hole {@code h}, of the length and to the member that lower
   * the score most; {@code true} when some of the hole is left.
   */
  private boolean handOutPiece(int h) {
    double left = holeLeft[h];
    int at = insertionPoint(holeEnd[h]);
    collectRanges(at);
    double lo = Math.min(left, minPiece);
    int best = -1;
    double bestLength = 0;
    double bestDelta = Double.POSITIVE_INFINITY;
    for (int m = 0; m < memberCount; m++) {
      if (leaving[m]) {
        continue;
      }
      collectEffect(at, m);
      double length = bestLength(lo, left);
      double delta = scoreChange(length);
      clearEffect();
      if (delta < bestDelta) {
        bestDelta = delta;
        best = m;
        bestLength = length;
      }
    }

    boolean closes = bestLength >= left;
    long end = holeEnd[h];
    if (!closes) {
      long span = holeEnd[h] - holeStart[h];
      end = holeStart[h] + Math.max(1, Math.min((long) (bestLength * 0x1.0p63) * 2, span - 1));
    }
    bestLength = Tokens.fraction(holeStart[h], end);
    collectEffect(at, best);
    for (int s = 0; s < affectedCount; s++) {
      primary[affected[s]] += slopeP[s] * bestLength;
      replica[affected[s]] += constR[s] + slopeR[s] * bestLength;
    }
    clearEffect();
    insert(insertionPoint(end), end, best, bestLength, !closes);
    if (closes) {
      return false;
    }
    holeStart[h] = end;
    holeLeft[h] = Tokens.fraction(end, holeEnd[h]);
    return true;
  }

  /** Length of the present range that ends where hole {@code h} starts, 0 if none does. */
  private double lengthBefore(int h) {
    int at = insertionPoint(holeEnd[h]);
    int previous = at == 0 ? size - 1 : at - 1;
    return size > 0 && tokens[previous] == holeStart[h] ? lengths[previous] : 0;
  }

  /**
   * The piece length in {@code [lo, left]} that minimises {@link #scoreChange}, which is convex in
   * the length (a sum of convex functions of affine loads), by golden-section search. A piece that
   * would leave a sliver shorter than {@code lo} becomes the whole rest or leaves exactly
   * {@code lo}.
   */
  private double bestLength(double lo, double left) {
    double length = GoldenSection.minimum(this::scoreChange, lo, left);
    if (left - length < lo && length < left) {
      double shorter = left - lo;
      length = shorter >= lo && scoreChange(shorter) < scoreChange(left) ? shorter : left;
    }
    return length;
  }

  /**
   * The change of the score if the member whose effect is in the scratch arrays takes a piece of
   * {@code length}. Over target counts in full, under target {@link #UNDER} times: a hand-off only
   * adds load, and max/mean is decided by the most loaded member.
   */
  private double scoreChange(double length) {
    double delta = 0;
    for (int s = 0; s < affectedCount; s++) {
      int member = affected[s];
      double pt = primaryTarget[member];
      double now = (primary[member] - pt) / pt;
      delta += penalty(now + slopeP[s] * length / pt) - penalty(now);
      if (scoreReplicas) {
        double rt = replicaTarget[member];
        double rNow = (replica[member] - rt) / rt;
        delta += penalty(rNow + (constR[s] + slopeR[s] * length) / rt) - penalty(rNow);
      }
    }
    return delta;
  }

  private static double penalty(double deviation) {
    return deviation > 0 ? deviation * deviation : UNDER * deviation * deviation;
  }

  /**
   * The ranges whose replica set can change when a token goes in before index {@code at}, with
   * their replica sets now: the run of ranges ending just before it whose walk reaches it
   * (possibly all the way round to {@code at} itself).
   */
  private void collectRanges(int at) {
    rangeCount = 0;
    int t = at;
    for (int distance = 1; distance <= size; distance++) {
      t = t == 0 ? size - 1 : t - 1;
      if (ReplicaWalk.reach(owners, size, t, want, zoneOf, zoneCount, walk, deferred)
          <= distance) {
        break;
      }
      if (rangeCount == ranges.length) {
        ranges = Arrays.copyOf(ranges, rangeCount * 2);
        distances = Arrays.copyOf(distances, rangeCount * 2);
        before = Arrays.copyOf(before, rangeCount * 2);
        beforeCount = Arrays.copyOf(beforeCount, rangeCount * 2);
      }
      if (before[rangeCount] == null) {
        before[rangeCount] = new int[walk.length];
      }
      ranges[rangeCount] = t;
      distances[rangeCount] = distance;
      beforeCount[rangeCount] = walk(t, ReplicaWalk.NO_INSERT, -1, before[rangeCount]);
      rangeCount++;
    }
  }

  /**
   * Fills the scratch arrays with the load change of giving {@code m} a piece of length
   * {@code L} just before index {@code at}, as {@code constant + slope * L} per member.
   */
  private void collectEffect(int at, int m) {
    add(m, 1, 0, 0);
    int c = walk(at % size, 0, m, walk);
    for (int k = 0; k < c; k++) {
      add(walk[k], 0, 0, 1);
    }
    for (int r = 0; r < rangeCount; r++) {
      double len = lengths[ranges[r]];
      int after = walk(ranges[r], distances[r], m, walk);
      int[] was = before[r];
      int wasCount = beforeCount[r];
      for (int k = 0; k < after; k++) {
        if (!ReplicaWalk.contains(was, wasCount, walk[k])) {
          add(walk[k], 0, len, 0);
        }
      }
      for (int k = 0; k < wasCount; k++) {
        if (!ReplicaWalk.contains(walk, after, was[k])) {
          add(was[k], 0, -len, 0);
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

  private int walk(int start, int insertAt, int insertOwner, int[] out) {
    return ReplicaWalk.walk(owners, size, start, insertAt, insertOwner, want, zoneOf, zoneCount,
        out, deferred);
  }

  /**
   * Index of the first token not below {@code token}: no present token lies inside a hole, so
   * every position of a hole gives the same index, up to the wrap between the last and first.
   */
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

  private void insert(int at, long token, int owner, double length, boolean cut) {
    if (size == tokens.length) {
      int capacity = Math.max(8, size * 2);
      tokens = Arrays.copyOf(tokens, capacity);
      owners = Arrays.copyOf(owners, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
      cuts = Arrays.copyOf(cuts, capacity);
      handed = Arrays.copyOf(handed, capacity);
    }
    System.arraycopy(tokens, at, tokens, at + 1, size - at);
    System.arraycopy(owners, at, owners, at + 1, size - at);
    System.arraycopy(lengths, at, lengths, at + 1, size - at);
    System.arraycopy(cuts, at, cuts, at + 1, size - at);
    System.arraycopy(handed, at, handed, at + 1, size - at);
    tokens[at] = token;
    owners[at] = owner;
    lengths[at] = length;
    cuts[at] = cut;
    handed[at] = true;
    size++;
  }

  /** A cut followed by a token of the same owner adds nothing to the ring. */
  private boolean redundant(int i) {
    return cuts[i] && owners[(i + 1) % size] == owners[i];
  }

  private Ring build() {
    long[][] byMember = new long[memberCount][];
    int[] counts = new int[memberCount];
    for (int i = 0; i < size; i++) {
      if (redundant(i)) {
        continue;
      }
      counts[owners[i]]++;
    }
    for (int i = 0; i < memberCount; i++) {
      byMember[i] = new long[counts[i]];
      counts[i] = 0;
    }
    for (int i = 0; i < size; i++) {
      if (redundant(i)) {
        continue;
      }
      byMember[owners[i]][counts[owners[i]]++] = tokens[i];
    }
    Ring.Builder b = Ring.builder();
    for (int i = 0; i < memberCount; i++) {
      if (!leaving[i]) {
        b.add(ring.members().get(i), byMember[i]);
      }
    }
    return b.build();
  }
}
