package io.ringcache.node.store;

import io.ringcache.ring.KeyHash;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock that stamps every write with a {@code long} version.
 *
 * <h2>Design</h2>
 *
 * <p>Versions order writes across the cluster for last-writer-wins: the higher plain {@code long}
 * wins. The layout, most significant bit first:
 *
 * <pre>
 *   | 0 | physical: 41 bits              | logical: 10 bits | node: 12 bits |
 *   63  62                            22   21             12   11          0
 * </pre>
 *
 * <ul>
 *   <li><b>sign</b>: always 0, so versions stay positive and compare as signed longs;
 *   <li><b>physical</b>: milliseconds since {@link #EPOCH_MILLIS} (2024-01-01T00:00:00Z); 41 bits
 *       last until 2093-09; the physical and sign bits together are the "42 bits" of the classic
 *       layout with the top one reserved;
 *   <li><b>logical</b>: up to 1,024 versions per millisecond; when it overflows the carry moves
 *       into the physical part, so the clock runs ahead of wall time until wall time catches up;
 *   <li><b>node</b>: a tie-break derived from the stable node name ({@link #nodeIdOf}), so two
 *       nodes writing in the same millisecond with the same counter still produce different
 *       versions (unless their names collide in 12 bits, see Failure).
 * </ul>
 *
 * <p>The physical and logical parts together form a 51-bit "time" that this class keeps in one
 * {@link AtomicLong}: {@code next()} sets it to {@code max(last + 1, now << 10)}; {@code
 * observe(v)} sets it to {@code max(last, time(v))}. Incrementing the packed value is what carries a logical
 * overflow into the physical part. This is the HLC of Kulkarni et al., "Logical Physical Clocks and
 * Consistent Snapshots in Globally Distributed Databases" (OPODIS 2014), packed into one word.
 *
 * <h2>Concurrency</h2>
 *
 * <p>Lock-free: both operations are one {@code updateAndGet} on an {@link AtomicLong}. The time
 * source is read once per call, outside the update function, so a retried update never reads it
 * twice.
 *
 * <h2>Failure</h2>
 *
 * <p>A wall clock that steps backwards does not make versions go backwards: the packed time only
 * grows, and the logical counter carries the clock until wall time passes the last value. A remote
 * node whose clock runs ahead drags this clock forward through {@code observe}; versions stay
 * ordered, but the physical part is then no longer this node's wall time. Two node names whose
 * 12-bit ids collide can produce equal versions for different writes; the store breaks such ties
 * deterministically (see {@link LocalStore#apply}) so replicas still converge.
 *
 * <p>Nothing here throws on the request path. A version far in the future (a buggy or hostile
 * sender, a peer whose wall clock is wrong) would drag the clock with it, and one near the end of
 * the layout would leave no version to issue: callers that take versions from other nodes use
 * {@link #admit}, which refuses a version further ahead of this node's wall clock than a maximum
 * offset (CockroachDB's {@code --max-offset}) and leaves the clock unchanged. When the clock
 * cannot issue a version anyway (wall time past 2093-09, or a version observed without that
 * check), {@link #next()} returns {@link #EXHAUSTED} and the caller refuses the write.
 */
public final class HybridClock {

  /** 2024-01-01T00:00:00Z in Unix milliseconds: physical time counts from here. */
  public static final long EPOCH_MILLIS = 1_704_067_200_000L;

  /** What {@link #next()} returns when no version above the last one fits the layout. */
  public static final long EXHAUSTED = -1L;

  static final int NODE_BITS = 12;
  static final int LOGICAL_BITS = 10;
  static final int PHYSICAL_BITS = 41;
  static final long NODE_MASK = (1L << NODE_BITS) - 1;
  static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;
  static final long MAX_PHYSICAL = (1L << PHYSICAL_BITS) - 1;
  /** Largest packed physical+logical time that still leaves the sign bit clear. */
  private static final long MAX_TIME = (1L << (PHYSICAL_BITS + LOGICAL_BITS)) - 1;

  private final int nodeId;
  private final LongSupplier epochMillis;
  /** Packed {@code physical << 10 | logical} of the highest version issued or observed. */
  private final AtomicLong last = new AtomicLong();

  private HybridClock(int nodeId, LongSupplier epochMillis) {
    if (nodeId < 0 || nodeId > NODE_MASK) {
      throw new IllegalArgumentException(
          String.format("nodeId must be in [0, %d] but was %d", NODE_MASK, nodeId));
    }
    if (epochMillis == null) {
      throw new NullPointerException("epochMillis");
    }
    this.nodeId = nodeId;
    this.epochMillis = epochMillis;
  }

  /** A clock on the system wall clock, with the tie-break derived from the stable node name. */
  public static HybridClock forNode(String nodeName) {
    return forNode(nodeName, System::currentTimeMillis);
  }

  /** A clock on the given Unix-millisecond time source (tests inject a fake one). */
  public static HybridClock forNode(String nodeName, LongSupplier epochMillis) {
    return withNodeId(nodeIdOf(nodeName), epochMillis);
  }

  /** A clock with an explicit 12-bit tie-break, for deployments that assign ids themselves. */
  public static HybridClock withNodeId(int nodeId, LongSupplier epochMillis) {
    return new HybridClock(nodeId, epochMillis);
  }

  /**
   * The 12-bit tie-break for a node name: the low bits of its ring hash, identical in every process
   * and release because {@link KeyHash} is.
   */
  public static int nodeIdOf(String nodeName) {
    if (nodeName == null || nodeName.isEmpty()) {
      throw new IllegalArgumentException("nodeName must be a non-empty stable name but was '"
          + nodeName + "'");
    }
    return (int) (KeyHash.of(nodeName) & NODE_MASK);
  }

  /**
   * A version for a local write, higher than every version issued or observed before; or {@link
   * #EXHAUSTED} when none fits the layout any more. Never throws.
   */
  public long next() {
    long now = nowTime();
    // Capped one past MAX_TIME, so an exhausted clock stays exhausted without overflowing.
    long time = last.updateAndGet(prev -> Math.min(Math.max(prev + 1, now), MAX_TIME + 1));
    if (time > MAX_TIME) {
      return EXHAUSTED;
    }
    return (time << NODE_BITS) | nodeId;
  }

  /**
   * Moves this clock past a version, unconditionally: the next local write orders after it. For
   * versions this node already holds; a version received from another node goes through
   * {@link #admit}. A negative version (none is ever issued) is ignored.
   */
  public void observe(long version) {
    if (version < 0) {
      return;
    }
    last.accumulateAndGet(version >>> NODE_BITS, Math::max);
  }

  /**
   * Observes a version received from another node if it is at most {@code maxOffsetMillis} ahead
   * of this node's wall clock; otherwise (or if it is negative) leaves the clock unchanged.
   *
   * @return whether the version was admitted (and observed)
   */
  public boolean admit(long remoteVersion, long maxOffsetMillis) {
    if (remoteVersion < 0 || aheadMillis(remoteVersion) > maxOffsetMillis) {
      return false;
    }
    observe(remoteVersion);
    return true;
  }

  /**
   * How many milliseconds a version's physical part lies ahead of this node's wall clock (negative
   * when behind). Measured against the wall clock, not against this clock, which remote versions
   * may already have dragged ahead.
   */
  public long aheadMillis(long version) {
    return physicalMillis(version) - epochMillis.getAsLong();
  }

  /** This clock's 12-bit tie-break. */
  public int nodeId() {
    return nodeId;
  }

  /** Unix milliseconds of a version's physical part. */
  public static long physicalMillis(long version) {
    return (version >>> (NODE_BITS + LOGICAL_BITS)) + EPOCH_MILLIS;
  }

  /** A version's logical counter. */
  public static int logical(long version) {
    return (int) ((version >>> NODE_BITS) & LOGICAL_MASK);
  }

  /** A version's node tie-break. */
  public static int nodeId(long version) {
    return (int) (version & NODE_MASK);
  }

  private long nowTime() {
    long physical = Math.max(0, epochMillis.getAsLong() - EPOCH_MILLIS);
    return Math.min(physical, MAX_PHYSICAL + 1) << LOGICAL_BITS;
  }
}
