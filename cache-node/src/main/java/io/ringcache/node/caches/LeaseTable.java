package io.ringcache.node.caches;

import io.ringcache.protocol.Key;
import io.vertx.core.Promise;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load leases for single-flight loading (LEASE): at most one holder per key on this node, the
 * key's coordinating owner, with the callers that wait for the holder's value.
 *
 * <h2>Design</h2>
 * The first caller that misses gets a lease, fenced by a random token, for a bounded time; the
 * others wait (each a bounded time) and are woken when any write of the key applies here (the
 * holder's value, or anyone's), when the holder gives the lease back, or when their wait ends;
 * they then ask again and find the value, or take the lease over once it expired (its holder died
 * or hung). A holder stores its value as "only if absent", so a holder whose lease was taken over
 * cannot overwrite a newer value. Leases are not replicated: when a key's coordinating owner
 * changes, a second loader may run (documented in {@code docs/near-cache.md}).
 *
 * <h2>Bounds</h2>
 * At most {@link #MAX_LEASES} keys leased at once and {@link #MAX_WAITERS} callers waiting per
 * key; beyond, callers are answered at once and ask again.
 *
 * <h2>Concurrency</h2>
 * A key's lease changes in one {@code compute}; its waiters list is guarded by the lease. Waiters
 * are promises of their own event loops' contexts, so waking one from a writer's thread runs its
 * answer on its loop.
 */
public final class LeaseTable {

  static final int MAX_LEASES = 100_000;
  static final int MAX_WAITERS = 4_096;

  /** One key's lease. */
  public static final class Lease {
    final long token;
    final long expiresAtNanos;
    private final List<Promise<Void>> waiters = new ArrayList<>();
    private boolean ended;

    Lease(long token, long expiresAtNanos) {
      this.token = token;
      this.expiresAtNanos = expiresAtNanos;
    }

    /** Milliseconds left, at least 0. */
    public long remainingMillis() {
      return Math.max(0, TimeUnit.NANOSECONDS.toMillis(expiresAtNanos - System.nanoTime()));
    }

    public long token() {
      return token;
    }

    /** Adds a waiter to wake when the lease ends; false if it ended or has too many. */
    public synchronized boolean await(Promise<Void> waiter) {
      if (ended || waiters.size() >= MAX_WAITERS) {
        return false;
      }
      waiters.add(waiter);
      return true;
    }

    synchronized void end() {
      ended = true;
      waiters.forEach(Promise::tryComplete);
      waiters.clear();
    }

    boolean expired(long now) {
      return now - expiresAtNanos >= 0;
    }
  }

  /** What {@link #acquire} decided: granted (this caller holds {@code lease}) or held by another. */
  public record Outcome(boolean granted, Lease lease) {}

  private final Map<Key, Lease> leases = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  public final LongAdder granted = new LongAdder();
  public final LongAdder takeovers = new LongAdder();
  public final LongAdder waits = new LongAdder();

  /**
   * The lease of {@code key} for this caller if nobody holds a live one, else the holder's.
   * Null when {@link #MAX_LEASES} keys are leased already.
   */
  public Outcome acquire(Key key, long leaseMillis) {
    long now = System.nanoTime();
    boolean[] mine = new boolean[1];
    Lease[] ended = new Lease[1];
    if (!leases.containsKey(key) && leases.size() >= MAX_LEASES) {
      return null;
    }
    Lease lease = leases.compute(key, (k, cur) -> {
      if (cur != null && !cur.expired(now)) {
        return cur;
      }
      if (cur != null) {
        ended[0] = cur;
        takeovers.increment();
      }
      mine[0] = true;
      return new Lease(nextToken(), now + TimeUnit.MILLISECONDS.toNanos(leaseMillis));
    });
    if (ended[0] != null) {
      ended[0].end();
    }
    if (mine[0]) {
      granted.increment();
    } else {
      waits.increment();
    }
    return new Outcome(mine[0], lease);
  }

  /** A write of {@code key} applied here: its lease ends and its waiters ask again. */
  public void written(Key key) {
    if (leases.isEmpty()) {
      return;
    }
    Lease ended = leases.remove(key);
    if (ended != null) {
      ended.end();
    }
  }

  /** The holder of {@code token} gives the lease of {@code key} back: true if it held it. */
  public boolean release(Key key, long token) {
    Lease[] ended = new Lease[1];
    leases.computeIfPresent(key, (k, cur) -> {
      if (cur.token == token) {
        ended[0] = cur;
        return null;
      }
      return cur;
    });
    if (ended[0] != null) {
      ended[0].end();
      return true;
    }
    return false;
  }

  /** Keys leased now. */
  public int size() {
    return leases.size();
  }

  private long nextToken() {
    long t;
    do {
      t = random.nextLong();
    } while (t == 0);
    return t;
  }
}
