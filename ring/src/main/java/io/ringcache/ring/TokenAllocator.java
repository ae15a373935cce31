package io.ringcache.ring;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Chooses the tokens of a member that joins a ring, and who takes over the tokens of a member
 * that leaves. Token positions never move: a join takes ranges from current owners, and a leave
 * ({@link #remove}) gives away only the leaver's own ranges.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li>{@link #balanced(int, int)}: tokens are placed so that ownership stays even, counting
 *       replicas at the cluster's replication factor (see {@link BalancedAllocation}), and a
 *       leaver's ranges are handed, in pieces, to the survivors that keep it even (see
 *       {@link BalancedHandoff}). This is the default: it reaches a tighter balance with 64
 *       tokens than random placement does with 256, and keeps it through leaves.
 *   <li>{@link #random(int)}: ketama-style tokens, {@code KeyHash.of(name + "#" + i)}. Needs no
 *       knowledge of the ring and gives the same tokens in any process, at the price of balance.
 * </ul>
 * A member of weight {@code w} gets {@code max(1, round(tokensPerMember * w))} tokens, and in
 * balanced mode a target share proportional to {@code w}.
 *
 * <p>Balanced allocation depends on join and leave order: the coordinator computes each change
 * once and publishes the tokens; members never recompute each other's tokens. After leaves a
 * member may hold more tokens than {@link #tokenCount}; a join still gets {@link #tokenCount}
 * and its share from the weights, not from token counts.
 */
public final class TokenAllocator {

  /** Tokens per member when none is configured. */
  public static final int DEFAULT_TOKENS = 64;

  private static final int MAX_TOKENS = 4096;

  private final boolean balanced;
  private final int tokensPerMember;
  private final int replicationFactor;

  private TokenAllocator(boolean balanced, int tokensPerMember, int replicationFactor) {
    if (tokensPerMember < 1 || tokensPerMember > MAX_TOKENS) {
      throw new IllegalArgumentException(String.format(
          "tokens per member must be between 1 and %d, was %d", MAX_TOKENS, tokensPerMember));
    }
    Ring.requireFactor(replicationFactor);
    this.balanced = balanced;
    this.tokensPerMember = tokensPerMember;
    this.replicationFactor = replicationFactor;
  }

  /** Balanced placement for rings read at {@code replicationFactor} copies. */
  public static TokenAllocator balanced(int tokensPerMember, int replicationFactor) {
    return new TokenAllocator(true, tokensPerMember, replicationFactor);
  }

  /** Ketama-style {@code hash(name#i)} tokens. */
  public static TokenAllocator random(int tokensPerMember) {
    return new TokenAllocator(false, tokensPerMember, 1);
  }

  public boolean isBalanced() {
    return balanced;
  }

  public int tokensPerMember() {
    return tokensPerMember;
  }

  public int replicationFactor() {
    return replicationFactor;
  }

  /** How many tokens {@code member} gets: its weight times the per-member count, at least one. */
  public int tokenCount(Member member) {
    return (int) Math.max(1, Math.min(MAX_TOKENS, Math.round(tokensPerMember * member.weight())));
  }

  /** Tokens for {@code member} joining {@code ring}; the ring must not already contain it. */
  public long[] allocate(Ring ring, Member member) {
    Objects.requireNonNull(ring, "ring");
    Objects.requireNonNull(member, "member");
    if (ring.contains(member.name())) {
      throw new IllegalArgumentException(
          String.format("member '%s' is already on the ring", member.name()));
    }
    int count = tokenCount(member);
    return balanced
        ? new BalancedAllocation(ring, member, replicationFactor).allocate(count)
        : randomTokens(member.name(), count);
  }

  /** {@code ring} plus {@code member} with freshly allocated tokens. */
  public Ring add(Ring ring, Member member) {
    return ring.with(member, allocate(ring, member));
  }

  /**
   * {@code ring} without {@code name}. Balanced mode hands its ranges to the survivors the
   * allocator's score prefers: each of its tokens stays where it is, owned by a survivor, and a
   * long range may be cut at new tokens inside it so that several survivors share it
   * ({@link BalancedHandoff}). Random mode deletes its tokens, so each range goes to the member
   * clockwise of it (as {@link Ring#without} does, and as a ring of the survivors' hash tokens
   * would have it). Either way only keys the leaver owned change primary, and every survivor
   * keeps all its tokens.
   */
  public Ring remove(Ring ring, String name) {
    return remove(ring, List.of(name));
  }

  /**
   * {@code ring} without all of {@code names} at once: in balanced mode their ranges are handed
   * out together, only to members not in {@code names}. The result depends on the set of names,
   * not their order.
   */
  public Ring remove(Ring ring, Collection<String> names) {
    Objects.requireNonNull(ring, "ring");
    Objects.requireNonNull(names, "names");
    boolean[] leaving = new boolean[ring.size()];
    for (String name : names) {
      leaving[ring.indexOf(name)] = true;
    }
    if (names.isEmpty()) {
      return ring;
    }
    if (!balanced) {
      Ring result = ring;
      for (String name : new TreeSet<>(names)) {
        result = result.without(name);
      }
      return result;
    }
    return new BalancedHandoff(ring, leaving, replicationFactor, tokensPerMember).run();
  }

  /** A ring built by adding {@code members} one at a time, in the given (join) order. */
  public Ring build(Iterable<Member> members) {
    Ring ring = Ring.empty();
    for (Member m : members) {
      ring = add(ring, m);
    }
    return ring;
  }

  static long[] randomTokens(String name, int count) {
    long[] tokens = new long[count];
    for (int i = 0; i < count; i++) {
      tokens[i] = KeyHash.of(name + "#" + i);
    }
    return tokens;
  }

  @Override
  public String toString() {
    return (balanced ? "balanced" : "random") + "(tokens=" + tokensPerMember
        + (balanced ? ", rf=" + replicationFactor : "") + ")";
  }
}
