package io.ringcache.ring;

import java.util.Arrays;

/**
 * Second pass of a balanced leave: after {@link BalancedHandoff}'s greedy has handed out every
 * piece of the leavers' ranges, moves pieces between receivers, and cuts between pieces, while
 * that lowers the most loaded survivor.
 *
 * <h2>Design</h2>
 * The greedy places one piece at a time and never revisits it, so a piece placed early can end
 * on a member that later pieces, or the second copies they shift, push over target; measured at
 * 64 tokens over the 5,145 single leaves at N = 3..100, 26 leaves ended above 1.05 max/mean at
 * RF=2 although no bound forbids 1.05 there. This pass sees the finished ring, in which every
 * range's replica set is known, and repeats one step: take the member with the highest load over
 * target (primary or at the replication factor), and among the moves that can change its load
 * make the one that lowers the score most, where a move is
 * <ul>
 *   <li>giving a piece to another survivor, or
 *   <li>shifting the cut between two pieces of one leaver range, within the range (the piece
 *       lengths stay at least the greedy's smallest piece).
 * </ul>
 * It stops when no move lowers the score or after {@link #MAX_MOVES} moves. Only the owners of
 * pieces and the positions of cuts change, both inside the leavers' ranges, so primary movement
 * stays the leavers' share and survivors keep their tokens.
 *
 * <p>The score is a sum over survivors of {@code (load / target / start)^256}, primary and, when
 * there are more survivors than copies, at the replication factor, where {@code start} is the
 * highest of those ratios before the pass. The high power makes the score a smooth stand-in for
 * the maximum (a member 1% above another weighs 13 times as much), so a move that lowers the top
 * member while lifting another one near it is refused, but lowering the second highest when the
 * highest cannot move still counts; a plain maximum would stall on such plateaus. The score is a
 * sum over members, so a move's change is exact from the few members it touches: the piece's
 * old and new owner and the replica sets of the ranges whose walk reads the piece
 * ({@link ReplicaWalk#reach}), the same ranges the greedy evaluates. Integer powers keep it
 * deterministic across processes, as {@code Math.exp} would not be.
 *
 * <p>Cost: per move, the pieces that touch the top member (a handful) × survivors × a few walks,
 * so a leave at 100 members × 64 tokens stays within a few milliseconds of the greedy alone.
 *
 * <h2>Concurrency</h2>
 * Single-use and single-threaded; works on the arrays it is given, in place.
 */
final class HandoffRefinement {

  /** Moves before the pass stops even if one would still help; measured leaves use far fewer. */
  static final int MAX_MOVES = 200;

  private static final int POWER_SQUARINGS = 8;
  private static final double MIN_GAIN = 1e-12;
  private static final double GOLDEN = 0.6180339887498949;
  private static final int SEARCH_STEPS = 40;

  private final long[] tokens;
  private final int[] owners;
  private final double[] lengths;
  private final boolean[] cuts;
  private final boolean[] handed;
  private final int size;
  private final int memberCount;
  private final boolean[] leaving;
  private final int[] zoneOf;
  private final int zoneCount;
  private final int want;
  private final double[] primaryTarget;
  private final double[] replicaTarget;
  private final boolean scoreReplicas;
  private final double minPiece;

  private final double[] primary;
  private final double[] replica;
  private double scale;

  // Each range's replica set as the ring stands, want slots per token.
  private final int[] sets;
  private final int[] pieces;
  private final int[] setCounts;

  // Scratch: the ranges whose walk reads the pieces of one move (marked with the move's stamp so
  // two pieces' runs count once), and the move's load changes per member slot.
  private int[] ranges = new int[8];
  private int rangeCount;
  private final int[] stamps;
  private int stamp;
  private final int[] walk;
  private final int[] deferred;
  private final int[] slotOf;
  private final int[] affected;
  private final double[] dPrimary;
  private final double[] dReplica;
  private int affectedCount;

  /**
   * @param tokens the ring in order, survivors' tokens and handed-out pieces
   * @param owners owner per token
   * @param lengths length of each token's range
   * @param cuts tokens that were cut inside a leaver's range (a piece that is not its range's last)
   * @param handed tokens inside a leaver's range, whose owner may change
   * @param size valid entries in the arrays
   * @param leaving members that are leaving, who receive nothing
   * @param zoneOf zone per member, or {@code null}
   * @param zoneCount zones among survivors
   * @param want copies per range, capped at the survivors
   * @param primaryTarget each survivor's fair primary share
   * @param replicaTarget each survivor's fair share at {@code want} copies
   * @param scoreReplicas whether the replica shares are scored (more survivors than copies)
   * @param minPiece smallest piece length a cut shift may leave
   */
  HandoffRefinement(long[] tokens, int[] owners, double[] lengths, boolean[] cuts,
      boolean[] handed, int size, boolean[] leaving, int[] zoneOf, int zoneCount, int want,
      double[] primaryTarget, double[] replicaTarget, boolean scoreReplicas, double minPiece) {
    this.tokens = tokens;
    this.owners = owners;
    this.lengths = lengths;
    this.cuts = cuts;
    this.handed = handed;
    this.size = size;
    this.memberCount = leaving.length;
    this.leaving = leaving;
    this.zoneOf = zoneOf;
    this.zoneCount = zoneCount;
    this.want = want;
    this.primaryTarget = primaryTarget;
    this.replicaTarget = replicaTarget;
    this.scoreReplicas = scoreReplicas;
    this.minPiece = minPiece;
    primary = new double[memberCount];
    replica = new double[memberCount];
    sets = new int[size * want];
    setCounts = new int[size];
    stamps = new int[size];
    int count = 0;
    for (int t = 0; t < size; t++) {
      count += handed[t] ? 1 : 0;
    }
    pieces = new int[count];
    for (int t = 0, i = 0; t < size; t++) {
      if (handed[t]) {
        pieces[i++] = t;
      }
    }
    walk = new int[want];
    deferred = new int[memberCount];
    slotOf = new int[memberCount];
    Arrays.fill(slotOf, -1);
    affected = new int[memberCount];
    dPrimary = new double[memberCount];
    dReplica = new double[memberCount];
  }

  /**
   * Improves the owners and cuts in place; ends with the state whose highest ratio was lowest
   * among those it passed through, so never above the greedy's.
   */
  void run() {
    for (int t = 0; t < size; t++) {
      primary[owners[t]] += lengths[t];
      setCounts[t] = walk(t);
      for (int k = 0; k < setCounts[t]; k++) {
        sets[t * want + k] = walk[k];
        replica[walk[k]] += lengths[t];
      }
    }
    int top = topMember();
    if (top < 0) {
      return;
    }
    scale = 1 / ratio(top);
    double best = ratio(top);
    int[] bestOwners = Arrays.copyOf(owners, size);
    long[] bestTokens = Arrays.copyOf(tokens, size);
    double[] bestLengths = Arrays.copyOf(lengths, size);
    boolean atBest = true;
    for (int move = 0; move < MAX_MOVES; move++) {
      if (!moveOnce(top)) {
        break;
      }
      top = topMember();
      atBest = ratio(top) < best;
      if (atBest) {
        best = ratio(top);
        System.arraycopy(owners, 0, bestOwners, 0, size);
        System.arraycopy(tokens, 0, bestTokens, 0, size);
        System.arraycopy(lengths, 0, bestLengths, 0, size);
      }
    }
    if (!atBest) {
      System.arraycopy(bestOwners, 0, owners, 0, size);
      System.arraycopy(bestTokens, 0, tokens, 0, size);
      System.arraycopy(bestLengths, 0, lengths, 0, size);
    }
  }


  /**
   * Makes the move that lowers the score most among those that change {@code top}'s load;
   * {@code false} when none lowers it.
   */
  private boolean moveOnce(int top) {
    double bestGain = MIN_GAIN;
    int bestPiece = -1;
    int bestOther = -1;
    int bestOwner = -1;
    int bestCut = -1;
    double bestShift = 0;
    for (int p : pieces) {
      if (touches(p, top)) {
        int was = owners[p];
        for (int m = 0; m < memberCount; m++) {
          if (leaving[m] || m == was) {
            continue;
          }
          double gain = -changeOwners(p, m, -1, -1);
          if (gain > bestGain) {
            bestGain = gain;
            bestPiece = p;
            bestOwner = m;
            bestOther = -1;
            bestCut = -1;
          }
        }
        for (int q : pieces) {
          if (owners[q] == was) {
            continue;
          }
          double gain = -changeOwners(p, owners[q], q, was);
          if (gain > bestGain) {
            bestGain = gain;
            bestPiece = p;
            bestOwner = owners[q];
            bestOther = q;
            bestCut = -1;
          }
        }
      }
      if (shiftable(p)) {
        collectShift(p);
        if (changes(top)) {
          double lo = -(lengths[p] - Math.min(minPiece, lengths[p]));
          double hi = lengths[p + 1] - Math.min(minPiece, lengths[p + 1]);
          double shift = bestShift(lo, hi);
          double gain = -scoreChange(shift);
          if (gain > bestGain) {
            bestGain = gain;
            bestCut = p;
            bestShift = shift;
            bestPiece = -1;
          }
        }
        clearEffect();
      }
    }
    if (bestPiece >= 0) {
      int was = owners[bestPiece];
      changeOwners(bestPiece, bestOwner, bestOther, was);
      owners[bestPiece] = bestOwner;
      if (bestOther >= 0) {
        owners[bestOther] = was;
      }
      applyEffect(1);
      for (int r = 0; r < rangeCount; r++) {
        int t = ranges[r];
        setCounts[t] = walk(t);
        System.arraycopy(walk, 0, sets, t * want, setCounts[t]);
      }
      return true;
    }
    return bestCut >= 0 && applyShift(bestCut, bestShift);
  }

  /** The survivor with the highest load over target, primary or replica; -1 if none holds any. */
  private int topMember() {
    int top = -1;
    double highest = 0;
    for (int m = 0; m < memberCount; m++) {
      if (!leaving[m] && ratio(m) > highest) {
        highest = ratio(m);
        top = m;
      }
    }
    return top;
  }

  private double ratio(int m) {
    double r = primary[m] / primaryTarget[m];
    return scoreReplicas ? Math.max(r, replica[m] / replicaTarget[m]) : r;
  }

  // ---------------------------------------------------------------- giving pieces to others

  /** Whether {@code member} holds a copy of a range whose walk reads piece {@code p}. */
  private boolean touches(int p, int member) {
    rangeCount = 0;
    stamp++;
    collectRanges(p);
    for (int r = 0; r < rangeCount; r++) {
      if (ReplicaWalk.contains(sets, ranges[r] * want, setCounts[ranges[r]], member)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds to the scratch list the ranges whose replica set can change with the owner of token
   * {@code p}: {@code p} itself and the run of ranges before it whose walk reads it. Changing
   * {@code p}'s owner changes none of the tokens those walks read before {@code p}, so the run is
   * the same after the change; a walk that reads neither of two changed pieces keeps its set.
   */
  private void collectRanges(int p) {
    int t = p;
    for (int distance = 0; distance < size; distance++) {
      if (distance > 0) {
        t = t == 0 ? size - 1 : t - 1;
        if (ReplicaWalk.reach(owners, size, t, want, zoneOf, zoneCount, walk, deferred)
            <= distance) {
          break;
        }
      }
      if (stamps[t] == stamp) {
        continue;
      }
      stamps[t] = stamp;
      if (rangeCount == ranges.length) {
        ranges = Arrays.copyOf(ranges, rangeCount * 2);
      }
      ranges[rangeCount++] = t;
    }
  }

  /**
   * The change of the score if piece {@code p} goes to {@code m} and, unless {@code q} is -1,
   * piece {@code q} to {@code n}; leaves the load changes in the scratch slots and the ranges
   * whose replica sets change in the scratch list.
   */
  private double changeOwners(int p, int m, int q, int n) {
    clearEffect();
    rangeCount = 0;
    stamp++;
    collectRanges(p);
    if (q >= 0) {
      collectRanges(q);
    }
    int wasP = owners[p];
    add(wasP, -lengths[p], 0);
    add(m, lengths[p], 0);
    owners[p] = m;
    int wasQ = -1;
    if (q >= 0) {
      wasQ = owners[q];
      add(wasQ, -lengths[q], 0);
      add(n, lengths[q], 0);
      owners[q] = n;
    }
    for (int r = 0; r < rangeCount; r++) {
      int t = ranges[r];
      int from = t * want;
      int count = setCounts[t];
      int after = walk(t);
      for (int k = 0; k < after; k++) {
        if (!ReplicaWalk.contains(sets, from, count, walk[k])) {
          add(walk[k], 0, lengths[t]);
        }
      }
      for (int k = 0; k < count; k++) {
        if (!ReplicaWalk.contains(walk, 0, after, sets[from + k])) {
          add(sets[from + k], 0, -lengths[t]);
        }
      }
    }
    owners[p] = wasP;
    if (q >= 0) {
      owners[q] = wasQ;
    }
    return scoreChange(1);
  }

  // ---------------------------------------------------------------- shifting a cut

  /**
   * Whether the cut at token {@code p} can move: it ends a piece followed by another piece of the
   * same leaver range, and neither neighbour crosses the end of the token array (a cut that moved
   * across it would break the array's order).
   */
  private boolean shiftable(int p) {
    return handed[p] && cuts[p] && p > 0 && p + 1 < size;
  }

  /**
   * Fills the scratch slots with the load change per unit of shifting the cut at {@code p}
   * clockwise: its piece grows and the next one shrinks, replica sets stay.
   */
  private void collectShift(int p) {
    clearEffect();
    add(owners[p], 1, 0);
    add(owners[p + 1], -1, 0);
    for (int k = 0; k < setCounts[p]; k++) {
      add(sets[p * want + k], 0, 1);
    }
    for (int k = 0; k < setCounts[p + 1]; k++) {
      add(sets[(p + 1) * want + k], 0, -1);
    }
  }

  /** Whether the change in the scratch slots moves {@code member}'s load. */
  private boolean changes(int member) {
    int s = slotOf[member];
    return s >= 0 && (dPrimary[s] != 0 || dReplica[s] != 0);
  }

  /** The shift in {@code [lo, hi]} that minimises the score, which is convex in it. */
  private double bestShift(double lo, double hi) {
    if (hi <= lo) {
      return 0;
    }
    double a = lo;
    double b = hi;
    double x1 = b - GOLDEN * (b - a);
    double x2 = a + GOLDEN * (b - a);
    double f1 = scoreChange(x1);
    double f2 = scoreChange(x2);
    for (int i = 0; i < SEARCH_STEPS; i++) {
      if (f1 <= f2) {
        b = x2;
        x2 = x1;
        f2 = f1;
        x1 = b - GOLDEN * (b - a);
        f1 = scoreChange(x1);
      } else {
        a = x1;
        x1 = x2;
        f1 = f2;
        x2 = a + GOLDEN * (b - a);
        f2 = scoreChange(x2);
      }
    }
    return (a + b) / 2;
  }

  /** Moves the cut at {@code p} by {@code shift}; {@code false} if that leaves it in place. */
  private boolean applyShift(int p, double shift) {
    long moved = Tokens.advance(tokens[p], shift);
    if (moved <= tokens[p - 1] || moved >= tokens[p + 1] || moved == tokens[p]) {
      return false;
    }
    double exact = moved >= tokens[p]
        ? Tokens.fraction(tokens[p], moved)
        : -Tokens.fraction(moved, tokens[p]);
    collectShift(p);
    tokens[p] = moved;
    lengths[p] += exact;
    lengths[p + 1] -= exact;
    applyEffect(exact);
    return true;
  }

  // ---------------------------------------------------------------- score and scratch

  /** The score change if every slot's load changes by {@code factor} times its recorded change. */
  private double scoreChange(double factor) {
    double delta = 0;
    for (int s = 0; s < affectedCount; s++) {
      int m = affected[s];
      double pt = primaryTarget[m];
      delta += power(primary[m] + dPrimary[s] * factor, pt) - power(primary[m], pt);
      if (scoreReplicas) {
        double rt = replicaTarget[m];
        delta += power(replica[m] + dReplica[s] * factor, rt) - power(replica[m], rt);
      }
    }
    return delta;
  }

  private double power(double load, double target) {
    double x = load / target * scale;
    for (int i = 0; i < POWER_SQUARINGS; i++) {
      x *= x;
    }
    return x;
  }

  private void applyEffect(double factor) {
    for (int s = 0; s < affectedCount; s++) {
      primary[affected[s]] += dPrimary[s] * factor;
      replica[affected[s]] += dReplica[s] * factor;
    }
    clearEffect();
  }

  private void add(int member, double p, double r) {
    int s = slotOf[member];
    if (s < 0) {
      s = affectedCount++;
      slotOf[member] = s;
      affected[s] = member;
      dPrimary[s] = 0;
      dReplica[s] = 0;
    }
    dPrimary[s] += p;
    dReplica[s] += r;
  }

  private void clearEffect() {
    for (int s = 0; s < affectedCount; s++) {
      slotOf[affected[s]] = -1;
    }
    affectedCount = 0;
  }

  private int walk(int start) {
    return ReplicaWalk.walk(owners, size, start, ReplicaWalk.NO_INSERT, -1, want, zoneOf,
        zoneCount, walk, deferred);
  }
}
