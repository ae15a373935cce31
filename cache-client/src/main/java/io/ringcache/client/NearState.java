package io.ringcache.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state of one near cache, shared by its typed views: the entries, the subscription that
 * invalidates them, what it admits, and the counters. {@link CacheClient#nearCache} admits every
 * key read through it; the near caches of {@link CacheClient.Builder#hotKeyNearCache} only hot
 * ones ({@link HotNearCaches}).
 *
 * <h2>Design</h2>
 * An entry remembers its bytes, its version, when the read that fetched it started (on this
 * client's monotonic clock) and which node owned the key then. It is served only while (1) its
 * lease, counted from that start, has not run out, and (2) the owner's event stream is complete
 * since that start ({@link Subscriptions#completeSince}: spoken since, no gap since, not silent
 * now). (1) bounds staleness whatever happens to events: the value was current at some moment
 * after the read started, so serving it up to a lease later is at most a lease stale. (2) makes
 * the usual staleness the event delay, not the lease: a write after the read sends its event
 * before any later heartbeat, so a stream that has spoken and shown no gap has delivered it.
 *
 * <p>Events drop entries whose version they pass. A gap, a lost connection, MISSED or a
 * topology change drop them all: the client cannot say which events it lost. This client's own
 * writes drop its copy before they are sent and leave a floor (the write's version, or "any" for
 * a removal) that keeps an older value, read concurrently, from filling in after them, until the
 * floor's lease runs out. A fill is refused, too, when the subscription already delivered an
 * event that passed its version ({@link Subscriptions.Sub#passed}): the invalidation came first
 * (a replica answered before it applied the write, or the event overtook the answer on another
 * connection), and without the check the old value would be served until its lease ran out.
 *
 * <h2>Refresh-ahead</h2>
 * An entry served in the second half of its lease is queued, and every quarter lease the queued
 * keys are read again, in batches the client splits per owner, and kept through {@link #fill}
 * like any read. A copy of the same version from the same owner keeps the old copy's vouching
 * point, so the refresh does not leave the key unvouched until the next heartbeat. A key read
 * steadily thus stays near, at one batched read per owner per quarter lease instead of a miss
 * per key per lease; a key not read in the second half of its lease runs out as before.
 *
 * <h2>Admitting hot keys only</h2>
 * A key is admitted while the cluster marks it hot ({@link HotKeyWatch}) or while it is in
 * {@code admitted}: the first read served from each copy puts it there for two leases. Reads
 * served here no longer reach the nodes, so a key this client keeps near cools down in the
 * nodes' sketches; without the second rule it would leave at its next refill, its reads would go
 * back to the cluster until it was hot again, and round again. A key nobody reads from its copy
 * leaves two leases after the last such read; its copy, at the end of its lease. Floors are left
 * only for admitted keys, so writes of other keys take no room.
 *
 * <h2>Concurrency</h2>
 * Entries are a Caffeine cache (bounded, entries expiring with the lease); per-key decisions are
 * {@code compute} calls on its map. Events arrive on client I/O threads; reads and writes on any.
 */
final class NearState {

  /** A near-cached value, or a floor (value null) left by this client's own write. */
  static final class Entry {
    private final byte[] value;
    private final long version;
    private final long readStartNanos;
    /** Since when the owner's stream must be complete for it to be served (see {@link #fill}). */
    private final long vouchFromNanos;
    private final HostPort owner;
    /** Whether a read was served from it (the first one renews a hot key's admission). */
    private volatile boolean served;
    /** Whether a refresh-ahead read of it is queued or in flight. */
    private final AtomicBoolean refreshQueued = new AtomicBoolean();

    Entry(byte[] value, long version, long readStartNanos, long vouchFromNanos,
        HostPort owner) {
      this.value = value;
      this.version = version;
      this.readStartNanos = readStartNanos;
      this.vouchFromNanos = vouchFromNanos;
      this.owner = owner;
    }

    byte[] value() {
      return value;
    }

    long version() {
      return version;
    }

    long readStartNanos() {
      return readStartNanos;
    }

    long vouchFromNanos() {
      return vouchFromNanos;
    }

    HostPort owner() {
      return owner;
    }
  }

  /** Most keys one refresh-ahead batch reads; a tick sends up to {@link #REFRESH_BATCHES}. */
  static final int REFRESH_BATCH = 256;
  static final int REFRESH_BATCHES = 16;

  /** Heartbeats come every 100 ms; a stream silent for three of them is not vouched for. */
  static final long MAX_SILENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
  static final long FLOOR_ANY = Long.MAX_VALUE;

  final String cacheName;
  final Router router;
  final NearCacheSettings settings;
  final long leaseNanos;
  final Cache<String, Entry> entries;
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder unvouched = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  final LongAdder flushes = new LongAdder();
  /** Keys admitted without being hot now (hot-keys-only near caches; null for the others). */
  private final Cache<String, Boolean> admitted;
  /** The subscription once every owner confirmed it; nothing is kept before. */
  private volatile Subscriptions.Sub sub;
  private final CompletionStage<Subscription> subscription;
  private final Runnable stopFlushing;
  /** Keys served in the second half of their lease, to read again (null: refresh-ahead off). */
  private final Queue<String> refreshQueue;
  private final AtomicInteger refreshQueued = new AtomicInteger();
  private final NamedCacheOps<byte[]> refresher;
  private final long refreshTimer;

  /**
   * Subscribes to {@code cacheName}'s events at once. With {@code hotKeysOnly}, only keys the
   * cluster marks hot are admitted (see above); otherwise every key read through it.
   */
  NearState(Router router, String cacheName, NearCacheSettings settings, boolean hotKeysOnly) {
    this.router = router;
    this.cacheName = cacheName;
    this.settings = settings;
    this.leaseNanos = settings.lease().toNanos();
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .expireAfterWrite(settings.lease())
        .executor(Runnable::run);
    if (settings.maxBytes() > 0) {
      b.maximumWeight(settings.maxBytes()).<String, Entry>weigher((k, e) ->
          (int) Math.min(Integer.MAX_VALUE, 64L + 2L * k.length()
              + (e.value() == null ? 0 : e.value().length)));
    } else {
      b.maximumSize(settings.maxEntries());
    }
    this.entries = b.build();
    this.admitted = !hotKeysOnly ? null : Caffeine.newBuilder()
        .expireAfterWrite(settings.lease().multipliedBy(2))
        .maximumSize(settings.maxEntries())
        .executor(Runnable::run)
        .<String, Boolean>build();
    if (settings.refreshAhead()) {
      this.refreshQueue = new ConcurrentLinkedQueue<>();
      this.refresher = new NamedCacheOps<>(router, ValueCodec.bytes(), cacheName, false);
      this.refreshTimer = router.every(Math.max(1, settings.lease().toMillis() / 4),
          this::refreshDue);
    } else {
      this.refreshQueue = null;
      this.refresher = null;
      this.refreshTimer = -1;
    }
    this.stopFlushing = router.subscriptions.onTopologyChange(this::flush);
    this.subscription = router.subscriptions.subscribe(cacheName, new EntryListener<>() {
      @Override
      public void onEvent(EntryEvent<byte[]> event) {
        invalidate(event.key(), event.version(), event.type() == EntryEvent.Type.REMOVED
            || event.type() == EntryEvent.Type.EXPIRED);
      }

      @Override
      public void onEventsMissed(String reason) {
        flush();
      }
    }, false);
    subscription.whenComplete((s, e) -> sub = e == null ? (Subscriptions.Sub) s : null);
  }

  /** Whether a value of {@code key} (at ring {@code position}) may be kept. */
  boolean admits(String key, long position) {
    return admitted == null || router.hotKeys.isHot(position)
        || admitted.getIfPresent(key) != null;
  }

  /** The entry of {@code key} if it may be served now, else null (counted). */
  Entry servable(String key) {
    Entry e = entries.getIfPresent(key);
    long now = System.nanoTime();
    if (e == null || e.value() == null || now - e.readStartNanos() >= leaseNanos) {
      misses.increment();
      return null;
    }
    if (!router.subscriptions.completeSince(e.owner(), e.vouchFromNanos(), MAX_SILENCE_NANOS)) {
      misses.increment();
      unvouched.increment();
      return null;
    }
    hits.increment();
    // Bounded by the near cache's entry count: past it, an entry runs out with its lease.
    if (refreshQueue != null && now - e.readStartNanos() >= leaseNanos / 2
        && refreshQueued.get() < settings.maxEntries()
        && e.refreshQueued.compareAndSet(false, true)) {
      refreshQueued.incrementAndGet();
      refreshQueue.add(key);
    }
    if (admitted != null && !e.served) {
      e.served = true;
      admitted.put(key, Boolean.TRUE);
    }
    return e;
  }

  /** The node whose events cover {@code key} now (its coordinating owner), or null. */
  HostPort ownerOf(Key key) {
    Topology t = router.installed().topology();
    List<Member> owners = t.writeReplicas(key.position());
    if (owners.isEmpty()) {
      return null;
    }
    NodeAddress n = t.node(owners.get(0).name()).orElse(null);
    return n == null ? null : new HostPort(n.host(), n.clientPort());
  }

  /**
   * Keeps a value of {@code key} (at ring {@code position}) read from the cluster, if admitted,
   * unless a newer value, a floor or an event already delivered says otherwise.
   */
  void fill(String key, long position, byte[] value, long version, long readStartNanos,
      HostPort owner) {
    Subscriptions.Sub s = sub;
    if (s == null || owner == null || !admits(key, position) || s.passed(key, version)) {
      return;
    }
    Entry[] made = new Entry[1];
    Entry kept = entries.asMap().compute(key, (k, cur) -> {
      // A later read of the same version replaces the copy (its lease starts later), and the
      // floor of this client's write of that version: the value read is that write's.
      if (cur != null && (cur.version() > version || (cur.version() == version
          && cur.value() != null && cur.readStartNanos() - readStartNanos >= 0))) {
        return cur;
      }
      // A copy of the same version from the same owner keeps its vouching point: the value is
      // the same, so the events that could invalidate it are those since that point, which the
      // old copy was already served against; only the lease starts again (it bounds staleness
      // on its own: the value was current after this read began). Without this, every
      // refresh-ahead would leave the key unvouched, missing, until the owner's next heartbeat.
      long vouchFrom = cur != null && cur.value() != null && cur.version() == version
          && owner.equals(cur.owner()) ? cur.vouchFromNanos() : readStartNanos;
      made[0] = new Entry(value, version, readStartNanos, vouchFrom, owner);
      return made[0];
    });
    if (kept == made[0] && s.passed(key, version)) {
      // The event arrived while this was being kept, its invalidation maybe before: undo.
      entries.asMap().remove(key, kept);
    }
  }

  /** An event: drops the entry if the event passes its version (or ends that version). */
  void invalidate(String key, long version, boolean removal) {
    entries.asMap().computeIfPresent(key, (k, cur) -> {
      if (cur.value() == null) {
        return cur;
      }
      if (version > cur.version() || (version == cur.version() && removal)) {
        invalidations.increment();
        return null;
      }
      return cur;
    });
  }

  /** Before this client's own write of {@code key} is sent. */
  void writing(String key) {
    if (entries.asMap().remove(key) != null) {
      invalidations.increment();
    }
  }

  /** After it: a floor at its version ({@link #FLOOR_ANY} when unknown, as for a removal). */
  void written(String key, long version) {
    written(key, admitted == null ? 0 : Key.of(cacheName, key).position(), version);
  }

  /**
   * {@link #written(String, long)} of the key at ring {@code position}. A hot-keys-only near
   * cache leaves no floor for a key it does not admit: it keeps no value of that key either.
   */
  void written(String key, long position, long version) {
    if (!admits(key, position)) {
      return;
    }
    long now = System.nanoTime();
    entries.asMap().merge(key, new Entry(null, version, now, now, null),
        (cur, floor) -> cur.version() >= version ? cur : floor);
  }

  void flush() {
    entries.invalidateAll();
    flushes.increment();
  }

  NearCacheStats stats() {
    return new NearCacheStats(hits.sum(), misses.sum(), unvouched.sum(), invalidations.sum(),
        flushes.sum());
  }

  CompletionStage<Subscription> subscription() {
    return subscription;
  }

  /**
   * Refresh-ahead: reads the queued keys again, in batches of {@link #REFRESH_BATCH} that the
   * client splits per owner, and keeps what they return through {@link #fill}, exactly as a read
   * that missed would: the new copy's lease starts at this read's start, so the staleness bound
   * and its proof are unchanged. A key the cluster no longer has is dropped; a failed batch
   * leaves its entries to run out with their leases.
   */
  private void refreshDue() {
    for (int batch = 0; batch < REFRESH_BATCHES && sub != null; batch++) {
      List<String> keys = new ArrayList<>();
      String key;
      while (keys.size() < REFRESH_BATCH && (key = refreshQueue.poll()) != null) {
        refreshQueued.decrementAndGet();
        keys.add(key);
      }
      if (keys.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      Map<String, Key> ks = new HashMap<>(keys.size() * 2);
      Map<String, HostPort> owners = new HashMap<>(keys.size() * 2);
      for (String k : keys) {
        Key rk = Key.of(cacheName, k);
        ks.put(k, rk);
        owners.put(k, ownerOf(rk));
      }
      refresher.getAll(keys).whenComplete((found, failure) -> {
        if (failure != null) {
          return;
        }
        for (String k : keys) {
          Versioned<byte[]> v = found.get(k);
          if (v != null) {
            fill(k, ks.get(k).position(), v.value(), v.version(), start, owners.get(k));
          } else {
            entries.asMap().computeIfPresent(k, (x, cur) -> cur.value() == null ? cur : null);
          }
        }
      });
    }
  }

  /** Stops following topologies and events; for a near cache whose subscription failed. */
  void close() {
    if (refreshTimer >= 0) {
      router.cancel(refreshTimer);
    }
    stopFlushing.run();
    subscription.thenAccept(Subscription::close);
    flush();
  }
}
