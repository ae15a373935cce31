package io.ringcache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.ringcache.protocol.SetMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ObjLongConsumer;

/**
 * {@link LocalStore} over one Caffeine cache.
 *
 * <h2>Design</h2>
 *
 * <p>The cache maps {@link StoreKey} to immutable entry arrays ({@link StoredEntry}: version,
 * deadline and value in one {@code byte[]}). It is bounded by {@code maximumWeight} with a weigher
 * of the heap the key and the entry array take plus the measured {@link #ENTRY_OVERHEAD_BYTES}
 * ({@link LocalStore#weightOf}), so the bound is in heap bytes, not entries.
 *
 * <p>Expiry is ours, not Caffeine's, the way Redis does it: each entry carries its absolute
 * deadline on the store's {@link Ticker}; a read or write that meets an expired entry treats it as
 * absent and removes it (lazy expiry), and {@link #sweep} walks the store in slices and removes
 * the expired entries nobody touches (active expiry). Caffeine's variable expiry keeps every entry
 * in a timer wheel and re-files it on every read and write; measured here it doubled the cost of
 * a {@code getIfPresent} and of a {@code compute} (issue 12, {@code docs/benchmarks.md}), while
 * most entries of a cache have no TTL at all. An expired entry that neither a request nor the
 * sweep has reached yet is never returned, but it still counts toward the byte bound: while the
 * store is full, such entries take room that live entries could have, and Caffeine may evict a
 * live entry instead. The node's sweep therefore keeps going while a slice finds many expired
 * entries (as Redis's active expiry does), and the memory bound holds either way.
 *
 * <p>Range digests ({@link DigestTable}, {@link DigestSlices}) are kept by the same operations:
 * every compute function leaves through {@link #swap}, which moves the entry's slice digest from
 * the array it replaces to the one it stores, inside the map's atomic step; conditional removals
 * (expiry) and Caffeine's eviction listener, which runs inside the eviction, do the same for the
 * array they removed. So a digest never needs a rescan, and the cost on a write is one position
 * hash of the key (no allocation for a packed key) and at most two atomic adds.
 *
 * <p>The class is over the house's ~400 lines because every write is one compute function over
 * the same entry layout; splitting them across classes would spread one invariant (versions
 * ordered per key, expired entries absent) over several files.
 *
 * <p>Every write is one {@code asMap().compute}: the function reads the current entry, decides,
 * stamps the version and builds the result in one step, so conditional writes (if-absent,
 * compare-and-set, increment, version merge) are atomic per key without locks of our own. Reads
 * are a plain {@code getIfPresent}: entries are immutable, so any entry a read sees is whole.
 *
 * <h2>Concurrency</h2>
 *
 * <p>Caffeine runs maintenance (draining its read/write buffers, eviction) on {@code
 * executor(Runnable::run)}, that is on whichever thread finished the operation that triggered it.
 * On a 2-core machine the common pool has parallelism 1 and is shared with the rest of the node;
 * inline maintenance makes every writer pay for its own evictions, which keeps the bound by
 * back-pressure instead of by a background thread keeping up. The cost is an occasional write
 * that pays for a batch of evictions. {@link #sweep} runs on the caller's thread (the node's
 * maintenance thread), one call at a time.
 *
 * <p>Versions come from {@link HybridClock} inside the compute function, so the version order of
 * two writes to one key is their order in the map. The eviction listener runs inside
 * Caffeine's atomic removal and only bumps counters. Counters are {@link LongAdder}s; {@link
 * #stats()} is a consistent-enough snapshot, not an atomic one.
 *
 * <h2>Failure</h2>
 *
 * <p>The weighted size can exceed the bound by the writes in flight between two maintenance runs;
 * {@link #cleanUp()} brings it back under. Under memory pressure a tombstone can be evicted before
 * its TTL like any entry; a transfer of an older version that arrives afterwards would then
 * resurrect the key. The bound wins over that guarantee on purpose: a flood of deletes must not
 * exhaust the heap. An entry larger than the whole bound is accepted and evicted at once.
 */
final class CaffeineLocalStore implements LocalStore {

  private final HybridClock clock;
  private final Ticker ticker;
  private final long maxBytes;
  private final long tombstoneTtlMillis;
  private final long maxClockOffsetMillis;
  private final Cache<StoreKey, byte[]> cache;
  private final ConcurrentMap<StoreKey, byte[]> map;
  private final Policy.Eviction<StoreKey, byte[]> eviction;
  /** Range digests of what {@link #map} holds, kept by every operation that changes it. */
  private final DigestTable digests = new DigestTable();

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder deletes = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder evictedBytes = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private volatile BiConsumer<StoreKey, StoredValue> expiredListener;
  /** Where the next partial {@link #sweep} goes on; guarded by {@code this}. */
  private Iterator<Map.Entry<StoreKey, byte[]>> sweepCursor;

  CaffeineLocalStore(StoreConfig config, HybridClock clock, Ticker ticker) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.maxBytes = config.maxBytes();
    this.tombstoneTtlMillis = config.tombstoneTtl().toMillis();
    this.maxClockOffsetMillis = config.maxClockOffset().toMillis();
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher(CaffeineLocalStore::weigh)
            .executor(Runnable::run)
            .evictionListener(this::onEviction)
            .build();
    this.map = cache.asMap();
    this.eviction = cache.policy().eviction().orElseThrow();
  }

  static int weigh(StoreKey key, byte[] entry) {
    long weight = LocalStore.weightOf(key.length(), StoredEntry.isTombstone(entry) ? -1 : StoredEntry.valueLength(entry));
    return (int) Math.min(Integer.MAX_VALUE, weight);
  }

  @Override
  public StoreResult get(StoreKey key) {
    byte[] entry = cache.getIfPresent(key);
    long remaining = entry == null ? 0 : remainingOrRemove(key, entry);
    if (entry == null || StoredEntry.isTombstone(entry) || remaining == ReplicaEntry.EXPIRED) {
      misses.increment();
      return StoreResult.of(StoreStatus.NOT_FOUND, 0);
    }
    hits.increment();
    return StoreResult.found(StoredEntry.version(entry), StoredEntry.valueCopy(entry), remaining);
  }

  @Override
  public StoredValue read(StoreKey key) {
    byte[] entry = cache.getIfPresent(key);
    long remaining = entry == null ? 0 : remainingOrRemove(key, entry);
    if (entry == null || StoredEntry.isTombstone(entry) || remaining == ReplicaEntry.EXPIRED) {
      misses.increment();
      return null;
    }
    hits.increment();
    return new StoredValue(entry, StoredEntry.HEADER, StoredEntry.valueLength(entry),
        StoredEntry.version(entry), remaining);
  }

  /**
   * The entry's remaining TTL; an expired entry is removed (if it is still the one stored) and
   * counted, and {@link ReplicaEntry#EXPIRED} returned.
   */
  private long remainingOrRemove(StoreKey key, byte[] entry) {
    if (StoredEntry.expireAtNanos(entry) == StoredEntry.NEVER) {
      return ReplicaEntry.NO_TTL;
    }
    long remaining = StoredEntry.remainingMillis(entry, ticker.read());
    if (remaining == ReplicaEntry.EXPIRED && map.remove(key, entry)) {
      // remove(key, entry) removed exactly this array: the digest loses exactly its hash.
      digests.replace(key.position(), entry, null);
      expirations.increment();
      expired(key, entry);
    }
    return remaining;
  }

  /** {@code current}, or null when it expired (counted: compute replaces or drops it). */
  private byte[] unexpired(byte[] current, long now) {
    if (current != null && StoredEntry.expireAtNanos(current) != StoredEntry.NEVER
        && StoredEntry.remainingMillis(current, now) == ReplicaEntry.EXPIRED) {
      expirations.increment();
      return null;
    }
    return current;
  }

  @Override
  public List<StoreResult> getAll(List<StoreKey> keys) {
    List<StoreResult> results = new ArrayList<>(keys.size());
    for (StoreKey key : keys) {
      results.add(get(key));
    }
    return results;
  }

  @Override
  public StoreResult set(StoreKey key, byte[] value, long ttlMillis, SetMode mode) {
    return set(key, value, ttlMillis, ttlMillis, mode);
  }

  @Override
  public StoreResult set(StoreKey key, byte[] value, long ttlIfCreated, long ttlIfUpdated,
      SetMode mode) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(mode, "mode");
    checkTtl(ttlIfCreated);
    checkTtlOrKeep(ttlIfUpdated);
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      boolean live = isLive(current);
      if (mode == SetMode.IF_ABSENT && live) {
        out[0] = StoreResult.of(StoreStatus.EXISTS, StoredEntry.version(current));
        return swap(position, stored, current);
      }
      if (mode == SetMode.IF_PRESENT && !live) {
        out[0] = StoreResult.of(StoreStatus.NOT_FOUND, 0);
        return swap(position, stored, current);
      }
      return swap(position, stored,
          write(current, value, live ? ttlIfUpdated : ttlIfCreated, now, out));
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoreResult touch(StoreKey key, long ttlMillis) {
    checkTtl(ttlMillis);
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      if (!isLive(current)) {
        misses.increment();
        out[0] = StoreResult.of(StoreStatus.NOT_FOUND, 0);
        return swap(position, stored, current);
      }
      hits.increment();
      byte[] next = write(current, StoredEntry.valueCopy(current), ttlMillis, now, out);
      if (out[0].ok()) {
        out[0] = new StoreResult(StoreStatus.OK, out[0].version(), out[0].value(),
            out[0].replica(), null, ttlMillis);
      }
      return swap(position, stored, next);
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoreResult deleteIf(StoreKey key, long expectedVersion) {
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      if (!isLive(current)) {
        out[0] = StoreResult.of(StoreStatus.NOT_FOUND, 0);
        return swap(position, stored, current);
      }
      if (expectedVersion != 0 && StoredEntry.version(current) != expectedVersion) {
        out[0] = StoreResult.of(StoreStatus.VERSION_MISMATCH, StoredEntry.version(current));
        return swap(position, stored, current);
      }
      long version = nextVersion(current);
      if (version == HybridClock.EXHAUSTED) {
        out[0] = exhausted(current);
        return swap(position, stored, current);
      }
      out[0] = new StoreResult(StoreStatus.OK, version, null,
          ReplicaEntry.tombstone(version, tombstoneTtlMillis), null, ReplicaEntry.NO_TTL);
      deletes.increment();
      return swap(position, stored,
          StoredEntry.tombstone(version, deadline(now, tombstoneTtlMillis)));
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoredValue peek(StoreKey key) {
    byte[] entry = map.get(key);
    if (entry == null || StoredEntry.isTombstone(entry)) {
      return null;
    }
    long remaining = StoredEntry.expireAtNanos(entry) == StoredEntry.NEVER ? ReplicaEntry.NO_TTL
        : StoredEntry.remainingMillis(entry, ticker.read());
    return remaining == ReplicaEntry.EXPIRED ? null : valueOf(entry, remaining);
  }

  private static StoredValue valueOf(byte[] entry, long remaining) {
    return new StoredValue(entry, StoredEntry.HEADER, StoredEntry.valueLength(entry),
        StoredEntry.version(entry), remaining);
  }

  @Override
  public long removeBelow(Predicate<StoreKey> inCache, long belowVersion,
      BiConsumer<StoreKey, StoredValue> removedValue) {
    long[] removed = new long[1];
    for (StoreKey key : map.keySet()) {
      if (!inCache.test(key)) {
        continue;
      }
      map.computeIfPresent(key, (k, entry) -> {
        if (StoredEntry.version(entry) >= belowVersion) {
          return entry;
        }
        if (isLive(unexpired(entry, ticker.read()))) {
          removed[0]++;
          deletes.increment();
          removedValue.accept(k, valueOf(entry, ReplicaEntry.NO_TTL));
        }
        return swap(k.position(), entry, null);
      });
    }
    return removed[0];
  }

  @Override
  public void forEachLiveKey(Predicate<StoreKey> keyTest, ObjLongConsumer<StoreKey> consumer) {
    long now = ticker.read();
    for (Map.Entry<StoreKey, byte[]> e : map.entrySet()) {
      byte[] entry = e.getValue();
      StoreKey key = e.getKey();
      if (StoredEntry.isTombstone(entry) || !keyTest.test(key)) {
        continue;
      }
      if (StoredEntry.expireAtNanos(entry) == StoredEntry.NEVER
          || StoredEntry.remainingMillis(entry, now) != ReplicaEntry.EXPIRED) {
        consumer.accept(key, key.position());
      }
    }
  }

  @Override
  public void expiredListener(BiConsumer<StoreKey, StoredValue> listener) {
    this.expiredListener = listener;
  }

  private void expired(StoreKey key, byte[] entry) {
    BiConsumer<StoreKey, StoredValue> l = expiredListener;
    if (l != null && !StoredEntry.isTombstone(entry)) {
      l.accept(key, valueOf(entry, ReplicaEntry.EXPIRED));
    }
  }

  @Override
  public StoreResult compareAndSet(
      StoreKey key, long expectedVersion, byte[] value, long ttlMillis) {
    Objects.requireNonNull(value, "value");
    checkTtlOrKeep(ttlMillis);
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      if (expectedVersion == 0) {
        if (isLive(current)) {
          out[0] = StoreResult.of(StoreStatus.VERSION_MISMATCH, StoredEntry.version(current));
          return swap(position, stored, current);
        }
        return swap(position, stored, write(current, value, ttlMillis, now, out));
      }
      if (!isLive(current)) {
        out[0] = StoreResult.of(StoreStatus.NOT_FOUND, 0);
        return swap(position, stored, current);
      }
      if (StoredEntry.version(current) != expectedVersion) {
        out[0] = StoreResult.of(StoreStatus.VERSION_MISMATCH, StoredEntry.version(current));
        return swap(position, stored, current);
      }
      return swap(position, stored, write(current, value, ttlMillis, now, out));
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoreResult delete(StoreKey key) {
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      boolean live = isLive(current);
      long version = nextVersion(current);
      if (version == HybridClock.EXHAUSTED) {
        out[0] = exhausted(current);
        return swap(position, stored, current);
      }
      ReplicaEntry replica = ReplicaEntry.tombstone(version, tombstoneTtlMillis);
      out[0] = new StoreResult(live ? StoreStatus.OK : StoreStatus.NOT_FOUND, version, null,
          replica, null, ReplicaEntry.NO_TTL);
      if (live) {
        deletes.increment();
      }
      return swap(position, stored,
          StoredEntry.tombstone(version, deadline(now, tombstoneTtlMillis)));
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoreResult increment(StoreKey key, long delta, long ttlMillis) {
    checkTtl(ttlMillis);
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      long base = 0;
      long expireAt = deadline(now, ttlMillis);
      if (isLive(current)) {
        byte[] digits = StoredEntry.valueCopy(current);
        if (!Decimal.isLong(digits)) {
          out[0] = StoreResult.error(StoreStatus.NOT_A_NUMBER, StoredEntry.version(current),
              "value " + Decimal.describe(digits)
                  + " is not a decimal integer in ["
                  + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]");
          return swap(position, stored, current);
        }
        base = Decimal.parse(digits);
        expireAt = StoredEntry.expireAtNanos(current);
      }
      long sum = base + delta;
      if (((base ^ sum) & (delta ^ sum)) < 0) {
        out[0] = StoreResult.error(StoreStatus.OVERFLOW, current == null ? 0 : StoredEntry.version(current),
            String.format("incrementing %d by %d leaves the signed 64-bit range [%d, %d]",
                base, delta, Long.MIN_VALUE, Long.MAX_VALUE));
        return swap(position, stored, current);
      }
      long version = nextVersion(current);
      if (version == HybridClock.EXHAUSTED) {
        out[0] = exhausted(current);
        return swap(position, stored, current);
      }
      byte[] next = StoredEntry.value(Decimal.format(sum), version, expireAt);
      out[0] = StoreResult.written(StoredEntry.toReplica(next, now));
      puts.increment();
      return swap(position, stored, next);
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoreResult apply(StoreKey key, ReplicaEntry incoming) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(incoming, "incoming");
    if (!clock.admit(incoming.version(), maxClockOffsetMillis)) {
      return tooFarAhead(incoming.version(), "the entry was refused");
    }
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      if (current != null && !wins(incoming, current)) {
        out[0] = StoreResult.of(sameEntry(incoming, current) ? StoreStatus.DUPLICATE
            : StoreStatus.STALE, StoredEntry.version(current));
        return swap(position, stored, current);
      }
      if (incoming.expired()) {
        // The newest write already expired: the key is absent, older entries included.
        out[0] = StoreResult.of(StoreStatus.EXPIRED, incoming.version());
        return swap(position, stored, null);
      }
      long expireAt;
      if (incoming.tombstone()) {
        long ttl = incoming.ttlMillis() == ReplicaEntry.NO_TTL
            ? tombstoneTtlMillis
            : Math.min(incoming.ttlMillis(), tombstoneTtlMillis);
        expireAt = deadline(now, ttl);
        if (isLive(current)) {
          deletes.increment();
        }
      } else {
        expireAt = deadline(now, incoming.ttlMillis());
        puts.increment();
      }
      out[0] = StoreResult.of(StoreStatus.OK, incoming.version());
      return swap(position, stored, incoming.tombstone()
          ? StoredEntry.tombstone(incoming.version(), expireAt)
          : StoredEntry.value(incoming.value(), incoming.version(), expireAt));
    });
    digests.written(key, position);
    return out[0];
  }

  @Override
  public StoreResult restamp(StoreKey key, ReplicaEntry written, long aboveVersion) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(written, "written");
    if (!clock.admit(aboveVersion, maxClockOffsetMillis)) {
      return tooFarAhead(aboveVersion, "the write was not re-stamped above it");
    }
    StoreResult[] out = new StoreResult[1];
    long position = key.position();
    map.compute(key, (k, stored) -> {
      long now = ticker.read();
      byte[] current = unexpired(stored, now);
      if (current != null && StoredEntry.version(current) > written.version()
          && HybridClock.nodeId(StoredEntry.version(current)) == clock.nodeId()) {
        // A later write of this node replaced this one here; it replicates (and, if need be,
        // re-stamps) itself, carrying this write's effect where it built on it (an increment).
        out[0] = StoreResult.of(StoreStatus.STALE, StoredEntry.version(current));
        return swap(position, stored, current);
      }
      long version = nextVersion(current);
      if (version == HybridClock.EXHAUSTED) {
        out[0] = exhausted(current);
        return swap(position, stored, current);
      }
      long expireAt;
      if (current != null && StoredEntry.version(current) == written.version()) {
        expireAt = StoredEntry.expireAtNanos(current);
      } else if (written.tombstone()) {
        expireAt = deadline(now, tombstoneTtlMillis);
      } else {
        expireAt = deadline(now, Math.max(0, written.ttlMillis()));
      }
      byte[] next = written.tombstone() ? StoredEntry.tombstone(version, expireAt)
          : StoredEntry.value(written.value(), version, expireAt);
      out[0] = StoreResult.written(StoredEntry.toReplica(next, now));
      return swap(position, stored, next);
    });
    digests.written(key, position);
    return out[0];
  }

  private StoreResult tooFarAhead(long version, String outcome) {
    return StoreResult.error(StoreStatus.CLOCK_OFFSET, version, String.format(
        "version %d is %d ms ahead of this node's clock, limit is %d ms (max-clock-offset);"
            + " %s and the clock left unchanged",
        version, clock.aheadMillis(version), maxClockOffsetMillis, outcome));
  }

  /** Whether {@code incoming} is the entry already stored (a resent replication). */
  private static boolean sameEntry(ReplicaEntry incoming, byte[] current) {
    return incoming.version() == StoredEntry.version(current)
        && incoming.tombstone() == StoredEntry.isTombstone(current)
        && (incoming.tombstone() || StoredEntry.valueEquals(current, incoming.value()));
  }

  /**
   * Total order used by {@link #apply}: higher version first; on a tie a tombstone beats a value
   * and the unsigned-lexicographically greater value beats the smaller, so replicas converge.
   */
  static boolean wins(ReplicaEntry incoming, byte[] current) {
    if (incoming.version() != StoredEntry.version(current)) {
      return incoming.version() > StoredEntry.version(current);
    }
    if (incoming.tombstone() || StoredEntry.isTombstone(current)) {
      return incoming.tombstone() && !StoredEntry.isTombstone(current);
    }
    return StoredEntry.compareWithValue(incoming.value(), current) > 0;
  }

  @Override
  public void forEachInRange(
      long startExclusive, long endInclusive, BiConsumer<StoreKey, ReplicaEntry> consumer) {
    forEach(position -> Ranges.contains(startExclusive, endInclusive, position), consumer);
  }

  @Override
  public void forEach(LongPredicate positionFilter, BiConsumer<StoreKey, ReplicaEntry> consumer) {
    Objects.requireNonNull(positionFilter, "positionFilter");
    Objects.requireNonNull(consumer, "consumer");
    long now = ticker.read();
    for (Map.Entry<StoreKey, byte[]> e : map.entrySet()) {
      StoreKey key = e.getKey();
      byte[] entry = e.getValue();
      if (positionFilter.test(key.position())
          && StoredEntry.remainingMillis(entry, now) != ReplicaEntry.EXPIRED) {
        consumer.accept(key, StoredEntry.toReplica(entry, now));
      }
    }
  }

  @Override
  public void forEachKey(ObjLongConsumer<StoreKey> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    long now = ticker.read();
    for (Map.Entry<StoreKey, byte[]> e : map.entrySet()) {
      byte[] entry = e.getValue();
      if (StoredEntry.expireAtNanos(entry) == StoredEntry.NEVER
          || StoredEntry.remainingMillis(entry, now) != ReplicaEntry.EXPIRED) {
        StoreKey key = e.getKey();
        consumer.accept(key, key.position());
      }
    }
  }

  @Override
  public long removeIf(LongPredicate positionNotOwned) {
    Objects.requireNonNull(positionNotOwned, "positionNotOwned");
    long[] removed = new long[1];
    for (StoreKey key : map.keySet()) {
      // Hashed once per key: StoreKey computes its position on each call.
      long position = key.position();
      if (!positionNotOwned.test(position)) {
        continue;
      }
      // Decide again under the key's lock: a write or transfer that made this node an owner
      // again between the first test and now must survive.
      map.computeIfPresent(key, (k, entry) -> {
        if (positionNotOwned.test(position)) {
          if (unexpired(entry, ticker.read()) != null) {
            removed[0]++;
          }
          return swap(position, entry, null);
        }
        return entry;
      });
    }
    return removed[0];
  }

  @Override
  public ReplicaEntry replicaOf(StoreKey key) {
    byte[] entry = map.get(key);
    if (entry == null) {
      return null;
    }
    long now = ticker.read();
    return StoredEntry.remainingMillis(entry, now) == ReplicaEntry.EXPIRED ? null : StoredEntry.toReplica(entry, now);
  }

  @Override
  public RangeDigest digest(long first, long last) {
    checkRange(first, last);
    return digests.digest(first, last, map, ticker.read());
  }

  @Override
  public int[] unindexedSlices(long first, long last, boolean whole) {
    checkRange(first, last);
    return digests.unindexed(first, last, whole);
  }

  @Override
  public int indexSlices(int[] slices) {
    for (int s : slices) {
      if (s < 0 || s >= DigestSlices.COUNT) {
        throw new IllegalArgumentException(String.format(
            "slice %d is outside 0..%d", s, DigestSlices.COUNT - 1));
      }
    }
    return digests.index(slices, map.keySet(), ticker.read());
  }

  @Override
  public int forgetIdleIndexes(long idleNanos) {
    return digests.forgetIdle(ticker.read() - idleNanos);
  }

  @Override
  public int indexedSlices() {
    return digests.indexedSlices();
  }

  @Override
  public boolean versionsIn(long first, long last, VersionSink sink) {
    checkRange(first, last);
    Objects.requireNonNull(sink, "sink");
    return digests.versions(first, last, map, ticker.read(), sink);
  }

  private static void checkRange(long first, long last) {
    if (first > last) {
      throw new IllegalArgumentException(String.format(
          "range first %d is after last %d; split a range that wraps", first, last));
    }
  }

  @Override
  public long size() {
    return cache.estimatedSize();
  }

  @Override
  public StoreStats stats() {
    return new StoreStats(
        cache.estimatedSize(),
        eviction.weightedSize().orElse(0),
        maxBytes,
        hits.sum(),
        misses.sum(),
        evictions.sum(),
        evictedBytes.sum(),
        expirations.sum(),
        puts.sum(),
        deletes.sum());
  }

  @Override
  public synchronized long sweep(long maxEntries) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be > 0 but was " + maxEntries);
    }
    boolean full = maxEntries == Long.MAX_VALUE;
    // A full sweep starts afresh; a partial one goes on where the last one stopped.
    Iterator<Map.Entry<StoreKey, byte[]>> it = full ? null : sweepCursor;
    if (it == null || !it.hasNext()) {
      it = map.entrySet().iterator();
    }
    long now = ticker.read();
    long seen = 0;
    long removed = 0;
    while (seen < maxEntries && it.hasNext()) {
      Map.Entry<StoreKey, byte[]> e = it.next();
      seen++;
      byte[] entry = e.getValue();
      if (StoredEntry.expireAtNanos(entry) != StoredEntry.NEVER
          && StoredEntry.remainingMillis(entry, now) == ReplicaEntry.EXPIRED
          && map.remove(e.getKey(), entry)) {
        digests.replace(e.getKey().position(), entry, null);
        expirations.increment();
        removed++;
        expired(e.getKey(), entry);
      }
    }
    if (!full) {
      sweepCursor = it.hasNext() ? it : null;
    }
    cache.cleanUp();
    return removed;
  }

  private byte[] write(byte[] current, byte[] value, long ttlArg, long now,
      StoreResult[] out) {
    long ttlMillis = ttlArg;
    if (ttlArg == KEEP_TTL) {
      ttlMillis = isLive(current) && StoredEntry.expireAtNanos(current) != StoredEntry.NEVER
          ? Math.max(1, StoredEntry.remainingMillis(current, now)) : NO_TTL;
    }
    long version = nextVersion(current);
    if (version == HybridClock.EXHAUSTED) {
      out[0] = exhausted(current);
      return current;
    }
    out[0] = StoreResult.written(ReplicaEntry.value(value, version, ttlMillis));
    puts.increment();
    return StoredEntry.value(value, version, deadline(now, ttlMillis));
  }

  private static StoreResult exhausted(byte[] current) {
    return StoreResult.error(StoreStatus.CLOCK_OFFSET, current == null ? 0 : StoredEntry.version(current),
        "this node's hybrid clock cannot issue a version above the last one it issued or"
            + " observed (its 41-bit physical part is used up); nothing was written");
  }

  /**
   * A version above the current entry's, even if it came from a node whose clock runs ahead, or
   * {@link HybridClock#EXHAUSTED}. The stored entry passed {@link #apply}'s offset check or was
   * written here, so it is observed without one: a write must order after what it replaces.
   */
  private long nextVersion(byte[] current) {
    if (current != null) {
      clock.observe(StoredEntry.version(current));
    }
    return clock.next();
  }

  /**
   * Runs inside Caffeine's atomic eviction (any cause: only size evicts here), so the digest
   * loses the entry in the same step as the map.
   */
  private void onEviction(StoreKey key, byte[] entry, RemovalCause cause) {
    if (key != null && entry != null) {
      digests.replace(key.position(), entry, null);
    }
    if (cause == RemovalCause.SIZE) {
      evictions.increment();
      if (key != null && entry != null) {
        evictedBytes.add(weigh(key, entry));
      }
    }
  }

  /**
   * {@code next}, the array a map operation at {@code position} stores in place of {@code stored}
   * (null: removes the key), after moving the digest from one to the other. Called at every exit
   * of every compute function, inside the map's atomic operation.
   */
  private byte[] swap(long position, byte[] stored, byte[] next) {
    digests.replace(position, stored, next);
    return next;
  }

  private static boolean isLive(byte[] entry) {
    return entry != null && !StoredEntry.isTombstone(entry);
  }

  private static void checkTtlOrKeep(long ttlMillis) {
    if (ttlMillis != KEEP_TTL) {
      checkTtl(ttlMillis);
    }
  }

  private static void checkTtl(long ttlMillis) {
    if (ttlMillis < 0) {
      throw new IllegalArgumentException(
          "ttlMillis must be >= 0 (0 = no expiry) but was " + ttlMillis);
    }
  }

  /**
   * Deadline {@code ttlMillis} after {@code nowNanos}, saturating; {@link StoredEntry#NEVER}
   * without TTL.
   */
  private static long deadline(long nowNanos, long ttlMillis) {
    if (ttlMillis == NO_TTL) {
      return StoredEntry.NEVER;
    }
    return saturatedAdd(nowNanos, TimeUnit.MILLISECONDS.toNanos(ttlMillis));
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return sum < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return sum;
  }
}
