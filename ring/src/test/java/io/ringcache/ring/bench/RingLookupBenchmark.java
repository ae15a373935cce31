package io.ringcache.ring.bench;

import io.ringcache.ring.KeyHash;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.ringcache.ring.TokenAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookup and snapshot-build cost of {@link Ring}.
 *
 * <p>{@code replicasByKey} is what a client pays per request (hash plus lookup);
 * {@code replicasByPosition} and {@code keyHash} split it into its two parts, and {@code
 * replicasByBytes} shows how much of the hash is the UTF-8 encoding of a {@code String} key (the
 * wire protocol hands the node bytes). {@code
 * primaryByPosition} and {@code treeMapCeiling} compare the sorted-array binary search with the
 * textbook {@code TreeMap.ceilingEntry} ring at the same tokens. {@code buildSnapshot} is the cost
 * of installing a published topology: a {@code Ring} built from tokens that already exist, without
 * allocation.
 *
 * <p>Keys come from a pre-generated array read in a cycle, so every call hashes and searches a
 * different key; the array (4,096 keys) is larger than a branch predictor can learn but small
 * enough to stay in L2, which is the regime of a hot cache client. Rings are built with the
 * balanced allocator at 64 tokens per member, the default. Run through {@code bin/ring-bench jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RingLookupBenchmark {

  static final int TOKENS = 64;
  static final int REPLICATION = 2;

  /** Keys and their positions, and a cursor that walks them. */
  @State(Scope.Thread)
  public static class Keys {
    private static final int COUNT = 4096;
    private static final int MASK = COUNT - 1;

    final String[] keys = new String[COUNT];
    final byte[][] keyBytes = new byte[COUNT][];
    final long[] positions = new long[COUNT];
    int cursor;

    @Setup(Level.Trial)
    public void generate() {
      SplittableRandom random = new SplittableRandom(42);
      for (int i = 0; i < COUNT; i++) {
        keys[i] = "user:" + random.nextInt(10_000_000) + ":session";
        keyBytes[i] = keys[i].getBytes(StandardCharsets.UTF_8);
        positions[i] = KeyHash.of(keys[i]);
      }
    }

    int next() {
      return cursor++ & MASK;
    }
  }

  /** A balanced ring of {@code members} × 64 tokens and the same tokens in a {@code TreeMap}. */
  @State(Scope.Benchmark)
  public static class RingState {
    @Param({"3", "10", "100"})
    int members;

    Ring ring;
    TreeMap<Long, String> treeRing;

    @Setup(Level.Trial)
    public void build() {
      ring = TokenAllocator.balanced(TOKENS, REPLICATION).build(members(members));
      // The replica table for a factor is built lazily on the first lookup; build it here so
      // measurement sees only steady-state lookups.
      ring.replicas(0L, REPLICATION);
      treeRing = new TreeMap<>();
      for (Map.Entry<Member, long[]> e : ring.tokensByMember().entrySet()) {
        for (long token : e.getValue()) {
          treeRing.put(token, e.getKey().name());
        }
      }
    }
  }

  /** The tokens of a balanced 100-member ring, to rebuild its snapshot from. */
  @State(Scope.Benchmark)
  public static class Snapshot {
    Map<Member, long[]> tokens;

    @Setup(Level.Trial)
    public void build() {
      tokens = TokenAllocator.balanced(TOKENS, REPLICATION).build(members(100)).tokensByMember();
    }
  }

  static List<Member> members(int count) {
    List<Member> result = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      result.add(Member.of(String.format("node-%03d", i)));
    }
    return result;
  }

  @Benchmark
  public List<Member> replicasByKey(RingState state, Keys keys) {
    return state.ring.replicas(keys.keys[keys.next()], REPLICATION);
  }

  @Benchmark
  public List<Member> replicasByBytes(RingState state, Keys keys) {
    return state.ring.replicas(keys.keyBytes[keys.next()], REPLICATION);
  }

  @Benchmark
  public List<Member> replicasByPosition(RingState state, Keys keys) {
    return state.ring.replicas(keys.positions[keys.next()], REPLICATION);
  }

  @Benchmark
  public Member primaryByPosition(RingState state, Keys keys) {
    return state.ring.primary(keys.positions[keys.next()]);
  }

  @Benchmark
  public String treeMapCeiling(RingState state, Keys keys) {
    Map.Entry<Long, String> owner = state.treeRing.ceilingEntry(keys.positions[keys.next()]);
    return owner != null ? owner.getValue() : state.treeRing.firstEntry().getValue();
  }

  @Benchmark
  public long keyHash(Keys keys) {
    return KeyHash.of(keys.keys[keys.next()]);
  }

  @Benchmark
  @Measurement(iterations = 5, time = 2)
  public Ring buildSnapshot(Snapshot snapshot) {
    Ring.Builder builder = Ring.builder();
    snapshot.tokens.forEach(builder::add);
    return builder.build();
  }
}
