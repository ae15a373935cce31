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
 * RF=2 although {@code LeaveBound} (test sources) does not forbid 1.05 there. This pass sees the
 * finished ring, in which every range's replica set is known, and repeats one step on the member
 * with the highest load over target (primary or at the replication factor), the top: among the
 * moves that lower the top's ratio, make the one that lowers the score most, where a move is
 * <ul>
 *   <li>giving a piece to another survivor,
 *   <li>swapping the owners of two pieces, or
 *   <li>shifting the cut between two pieces of one leaver range, within the range (the piece
 *       lengths stay at least {@link BalancedHandoff#MIN_SHIFTED_PIECE}, finer than the greedy
 *       cuts, since a shift adds no token).
 * </ul>
 * While the top is above {@link #DEEP_ABOVE} and no such move exists, two deeper steps follow:
 * an ejection (a piece of the top to {@code y} and a piece of {@code y} to a third member) and a
 * relocation (a piece of the top to {@code y}, then up to {@link #SHED_STEPS} pieces away from
 * {@code y}, undone unless the maximum falls). Both serve the case the greedy gets wrong: the
 * second copy of a survivor's long range before a leaver's token goes to the owner of the piece
 * after it, and the one member light enough to take it was filled with other pieces first.
 *
 * <p>Only the owners of pieces and the positions of cuts change, both inside the leavers' ranges,
 * so primary movement stays the leavers' share and survivors keep their tokens. The pass stops
 * when no step lowers the top, after {@link #MAX_MOVES} steps or after
 * {@link #MAX_EVALUATIONS} evaluated owner changes, and ends in the state with the lowest top
 * ratio it passed through: never above the greedy's.
 *
 * <p>The score is a sum over survivors of {@code (load / target / start)^256}, primary and, when
 * there are more survivors than copies, at the replication factor, where {@code start} is the
 * highest of those ratios before the pass. The high power makes the score a smooth stand-in for
 * the maximum (a member 1% above another weighs 13 times as much), so among the moves that lower
 * the top the one that lifts nobody near it wins. The score is a sum over members, so a move's
 * change is exact from the few members it touches: the piece's old and new owner and the replica
 * sets of the ranges whose walk reads the piece ({@link ReplicaWalk#reach}), the same ranges the
 * greedy evaluates. Integer powers keep it deterministic across processes, as {@code Math.exp}
 * would not be; every loop runs in index order and ties keep the first candidate, so the same
 * ring and leavers give the same result in every process.
 *
 * <p>Cost: a simple step evaluates (pieces that touch the top, a handful) × (survivors + pieces)
 * owner changes of about a microsecond each; the deeper steps up to a hundred times that.
 * docs/benchmarks.md ("Per leave") has the measured time.
 *
 * <p>Size: about 560 lines of code, over the house's 400. The three kinds of step read and
 * update one run's state (owners, replica sets, loads, scratch slots) through
 * {@link #changeOwners}, so they stay one class, as {@link BalancedHandoff} does.
 *
 * <h2>Concurrency</h2>
 * Single-use and single-threaded; works on the arrays it is given, in place.
 */
final class HandoffRefinement {

  /** Steps before the pass stops even if one would still help; measured leaves use far fewer. */
  static final int MAX_MOVES = 200;

  /**
   * Evaluated owner changes before the pass stops, which bounds its time whatever the ring
   * (about a microsecond each at 100 members). Of the 5,145 single leaves at N = 3..100 the
   * most any used was 143,587, the most at N = 100 87,395, so none stopped for it.
   */
  static final int MAX_EVALUATIONS = 200_000;

  /**
   * The ring issue's balance target. Ejections and relocations evaluate up to a hundred times as
   * many owner changes as a simple move, so they are tried only while the top is above it.
   */
  static final double DEEP_ABOVE = 1.05;

  /**
   * Receivers a relocation tries per piece of the top. Of the 5,145 single leaves, 3 left 4
   * above 1.05 at RF=2 with no bound forcing it, 6 left 3.
   */
  static final int RELOCATE_CANDIDATES = 6;
  /** Pieces a relocation may move away from its receiver. */
  static final int SHED_STEPS = 8;

  private static final int POWER_SQUARINGS = 8;
  private static final double MIN_GAIN = 1e-12;
  /** Least a move must lower the top ratio by: below this, rounding can make steps that do not. */
  private static final double MIN_LOWER = 1e-9;

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
  private int evaluations;

  // Relocation: candidate receivers, each member's length of pieces, and the moves to undo.
  private final int[] candidates = new int[RELOCATE_CANDIDATES];
  private final double[] candidateRank = new double[RELOCATE_CANDIDATES];
  private final double[] held;
  private final int[] undoPiece = new int[SHED_STEPS + 1];
  private final int[] undoOwner = new int[SHED_STEPS + 1];

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
    held = new double[memberCount];
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
    for (int move = 0; move < MAX_MOVES && evaluations < MAX_EVALUATIONS; move++) {
      boolean deep = ratio(top) > DEEP_ABOVE;
      if (!moveOnce(top) && !(deep && (ejectOnce(top) || relocateOnce(top)))) {
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
   * Makes the move, swap or cut shift that lowers the score most among those that lower
   * {@code top}'s ratio; {@code false} when there is none.
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
          if (gain > bestGain && lowers(top, 1)) {
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
          if (gain > bestGain && lowers(top, 1)) {
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
          if (gain > bestGain && lowers(top, shift)) {
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
      applyOwners(bestPiece, bestOwner, bestOther, owners[bestPiece]);
      return true;
    }
    return bestCut >= 0 && applyShift(bestCut, bestShift);
  }

  /**
   * When no single move lowers the top: gives a piece of the top to a member {@code y} that it
   * would lift above the top, together with another piece that adds to {@code y}'s load to a
   * third member. A long range before a leaver's token needs a second copy from the owner of the
   * piece after it, and the member that could take it may have been filled with other pieces
   * first. Only members {@code y} that the first half alone would make the highest are tried.
   */
  private boolean ejectOnce(int top) {
    double bestGain = MIN_GAIN;
    int bestPiece = -1;
    int bestOwner = -1;
    int bestOther = -1;
    int bestOtherOwner = -1;
    for (int p : pieces) {
      if (evaluations >= MAX_EVALUATIONS) {
        break;
      }
      if (!touches(p, top)) {
        continue;
      }
      int was = owners[p];
      for (int y = 0; y < memberCount && evaluations < MAX_EVALUATIONS; y++) {
        if (leaving[y] || y == was) {
          continue;
        }
        changeOwners(p, y, -1, -1);
        if (!lowers(top, 1) || !lifts(y, ratio(top))) {
          continue;
        }
        for (int q : pieces) {
          if (q == p || !touches(q, y)) {
            continue;
          }
          for (int z = 0; z < memberCount; z++) {
            if (leaving[z] || z == owners[q]) {
              continue;
            }
            double gain = -changeOwners(p, y, q, z);
            if (gain > bestGain && lowers(top, 1)) {
              bestGain = gain;
              bestPiece = p;
              bestOwner = y;
              bestOther = q;
              bestOtherOwner = z;
            }
          }
        }
      }
    }
    if (bestPiece < 0) {
      return false;
    }
    applyOwners(bestPiece, bestOwner, bestOther, bestOtherOwner);
    return true;
  }

  /**
   * When neither a move nor an ejection lowers the top: gives a piece of the top to a member
   * {@code y}, then moves pieces away from {@code y} one at a time (each the one that lowers the
   * score most while lowering {@code y}) until the highest ratio is below the top's was, or
   * undoes it all. For a long range before a leaver's token the member that could take its second
   * copy may hold several pieces that must go first. Tries the {@link #RELOCATE_CANDIDATES}
   * members that would end lowest if they shed all their pieces.
   */
  private boolean relocateOnce(int top) {
    double level = ratio(top);
    Arrays.fill(held, 0);
    for (int q : pieces) {
      held[owners[q]] += lengths[q];
    }
    for (int p : pieces) {
      if (evaluations >= MAX_EVALUATIONS) {
        return false;
      }
      if (!touches(p, top)) {
        continue;
      }
      int was = owners[p];
      Arrays.fill(candidates, -1);
      for (int y = 0; y < memberCount; y++) {
        if (leaving[y] || y == was) {
          continue;
        }
        changeOwners(p, y, -1, -1);
        if (!lowers(top, 1)) {
          continue;
        }
        double rank = ratioAfter(y) - held[y] / replicaTarget[y];
        for (int c = 0; c < candidates.length; c++) {
          if (candidates[c] < 0 || rank < candidateRank[c]) {
            System.arraycopy(candidates, c, candidates, c + 1, candidates.length - c - 1);
            System.arraycopy(candidateRank, c, candidateRank, c + 1, candidates.length - c - 1);
            candidates[c] = y;
            candidateRank[c] = rank;
            break;
          }
        }
      }
      for (int y : candidates) {
        if (y >= 0 && relocate(p, y, level)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Gives {@code p} to {@code y} and sheds pieces of {@code y}; undone unless the top falls. */
  private boolean relocate(int p, int y, double level) {
    int logged = 0;
    undoPiece[logged] = p;
    undoOwner[logged++] = owners[p];
    applyOwners(p, y, -1, -1);
    for (int step = 0; step < SHED_STEPS && ratio(y) >= level - MIN_LOWER
        && evaluations < MAX_EVALUATIONS; step++) {
      double bestGain = Double.NEGATIVE_INFINITY;
      int bestPiece = -1;
      int bestOwner = -1;
      for (int q : pieces) {
        if (q == p || !touches(q, y)) {
          continue;
        }
        for (int z = 0; z < memberCount; z++) {
          if (leaving[z] || z == owners[q]) {
            continue;
          }
          double gain = -changeOwners(q, z, -1, -1);
          if (gain > bestGain && lowers(y, 1)) {
            bestGain = gain;
            bestPiece = q;
            bestOwner = z;
          }
        }
      }
      if (bestPiece < 0) {
        break;
      }
      undoPiece[logged] = bestPiece;
      undoOwner[logged++] = owners[bestPiece];
      applyOwners(bestPiece, bestOwner, -1, -1);
    }
    if (ratio(topMember()) < level - MIN_LOWER) {
      return true;
    }
    while (logged > 0) {
      logged--;
      applyOwners(undoPiece[logged], undoOwner[logged], -1, -1);
    }
    return false;
  }

  /** {@code member}'s ratio with the change in the scratch slots. */
  private double ratioAfter(int member) {
    int s = slotOf[member];
    double dp = s < 0 ? 0 : dPrimary[s];
    double dr = s < 0 ? 0 : dReplica[s];
    double p = (primary[member] + dp) / primaryTarget[member];
    double r = (replica[member] + dr) / replicaTarget[member];
    return scoreReplicas ? Math.max(p, r) : p;
  }

  /** Whether the change in the scratch slots takes {@code member}'s ratio above {@code level}. */
  private boolean lifts(int member, double level) {
    int s = slotOf[member];
    if (s < 0) {
      return false;
    }
    double p = (primary[member] + dPrimary[s]) / primaryTarget[member];
    double r = (replica[member] + dReplica[s]) / replicaTarget[member];
    return (scoreReplicas ? Math.max(p, r) : p) > level;
  }

  /** Gives piece {@code p} to {@code m} and, unless {@code q} is -1, {@code q} to {@code n}. */
  private void applyOwners(int p, int m, int q, int n) {
    changeOwners(p, m, q, n);
    owners[p] = m;
    if (q >= 0) {
      owners[q] = n;
    }
    applyEffect(1);
    for (int r = 0; r < rangeCount; r++) {
      int t = ranges[r];
      setCounts[t] = walk(t);
      System.arraycopy(walk, 0, sets, t * want, setCounts[t]);
    }
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
    evaluations++;
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

  /**
   * Whether {@code factor} times the change in the scratch slots lowers {@code top}'s ratio: a
   * move that only lowers members below the top can lower the score without lowering the
   * maximum, and a top whose load no move can lower would otherwise use up every move (measured:
   * all 200 at 100 members, lowering the score by rounding errors).
   */
  private boolean lowers(int top, double factor) {
    int s = slotOf[top];
    if (s < 0) {
      return false;
    }
    double p = (primary[top] + dPrimary[s] * factor) / primaryTarget[top];
    double r = (replica[top] + dReplica[s] * factor) / replicaTarget[top];
    return (scoreReplicas ? Math.max(p, r) : p) < ratio(top) - MIN_LOWER;
  }

  /** Whether the change in the scratch slots moves {@code member}'s load. */
  private boolean changes(int member) {
    int s = slotOf[member];
    return s >= 0 && (dPrimary[s] != 0 || dReplica[s] != 0);
  }

  /** The shift in {@code [lo, hi]} that minimises the score, which is convex in it. */
  private double bestShift(double lo, double hi) {
    return hi <= lo ? 0 : GoldenSection.minimum(this::scoreChange, lo, hi);
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
