package io.ringcache.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The ranges whose replica list changes between two rings at a replication factor: the
 * rebalancer's plan.
 *
 * <h2>Design</h2>
 * Every token of either ring is a boundary. Between two consecutive boundaries no token of
 * either ring lies inside, so the whole segment {@code (previous boundary, boundary]} has one
 * replica list in the old ring and one in the new ring: the lists of the first token at or after
 * the boundary in each. The diff compares the lists segment by segment (primary first, order
 * significant: a change of primary alone is a change) and merges neighbouring segments with
 * the same old and new lists. The result is exact: a position is inside some change if and only
 * if its replica list differs between the rings. {@code RingDiffTest} checks that over sampled
 * keys.
 *
 * <p>Cost: {@code O((T_old + T_new) log)} for the merge plus one cached replica lookup per
 * segment.
 */
public final class RingDiff {

  private final int replicationFactor;
  private final List<Change> changes;

  private RingDiff(int replicationFactor, List<Change> changes) {
    this.replicationFactor = replicationFactor;
    this.changes = changes;
  }

  /** The plan to go from {@code before} to {@code after} with {@code replicationFactor} copies. */
  public static RingDiff between(Ring before, Ring after, int replicationFactor) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    Ring.requireFactor(replicationFactor);
    long[] bounds = boundaries(before, after);
    if (bounds.length == 0) {
      return new RingDiff(replicationFactor, List.of());
    }
    List<Change> result = new ArrayList<>();
    Change open = null;
    for (int i = 0; i < bounds.length; i++) {
      long end = bounds[i];
      long start = bounds[i == 0 ? bounds.length - 1 : i - 1];
      List<Member> from = before.isEmpty()
          ? List.of() : before.replicasOfToken(before.tokenIndex(end), replicationFactor);
      List<Member> to = after.isEmpty()
          ? List.of() : after.replicasOfToken(after.tokenIndex(end), replicationFactor);
      if (from.equals(to)) {
        open = null;
        continue;
      }
      if (open != null && open.sources.equals(from) && open.targets.equals(to)) {
        open = new Change(open.start, end, from, to);
        result.set(result.size() - 1, open);
      } else {
        open = new Change(start, end, from, to);
        result.add(open);
      }
    }
    return new RingDiff(replicationFactor, Collections.unmodifiableList(result));
  }

  private static long[] boundaries(Ring before, Ring after) {
    long[] all = new long[before.tokenCount() + after.tokenCount()];
    System.arraycopy(before.tokenArray(), 0, all, 0, before.tokenCount());
    System.arraycopy(after.tokenArray(), 0, all, before.tokenCount(), after.tokenCount());
    Arrays.sort(all);
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[i - 1]) {
        all[distinct++] = all[i];
      }
    }
    return Arrays.copyOf(all, distinct);
  }

  public int replicationFactor() {
    return replicationFactor;
  }

  /** The changed ranges in token order. */
  public List<Change> changes() {
    return changes;
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** The change covering {@code position}, or {@code null} when its replicas did not change. */
  public Change changeAt(long position) {
    for (Change c : changes) {
      if (c.contains(position)) {
        return c;
      }
    }
    return null;
  }

  /** The fraction of the ring whose replica list changes. */
  public double changedFraction() {
    double sum = 0;
    for (Change c : changes) {
      sum += c.fraction();
    }
    return sum;
  }

  /**
   * The fraction of the ring's data that must be copied: for each change, its size times the
   * number of new owners that did not hold it before.
   */
  public double copiedFraction() {
    double sum = 0;
    for (Change c : changes) {
      sum += c.fraction() * c.gained().size();
    }
    return sum;
  }

  @Override
  public String toString() {
    return "RingDiff{rf=" + replicationFactor + ", changes=" + changes.size()
        + ", changedFraction=" + changedFraction() + "}";
  }

  /**
   * One range {@code (start, end]} (wrapping when {@code start >= end}; the whole ring when they
   * are equal) whose replicas change from {@code sources} to {@code targets}, primary first.
   */
  public record Change(long start, long end, List<Member> sources, List<Member> targets) {

    public Change {
      sources = List.copyOf(sources);
      targets = List.copyOf(targets);
    }

    public boolean contains(long position) {
      if (start < end) {
        return position > start && position <= end;
      }
      if (start == end) {
        return true;
      }
      return position > start || position <= end;
    }

    /** Fraction of the whole ring this range covers. */
    public double fraction() {
      return start == end ? 1.0 : Tokens.fraction(start, end);
    }

    /** Members that own the range after the change but did not before: they receive data. */
    public List<Member> gained() {
      return minus(targets, sources);
    }

    /** Members that owned the range before but not after: they may drop it once stable. */
    public List<Member> lost() {
      return minus(sources, targets);
    }

    private static List<Member> minus(List<Member> a, List<Member> b) {
      List<Member> result = new ArrayList<>();
      for (Member m : a) {
        if (b.stream().noneMatch(o -> o.name().equals(m.name()))) {
          result.add(m);
        }
      }
      return result;
    }
  }
}
