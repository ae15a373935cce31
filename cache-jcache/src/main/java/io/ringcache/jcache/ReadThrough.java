package io.ringcache.jcache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * Read-through of the keys {@code get} and {@code getAll} missed, with at most one
 * {@code CacheLoader} call per key in the whole cluster at a time (issue 14): each missing key
 * goes through {@link io.ringcache.client.NamedCache#getOrLoad}, so of all the clients that miss a
 * key together only the holder of its load lease (granted by the key's primary) loads it; the
 * others wait for the value it stores, or take the lease over when the holder gives it back (its
 * loader threw or found nothing) or lets it expire (its process died, or its loader ran past the
 * client's {@code loadLease}).
 *
 * <h2>Design</h2>
 * getOrLoad calls its loader on a client event loop, where a {@code CacheLoader} (user code that
 * blocks) must not run, and it would store the value with no TTL, past JCache's expiry policy and
 * its wait for synchronous listeners. So the loader given to getOrLoad only hands the grant to
 * the calling thread, which waits in {@code get} or {@code getAll} anyway. That thread runs the
 * {@code CacheLoader}, as before single flight, stores the value itself as a JCache creation
 * ({@link Store#create}: the policy's creation TTL, no writer, the listener wait), and then
 * completes the grant with null, which tells getOrLoad there is nothing left to store. The write
 * ends the lease on the primary and wakes the waiters, who find the value; the lease getOrLoad
 * then gives back has already ended. The creation is "only if absent", as getOrLoad's own store
 * is, so a holder whose lease was taken over never overwrites the newer value: it returns the
 * value the cache holds instead.
 *
 * <p>{@code getAll} hands all its missing keys to getOrLoad at once and calls
 * {@code CacheLoader.loadAll} with the keys granted to it as soon as any are granted, never
 * holding a granted lease while it waits for another holder's value: otherwise two
 * {@code getAll} calls with crossing key sets would each hold what the other waits for until the
 * leases expired. Grants that arrive together are loaded together; a grant that comes later (a
 * slower answer, a takeover) gets a {@code loadAll} call of its own.
 *
 * <h2>Failure</h2>
 * A loader that throws: its grants end, so getOrLoad gives the leases back and a waiter in any
 * client takes over; this caller gets the {@code CacheLoaderException}. A loader that returns
 * null, or a creation duration of zero: nothing is stored, the lease is given back and each waiter
 * loads in turn (there is no value to wait for). Grants that arrive after the caller gave up are
 * given back at once. Waiting is bounded by getOrLoad (past its maximum wait a caller loads
 * without a lease) and, as a backstop, by {@link Calls#BACKSTOP_SECONDS}.
 */
final class ReadThrough<K, V> {

  /** A load lease of {@code key} granted to this caller; complete {@code done} to end it. */
  private record Grant<K>(K key, CompletableFuture<byte[]> done) {}

  /** The getOrLoad of {@code key} completed. */
  private record Landed<K>(K key) {}

  private final Store<K, V> store;
  private final Integration<K, V> integration;
  private final PolicyExpiry expiry;
  private final Statistics statistics;

  ReadThrough(Store<K, V> store, Integration<K, V> integration, PolicyExpiry expiry,
      Statistics statistics) {
    this.store = store;
    this.integration = integration;
    this.expiry = expiry;
    this.statistics = statistics;
  }

  /** The value of a key {@code get} missed: loaded here with {@code CacheLoader.load}, or not. */
  V load(K key) {
    return flights(List.of(key), keys -> {
      Map<K, V> one = new HashMap<>();
      one.put(key, integration.load(key));
      return one;
    }).get(key);
  }

  /** The values of keys {@code getAll} missed, those that have one. */
  Map<K, V> loadAll(Collection<K> keys) {
    return flights(keys, integration::loadAll);
  }

  /**
   * Stores a loaded value as a creation (no writer: it came from the store): its version, 0 if the
   * creation duration is zero (not stored), -1 if the key has a value already.
   */
  long create(String key, V loaded) {
    long version = store.create(key, loaded, expiry.forCreation());
    if (version > 0) {
      statistics.puts(1);
    }
    return version;
  }

  private Map<K, V> flights(Collection<K> keys, Function<List<K>, Map<K, V>> loader) {
    Handoff<K> handoff = new Handoff<>();
    Map<K, CompletableFuture<byte[]>> flights = new LinkedHashMap<>();
    for (K key : keys) {
      CompletableFuture<byte[]> flight = store.named()
          .getOrLoad(store.key(key), k -> handoff.granted(key)).toCompletableFuture();
      flights.put(key, flight);
      flight.whenComplete((v, e) -> handoff.events.add(new Landed<>(key)));
    }
    Map<K, V> values = new HashMap<>();
    Set<K> mine = new HashSet<>();
    List<Grant<K>> taken = new ArrayList<>();
    int landed = 0;
    try {
      while (landed < flights.size()) {
        List<Grant<K>> grants = new ArrayList<>();
        for (Object event : handoff.next()) {
          if (event instanceof Grant<?> g) {
            @SuppressWarnings("unchecked")
            Grant<K> grant = (Grant<K>) g;
            taken.add(grant);
            grants.add(grant);
            mine.add(grant.key());
          } else if (event instanceof Landed<?> l) {
            landed++;
            @SuppressWarnings("unchecked")
            K key = (K) l.key();
            // A key granted here lands with null once its grant ends: its value is known here.
            byte[] found = Calls.join(flights.get(key));
            if (found != null && !mine.contains(key)) {
              values.put(key, store.decode(found));
            }
          }
        }
        loadGranted(grants, loader, values);
      }
    } finally {
      // On a failure, grants taken but not loaded end here, those still to come in abandon().
      taken.forEach(g -> g.done().complete(null));
      handoff.abandon();
    }
    return values;
  }

  /** Loads what was granted in one loader call and stores it; the grants end, whatever fails. */
  private void loadGranted(List<Grant<K>> grants, Function<List<K>, Map<K, V>> loader,
      Map<K, V> values) {
    if (grants.isEmpty()) {
      return;
    }
    try {
      List<K> keys = new ArrayList<>();
      grants.forEach(g -> keys.add(g.key()));
      Map<K, V> loaded = loader.apply(keys);
      if (loaded == null) {
        return;
      }
      for (K key : keys) {
        V value = loaded.get(key);
        if (value != null) {
          values.put(key, held(store.key(key), value));
        }
      }
    } finally {
      grants.forEach(g -> g.done().complete(null));
    }
  }

  /** Stores {@code loaded}: the value the cache holds afterwards (another's, if it came first). */
  private V held(String key, V loaded) {
    if (create(key, loaded) >= 0) {
      return loaded;
    }
    Store.Hit<V> now = store.read(key);
    return now != null ? now.value() : loaded;
  }

  /**
   * Grants and landings of one call's flights, in arrival order: getOrLoad's loader adds a grant
   * on a client event loop, the calling thread takes them.
   */
  private static final class Handoff<K> {

    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile boolean abandoned;

    /** getOrLoad's loader: never blocks, since it runs on a client event loop. */
    CompletionStage<byte[]> granted(K key) {
      Grant<K> grant = new Grant<>(key, new CompletableFuture<>());
      events.add(grant);
      if (abandoned) {
        endQueued();
      }
      return grant.done();
    }

    /** At least one event, and every other already queued. */
    List<Object> next() {
      Object first;
      try {
        first = events.poll(Calls.BACKSTOP_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CacheException("interrupted while waiting for a load lease", e);
      }
      if (first == null) {
        throw new CacheException(String.format(
            "no load lease and no value from the cluster within %d s", Calls.BACKSTOP_SECONDS));
      }
      List<Object> all = new ArrayList<>();
      all.add(first);
      events.drainTo(all);
      return all;
    }

    /**
     * The caller stopped taking grants: end those queued, and (through {@link #granted}) those
     * still to come. Either this drain sees a grant, or its {@code granted} call sees the flag.
     */
    void abandon() {
      abandoned = true;
      endQueued();
    }

    private void endQueued() {
      Object e;
      while ((e = events.poll()) != null) {
        if (e instanceof Grant<?> g) {
          g.done().complete(null);
        }
      }
    }
  }
}
