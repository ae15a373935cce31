package io.ringcache.node.store;

import com.github.benmanes.caffeine.cache.Ticker;
import io.ringcache.protocol.SetMode;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ObjLongConsumer;

/**
 * The node's share of the cache: a byte-bounded, TTL-aware map from {@link StoreKey} to versioned
 * values, with the merge rules that replication and rebalancing rely on.
 *
 * <p>Two kinds of callers use it. The <b>coordinating owner</b> runs {@code get}, {@code set},
 * {@code compareAndSet}, {@code delete} and {@code increment}: each write is atomic per key,
 * stamps a new version from the node's {@link HybridClock}, and returns in {@link
 * StoreResult#replica()} the exact entry to send to the other owners. <b>Replicas and transfer
 * receivers</b> run {@link #apply}, which merges by version (last writer wins) and never lets an
 * older entry replace a newer one or a tombstone; it says when it kept a newer entry ({@code
 * STALE}, with that entry's version), and the coordinating owner then moves its own write above
 * it with {@link #restamp}.
 *
 * <p>TTLs are in milliseconds: {@link #NO_TTL} ({@code 0}) means no expiry; a negative TTL on a
 * coordinator write is a programming error ({@link IllegalArgumentException}). Deletes leave
 * tombstones for {@link StoreConfig#tombstoneTtl()}; every read treats them as absent.
 *
 * <p>All methods are thread-safe and non-blocking; none throws for an expected outcome (a missing
 * key, a version mismatch, a non-numeric counter); those are {@link StoreStatus} values. Every
 * coordinator write answers {@link StoreStatus#CLOCK_OFFSET}, writing nothing, when the clock
 * cannot issue a version ({@link HybridClock#EXHAUSTED}).
 */
public interface LocalStore {

  /**
   * Heap bytes an entry costs beyond its key and its entry array, as measured by {@code
   * bin/memory-bench} (1,000,000 entries of 12-byte keys: 253.0 bytes of live heap per entry with
   * 100-byte values, 168 of them the key and the entry array; 1,149.0 with 1,000-byte values, 1,064
   * of them the arrays; 85 beyond in both): Caffeine's node with its weight (about 40, since the
   * store keeps no variable expiry), the ConcurrentHashMap node (32), and the entry's share of the
   * hash table and of Caffeine's frequency sketch (about 13), rounded up to 8 bytes.
   */
  int ENTRY_OVERHEAD_BYTES = 88;

  /**
   * What an entry weighs against the store's bound: its key as {@link StoreKey} holds it (32
   * bytes packed up to 16 bytes; else a 16-byte object and the array) and its entry array (the
   * value behind a 16-byte version and deadline; {@link StoredEntry}), each array as a 64-bit JVM
   * lays it out (a 16-byte header, rounded up to 8 bytes), plus {@link #ENTRY_OVERHEAD_BYTES}.
   *
   * @param valueBytes the value's length, or -1 for a tombstone (no value bytes)
   */
  static long weightOf(int keyBytes, int valueBytes) {
    long key = keyBytes <= StoreKey.INLINE_MAX ? 32 : 16 + arrayBytes(keyBytes);
    return key + arrayBytes(StoredEntry.HEADER + Math.max(0, valueBytes)) + ENTRY_OVERHEAD_BYTES;
  }

  private static long arrayBytes(int length) {
    return (16L + length + 7) & ~7L;
  }

  /** TTL meaning "never expires". */
  long NO_TTL = 0L;

  /** A store on the system ticker. */
  static LocalStore create(StoreConfig config, HybridClock clock) {
    return create(config, clock, Ticker.systemTicker());
  }

  /** A store on the given nanosecond ticker (tests inject a fake one so TTL tests never sleep). */
  static LocalStore create(StoreConfig config, HybridClock clock, Ticker ticker) {
    return new CaffeineLocalStore(config, clock, ticker);
  }

  /** The live value and its version, or {@code NOT_FOUND} (absent, expired or tombstone). */
  StoreResult get(StoreKey key);

  /**
   * {@link #get} without a copy of the value, for answering a read: the live value's bytes where
   * the store holds them, or {@code null} when the key is absent, deleted or expired. Counts a hit
   * or a miss as {@link #get} does.
   */
  StoredValue read(StoreKey key);

  /** {@link #get} for each key, in order. Each read is atomic; the batch is not a snapshot. */
  List<StoreResult> getAll(List<StoreKey> keys);

  /**
   * Stores {@code value} under a new version, replacing any TTL with {@code ttlMillis}. The array
   * is stored without a copy: the caller must not modify it afterwards.
   *
   * @return {@code OK} with the new version, {@code EXISTS} with the current version ({@link
   *     SetMode#IF_ABSENT}), or {@code NOT_FOUND} ({@link SetMode#IF_PRESENT})
   */
  StoreResult set(StoreKey key, byte[] value, long ttlMillis, SetMode mode);

  /** TTL argument of a write meaning "keep the entry's remaining TTL" (a new entry gets none). */
  long KEEP_TTL = -1L;

  /**
   * {@link #set(StoreKey, byte[], long, SetMode)} with a TTL that depends on whether the write
   * creates the entry ({@code ttlIfCreated}) or replaces a live one ({@code ttlIfUpdated}, which
   * may be {@link #KEEP_TTL}): a named cache's expire-after-create and expire-after-update.
   */
  StoreResult set(StoreKey key, byte[] value, long ttlIfCreated, long ttlIfUpdated, SetMode mode);

  /**
   * The live value, written again under a new version with TTL {@code ttlMillis} ({@link #NO_TTL}:
   * none): a read that resets expiry (JCache's expire-after-access, memcached's GAT).
   *
   * @return {@code OK} with the new version, the value and the replica to send, or {@code
   *     NOT_FOUND}
   */
  StoreResult touch(StoreKey key, long ttlMillis);

  /**
   * {@link #delete} only while a live value exists at {@code expectedVersion} (any live version
   * when 0); otherwise nothing is written.
   *
   * @return {@code OK} with the tombstone's version and replica, {@code NOT_FOUND}, or {@code
   *     VERSION_MISMATCH} with the current version
   */
  StoreResult deleteIf(StoreKey key, long expectedVersion);

  /**
   * Removes every entry (values and tombstones) whose key {@code inCache} accepts and whose version
   * is below {@code belowVersion}, calling {@code removedValue} with the key and value of each live
   * value removed; returns how many live values were removed.
   */
  long removeBelow(Predicate<StoreKey> inCache, long belowVersion,
      BiConsumer<StoreKey, StoredValue> removedValue);

  /**
   * Calls {@code consumer} with the key and ring position of every live value (no tombstones,
   * nothing expired) whose key {@code keyTest} accepts. Weakly consistent like {@link #forEach}.
   */
  void forEachLiveKey(Predicate<StoreKey> keyTest, ObjLongConsumer<StoreKey> consumer);

  /**
   * Tells {@code listener} about each entry the store finds expired and removes (on a read or in
   * {@link #sweep}); it runs on the removing thread and must be quick. One listener; null for none.
   */
  void expiredListener(BiConsumer<StoreKey, StoredValue> listener);

  /**
   * Stores {@code value} only if the live value's version is {@code expectedVersion}; 0 means
   * only if there is no live value. {@code ttlMillis} may be {@link #KEEP_TTL}.
   *
   * @return {@code OK} with the new version, {@code VERSION_MISMATCH} with the current version, or
   *     {@code NOT_FOUND} when there is no live value
   */
  StoreResult compareAndSet(StoreKey key, long expectedVersion, byte[] value, long ttlMillis);

  /** The live value of {@code key} without counting a hit or a miss, or null. */
  StoredValue peek(StoreKey key);

  /**
   * Replaces the key with a tombstone under a new version, whether or not a live value existed, so
   * that an older write still in flight to this node cannot bring the key back.
   *
   * @return {@code OK} if a live value was removed, {@code NOT_FOUND} otherwise; both with the
   *     tombstone's version and a {@link StoreResult#replica()} to replicate
   */
  StoreResult delete(StoreKey key);

  /**
   * Adds {@code delta} to a decimal ASCII signed 64-bit counter. An absent key starts at 0 and
   * takes {@code ttlMillis}; an existing counter keeps its remaining TTL (memcached semantics).
   *
   * @return {@code OK} with the new version and the new value's bytes, {@code NOT_A_NUMBER} or
   *     {@code OVERFLOW} with the current version and an error naming the value and the limit
   */
  StoreResult increment(StoreKey key, long delta, long ttlMillis);

  /**
   * Merges an entry from another owner (replication or range transfer) by version: the incoming
   * entry replaces the stored one only if its version is higher; on equal versions (two nodes with
   * colliding 12-bit ids) a tombstone beats a value and the lexicographically greater value beats
   * the smaller, so every replica converges whatever the arrival order. Moves the clock past the
   * incoming version, unless that version lies further ahead of this node's wall clock than
   * {@link StoreConfig#maxClockOffset()}: such an entry is refused and the clock left unchanged.
   *
   * @return {@code OK} if stored, {@code DUPLICATE} if the store already held this very entry,
   *     {@code STALE} with the stored entry's version if that entry orders after the incoming one
   *     (higher version, or equal and winning the tie-break), {@code EXPIRED} if the incoming TTL had run out (a newer expired entry also removes an older stored
   *     one), {@code CLOCK_OFFSET} (with an error naming the offset and the limit) if the version
   *     is too far ahead
   */
  StoreResult apply(StoreKey key, ReplicaEntry incoming);

  /**
   * Writes again, under a version above {@code aboveVersion}, the value or tombstone a coordinator
   * write of this node produced ({@code written}, its {@link StoreResult#replica()}): the
   * write-too-old push a coordinating owner makes when a replica kept an entry of version {@code
   * aboveVersion}. The outcome of the original operation is kept (an increment is not counted
   * again, a compare-and-set not checked again); only its version moves. The write replaces an
   * entry another node stamped (it arrived while {@code written} was not yet acknowledged, so
   * ordering the acknowledged write after it is a valid order), but not a later write of this
   * node (told apart by the version's node bits, {@link HybridClock#nodeId(long)}): that one
   * may build on {@code written} (an increment), and replicates itself. The remaining TTL is
   * kept if the store still holds {@code written}, else {@code written}'s TTL starts again.
   *
   * @return {@code OK} with the new version and the new {@link StoreResult#replica()} to send to
   *     every write owner; {@code STALE} with the current version, nothing written, when a later
   *     write of this node replaced {@code written}; or {@code CLOCK_OFFSET} (nothing written,
   *     clock unchanged) when {@code aboveVersion} lies further ahead of this node's wall clock
   *     than {@link StoreConfig#maxClockOffset()} or the clock cannot issue a version
   */
  StoreResult restamp(StoreKey key, ReplicaEntry written, long aboveVersion);

  /**
   * Calls {@code consumer} with every live value and tombstone whose position is in {@code
   * (startExclusive, endInclusive]}, with its remaining TTL. {@code startExclusive >
   * endInclusive} is a range that wraps past {@code Long.MAX_VALUE}; equal bounds mean the whole
   * ring. One full scan per call: for many ranges use {@link #forEach} with one predicate.
   * Weakly consistent: writes racing the scan may or may not be seen.
   */
  void forEachInRange(
      long startExclusive, long endInclusive, BiConsumer<StoreKey, ReplicaEntry> consumer);

  /**
   * Calls {@code consumer} with the key and ring position of every entry (value or tombstone)
   * that has not expired, without copying any value: for scans that only pick keys (a range
   * transfer reads each entry again when it sends it). Weakly consistent like {@link #forEach}.
   */
  void forEachKey(ObjLongConsumer<StoreKey> consumer);

  /** Like {@link #forEachInRange} for every position accepted by {@code positionFilter}. */
  void forEach(LongPredicate positionFilter, BiConsumer<StoreKey, ReplicaEntry> consumer);

  /**
   * The entry held for {@code key} as it would travel to another owner (value or tombstone, with
   * its remaining TTL), or {@code null} when there is none or it expired. Range transfers read
   * each entry this way right before sending it, so they never send a copy older than what the
   * store holds at that moment.
   */
  ReplicaEntry replicaOf(StoreKey key);

  /**
   * Drops every entry (tombstones too) whose position the predicate accepts; returns how many,
   * not counting entries that had expired (those count as expirations). The predicate is asked
   * again under each key's lock before removal.
   */
  long removeIf(LongPredicate positionNotOwned);

  /**
   * The digest of the values and tombstones held at positions {@code first..last} (inclusive, in
   * signed order, {@code first <= last}), expired entries included until the store removes them;
   * or null when the range ends inside a slice ({@link DigestSlices}) whose keys are not indexed:
   * {@link #indexSlices} the slices {@link #unindexedSlices} names, then ask again. Slices the
   * range covers whole cost one read each, whatever they hold. Weakly consistent: writes racing
   * the call may or may not be counted.
   */
  RangeDigest digest(long first, long last);

  /**
   * Slices of {@code first..last} whose keys must be indexed for {@link #digest} ({@code whole}
   * false: only the slices the range's ends cut) or for {@link #versionsIn} ({@code whole} true:
   * every slice) and are not.
   */
  int[] unindexedSlices(long first, long last, boolean whole);

  /**
   * Indexes the keys of {@code slices} (one scan of the store for them all), so that digests
   * that cut them and version lists of them need no scan; returns how many slices were indexed
   * anew. Call it off the event loop. Indexes nobody reads are dropped by {@link
   * #forgetIdleIndexes}.
   */
  int indexSlices(int[] slices);

  /** Drops the slice indexes nobody read in the last {@code idleNanos}; returns how many. */
  int forgetIdleIndexes(long idleNanos);

  /** Number of slices whose keys are indexed. */
  int indexedSlices();

  /**
   * Calls {@code sink} with the key, position, version and kind of every value and tombstone at
   * positions {@code first..last} that has not expired, in no particular order; returns false, and
   * calls nothing, when a slice of the range is not indexed ({@link #unindexedSlices} with {@code
   * whole} true). Weakly consistent.
   */
  boolean versionsIn(long first, long last, VersionSink sink);

  /** Receives {@link #versionsIn}'s entries. */
  @FunctionalInterface
  interface VersionSink {
    void accept(StoreKey key, long position, long version, boolean tombstone);
  }

  /** Estimated number of entries, tombstones included. */
  long size();

  /** A snapshot of sizes and counters. */
  StoreStats stats();

  /**
   * Removes the expired entries among the next {@code maxEntries} of a walk over the whole store
   * (each call goes on where the previous one stopped, and starts over after the last entry),
   * then runs the cache's pending maintenance (eviction), on the calling thread; returns how many
   * expired entries it removed. Requests remove the expired entries they meet; this reclaims the
   * ones nobody reads, so the node calls it periodically, off the event loop, with a budget that
   * walks the whole store every few seconds. {@code Long.MAX_VALUE} walks everything once.
   */
  long sweep(long maxEntries);

  /** Removes every expired entry and runs pending maintenance now, on the calling thread. */
  default void cleanUp() {
    sweep(Long.MAX_VALUE);
  }
}
