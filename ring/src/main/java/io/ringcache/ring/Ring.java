package io.ringcache.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An immutable consistent-hash ring: members, their tokens, and the replica rule.
 *
 * <h2>Design</h2>
 * Tokens are a sorted {@code long[]} with a parallel {@code int[]} of owner indexes; a key at
 * position {@code p} belongs to the first token {@code >= p}, wrapping to the first token. So a
 * token {@code t} owns the range {@code (previous token, t]}. Lookup is a binary search (tens of
 * nanoseconds at thousands of tokens; a {@code TreeMap} costs about twice that and allocates).
 * Membership changes build a new snapshot ({@link #with}, {@link #without}); readers holding the
 * old snapshot are unaffected.
 *
 * <p>Members are kept sorted by name and tokens by (value, owner name), so the same members and
 * tokens give an equal ring whatever order they were added in. Two members claiming the same token
 * value are kept both; the one whose name sorts first owns the range and the other owns an empty
 * range. Random 64-bit tokens collide with negligible probability and the allocator never creates
 * a collision, but the rule keeps the ring deterministic if one ever happens.
 *
 * <h2>Replicas</h2>
 * {@link #replicas(long, int)} walks clockwise collecting distinct owners, distinct zones first
 * (see {@link ReplicaWalk}). Replica lists per token are computed lazily, once per replication
 * factor up to {@value #CACHED_FACTORS}, so a lookup is a binary search plus an array read and
 * allocates nothing.
 *
 * <h2>Concurrency</h2>
 * Immutable and safe to share. The lazy replica tables are published through an
 * {@link AtomicReferenceArray}; two threads may compute the same table, and either result is
 * correct.
 */
public final class Ring {

  private static final int CACHED_FACTORS = 8;
  private static final Ring EMPTY = new Ring(List.of(), new long[0], new int[0]);

  private final List<Member> members;
  private final Map<String, Integer> indexByName;
  private final long[] tokens;
  private final int[] owners;
  private final int[] zoneOf;
  private final int zoneCount;
  private final AtomicReferenceArray<List<Member>[]> replicaTables =
      new AtomicReferenceArray<>(CACHED_FACTORS + 1);

  private Ring(List<Member> members, long[] tokens, int[] owners) {
    this.members = members;
    this.tokens = tokens;
    this.owners = owners;
    Map<String, Integer> byName = new HashMap<>();
    Map<String, Integer> zones = new HashMap<>();
    boolean zoned = false;
    int[] zoneIndexes = new int[members.size()];
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      byName.put(m.name(), i);
      zoned |= m.hasZone();
      zoneIndexes[i] = zones.computeIfAbsent(m.zone(), z -> zones.size());
    }
    this.indexByName = byName;
    this.zoneOf = zoned ? zoneIndexes : null;
    this.zoneCount = zones.size();
  }

  /** The ring with no members. Lookups on it fail with {@link IllegalStateException}. */
  public static Ring empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- members and tokens

  /** Members sorted by name. */
  public List<Member> members() {
    return members;
  }

  public int size() {
    return members.size();
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  public boolean contains(String name) {
    return indexByName.containsKey(name);
  }

  public Optional<Member> member(String name) {
    Integer i = indexByName.get(name);
    return i == null ? Optional.empty() : Optional.of(members.get(i));
  }

  public int tokenCount() {
    return tokens.length;
  }

  /** The token at {@code index} in ascending order. */
  public long token(int index) {
    return tokens[index];
  }

  /** The owner of the token at {@code index}. */
  public Member ownerOfToken(int index) {
    return members.get(owners[index]);
  }

  /** The exclusive start of the range owned by the token at {@code index}: the previous token. */
  public long rangeStart(int index) {
    return tokens[index == 0 ? tokens.length - 1 : index - 1];
  }

  /** A copy of the sorted tokens of {@code name}. */
  public long[] tokensOf(String name) {
    int m = requireIndex(name);
    return tokensOfIndex(m);
  }

  private long[] tokensOfIndex(int m) {
    int count = 0;
    for (int owner : owners) {
      if (owner == m) {
        count++;
      }
    }
    long[] result = new long[count];
    int j = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (owners[i] == m) {
        result[j++] = tokens[i];
      }
    }
    return result;
  }

  /** Each member and its tokens, members in name order. */
  public Map<Member, long[]> tokensByMember() {
    Map<Member, long[]> result = new LinkedHashMap<>();
    for (int m = 0; m < members.size(); m++) {
      result.put(members.get(m), tokensOfIndex(m));
    }
    return result;
  }

  // ---------------------------------------------------------------- lookups

  /** Index of the token that owns {@code position}: the first token {@code >= position}, wrapping. */
  public int tokenIndex(long position) {
    requireNonEmpty();
    int lo = 0;
    int hi = tokens.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (tokens[mid] < position) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == tokens.length ? 0 : lo;
  }

  public Member primary(long position) {
    return members.get(owners[tokenIndex(position)]);
  }

  public Member primary(byte[] key) {
    return primary(KeyHash.of(key));
  }

  public Member primary(String key) {
    return primary(KeyHash.of(key));
  }

  /**
   * The {@code n} distinct members that hold {@code position}, primary first; all members when
   * there are fewer than {@code n}. Distinct zones are preferred when members have zones.
   */
  public List<Member> replicas(long position, int n) {
    return replicasOfToken(tokenIndex(position), n);
  }

  public List<Member> replicas(byte[] key, int n) {
    return replicas(KeyHash.of(key), n);
  }

  public List<Member> replicas(String key, int n) {
    return replicas(KeyHash.of(key), n);
  }

  /** The replicas of the range owned by the token at {@code index}. */
  public List<Member> replicasOfToken(int index, int n) {
    requireFactor(n);
    requireNonEmpty();
    if (n > CACHED_FACTORS) {
      return computeReplicas(index, n);
    }
    List<Member>[] table = replicaTables.get(n);
    if (table == null) {
      table = computeTable(n);
      replicaTables.set(n, table);
    }
    return table[index];
  }

  /**
   * The fraction of the ring each member holds counting {@code replicationFactor} copies, members
   * in name order. Fractions add up to {@code min(replicationFactor, size())}.
   */
  public Map<String, Double> ownership(int replicationFactor) {
    requireFactor(replicationFactor);
    double[] share = new double[members.size()];
    for (int i = 0; i < tokens.length; i++) {
      double length = rangeFraction(i);
      for (Member m : replicasOfToken(i, replicationFactor)) {
        share[indexByName.get(m.name())] += length;
      }
    }
    Map<String, Double> result = new LinkedHashMap<>();
    for (int m = 0; m < members.size(); m++) {
      result.put(members.get(m).name(), share[m]);
    }
    return result;
  }

  /** The fraction of the whole ring covered by the range of the token at {@code index}. */
  public double rangeFraction(int index) {
    if (tokens.length == 1) {
      return 1.0;
    }
    return Tokens.fraction(rangeStart(index), tokens[index]);
  }

  // ---------------------------------------------------------------- derived rings

  /** This ring plus {@code member} owning {@code memberTokens}. */
  public Ring with(Member member, long... memberTokens) {
    Builder b = toBuilder();
    b.add(member, memberTokens);
    return b.build();
  }

  /** This ring without {@code name}: only its tokens go, every other token stays. */
  public Ring without(String name) {
    requireIndex(name);
    Builder b = new Builder();
    for (Map.Entry<Member, long[]> e : tokensByMember().entrySet()) {
      if (!e.getKey().name().equals(name)) {
        b.add(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    tokensByMember().forEach(b::add);
    return b;
  }

  // ---------------------------------------------------------------- package-private views

  int[] ownerIndexes() {
    return owners;
  }

  long[] tokenArray() {
    return tokens;
  }

  int[] zoneIndexes() {
    return zoneOf;
  }

  int zoneCount() {
    return zoneCount;
  }

  int indexOf(String name) {
    return requireIndex(name);
  }

  // ---------------------------------------------------------------- internals

  @SuppressWarnings("unchecked")
  private List<Member>[] computeTable(int n) {
    List<Member>[] table = new List[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      table[i] = computeReplicas(i, n);
    }
    return table;
  }

  private List<Member> computeReplicas(int index, int n) {
    int want = Math.min(n, members.size());
    int[] out = new int[want];
    int count = ReplicaWalk.walk(owners, tokens.length, index, ReplicaWalk.NO_INSERT, -1, want,
        zoneOf, zoneCount, out, new int[members.size()]);
    Member[] result = new Member[count];
    for (int i = 0; i < count; i++) {
      result[i] = members.get(out[i]);
    }
    return List.of(result);
  }

  private int requireIndex(String name) {
    Integer i = indexByName.get(name);
    if (i == null) {
      throw new IllegalArgumentException(
          String.format("unknown member '%s'; ring members are %s", name, indexByName.keySet()));
    }
    return i;
  }

  private void requireNonEmpty() {
    if (tokens.length == 0) {
      throw new IllegalStateException("the ring has no members");
    }
  }

  static void requireFactor(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1, was " + n);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ring other
        && members.equals(other.members)
        && Arrays.equals(tokens, other.tokens)
        && Arrays.equals(owners, other.owners);
  }

  @Override
  public int hashCode() {
    return Objects.hash(members, Arrays.hashCode(tokens), Arrays.hashCode(owners));
  }

  @Override
  public String toString() {
    return "Ring{members=" + members.size() + ", tokens=" + tokens.length + "}";
  }

  /** Collects members and tokens; {@link #build()} validates and sorts. */
  public static final class Builder {
    private final Map<String, Member> members = new TreeMap<>();
    private final Map<String, long[]> tokens = new HashMap<>();

    private Builder() {}

    /** Adds {@code member} owning {@code memberTokens}; names must be unique, tokens non-empty. */
    public Builder add(Member member, long... memberTokens) {
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(memberTokens, "tokens");
      if (members.containsKey(member.name())) {
        throw new IllegalArgumentException(
            String.format("duplicate member name '%s'", member.name()));
      }
      if (memberTokens.length == 0) {
        throw new IllegalArgumentException(
            String.format("member '%s' must own at least one token", member.name()));
      }
      members.put(member.name(), member);
      tokens.put(member.name(), memberTokens.clone());
      return this;
    }

    public Ring build() {
      if (members.isEmpty()) {
        return EMPTY;
      }
      List<Member> sorted = Collections.unmodifiableList(new ArrayList<>(members.values()));
      int total = 0;
      for (long[] t : tokens.values()) {
        total += t.length;
      }
      // Sort (token, owner) pairs: owners are already in name order, so a stable sort by token
      // value of a list built owner by owner breaks ties by name.
      long[] values = new long[total];
      int[] ownerOf = new int[total];
      int k = 0;
      for (int m = 0; m < sorted.size(); m++) {
        long[] t = tokens.get(sorted.get(m).name()).clone();
        Arrays.sort(t);
        for (long v : t) {
          values[k] = v;
          ownerOf[k] = m;
          k++;
        }
      }
      Integer[] order = new Integer[total];
      for (int i = 0; i < total; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> {
        int c = Long.compare(values[a], values[b]);
        return c != 0 ? c : Integer.compare(ownerOf[a], ownerOf[b]);
      });
      long[] sortedTokens = new long[total];
      int[] sortedOwners = new int[total];
      for (int i = 0; i < total; i++) {
        sortedTokens[i] = values[order[i]];
        sortedOwners[i] = ownerOf[order[i]];
      }
      return new Ring(sorted, sortedTokens, sortedOwners);
    }
  }
}
