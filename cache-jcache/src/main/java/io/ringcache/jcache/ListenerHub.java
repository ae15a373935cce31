package io.ringcache.jcache;

import io.ringcache.client.EntryEvent;
import io.ringcache.client.EntryListener;
import io.ringcache.client.NamedCache;
import io.ringcache.client.Subscription;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;

/**
 * A cache's JCache listeners, fed by one ringcache subscription to the named cache.
 *
 * <p>Design: events come from the nodes (every client's writes, and entries the nodes expire),
 * not from this client's own calls, so listeners see the cluster's changes (JSR-107 "Cache Entry
 * Listeners" leaves remote events to the implementation). The subscription exists while at least one
 * listener is registered and always asks for old values. Filters run here, in the client.
 *
 * <p>Synchronous listeners (JSR-107 "Cache Entry Listeners"): before a write of key k returns, its caller holds
 * a {@link Ticket} for k, taken before the write is sent; once the write answers version v, the
 * caller waits until the event of k with version at least v has been delivered to every
 * synchronous listener. The wait is bounded by {@link #SYNC_WAIT_MILLIS} and ends early when the
 * subscription reports missed events, so a lost event delays a caller but never hangs it. A
 * synchronous listener's exception reaches that caller as a {@link CacheEntryListenerException}.
 *
 * <p>Concurrency: events arrive on a client I/O thread and are handed at once to a single
 * dispatcher thread (which keeps each key's order, and which may block: listener code may call
 * the cache). Asynchronous listeners run on a second single thread, in the same order. Writes
 * made from the dispatcher thread itself (a synchronous listener writing to the cache) do not
 * wait: that thread is the one that would deliver the event.
 */
final class ListenerHub<K, V> implements EntryListener<byte[]> {

  static final long SYNC_WAIT_MILLIS = 5_000;
  private static final Logger LOG = System.getLogger(ListenerHub.class.getName());

  private final Cache<K, V> source;
  private final NamedCache<byte[]> named;
  private final Function<String, K> keys;
  private final Function<byte[], V> values;
  private final CopyOnWriteArrayList<Registration<K, V>> registrations =
      new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Set<Ticket>> tickets = new ConcurrentHashMap<>();
  private final ExecutorService dispatcher;
  private final ExecutorService async;
  private volatile Thread dispatchThread;
  private Subscription subscription;

  ListenerHub(Cache<K, V> source, NamedCache<byte[]> named, Function<String, K> keys,
      Function<byte[], V> values, ExecutorService dispatcher, ExecutorService async) {
    this.source = source;
    this.named = named;
    this.keys = keys;
    this.values = values;
    this.dispatcher = dispatcher;
    this.async = async;
  }

  /**
   * Adds a listener; subscribes first if it is the first one, waiting until every owner
   * confirmed, so that the next write's event reaches it.
   */
  synchronized void register(CacheEntryListenerConfiguration<K, V> configuration) {
    Registration<K, V> registration = new Registration<>(configuration);
    if (subscription == null) {
      subscription = Calls.join(named.subscribe(this, true));
    }
    registrations.add(registration);
  }

  /** Removes the listener of {@code configuration}; unsubscribes after the last one. */
  synchronized boolean deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    boolean removed = registrations.removeIf(r -> r.configuration().equals(configuration));
    if (registrations.isEmpty() && subscription != null) {
      subscription.close();
      subscription = null;
    }
    return removed;
  }

  Iterable<Registration<K, V>> registrations() {
    return registrations;
  }

  /**
   * A ticket for a write of {@code key} about to be sent, or null when the caller need not wait
   * (no synchronous listener, or the caller is the dispatcher).
   */
  Ticket expect(String key) {
    if (Thread.currentThread() == dispatchThread || registrations.stream()
        .noneMatch(Registration::synchronous)) {
      return null;
    }
    Ticket ticket = new Ticket();
    tickets.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(ticket);
    ticket.key = key;
    return ticket;
  }

  /** Waits (bounded) for the event of the ticket's key at {@code minVersion} or later. */
  void await(Ticket ticket, long minVersion) {
    if (ticket != null) {
      ticket.await(minVersion);
    }
  }

  void release(Ticket ticket) {
    if (ticket != null) {
      tickets.computeIfPresent(ticket.key, (k, set) -> {
        set.remove(ticket);
        return set.isEmpty() ? null : set;
      });
    }
  }

  @Override
  public void onEvent(EntryEvent<byte[]> event) {
    try {
      dispatcher.execute(() -> dispatch(event));
    } catch (RejectedExecutionException e) {
      // the cache is closing: its listeners are done
    }
  }

  @Override
  public void onEventsMissed(String reason) {
    LOG.log(Level.DEBUG, "cache {0}: events may have been missed: {1}",
        new Object[] {named.name(), reason});
    try {
      dispatcher.execute(() -> tickets.values().forEach(set -> set.forEach(Ticket::missed)));
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void dispatch(EntryEvent<byte[]> event) {
    dispatchThread = Thread.currentThread();
    RingcacheEvent<K, V> jcacheEvent;
    try {
      jcacheEvent = convert(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache " + named.name() + ": cannot decode the event of key '"
          + event.key() + "'", e);
      deliveredToTickets(event, null);
      return;
    }
    CacheEntryListenerException failure = null;
    for (Registration<K, V> r : registrations) {
      if (r.synchronous()) {
        try {
          r.deliver(jcacheEvent);
        } catch (CacheEntryListenerException e) {
          failure = e;
        }
      } else if (r.takes(jcacheEvent)) {
        try {
          async.execute(() -> deliverAsync(r, jcacheEvent));
        } catch (RejectedExecutionException e) {
          // closing
        }
      }
    }
    deliveredToTickets(event, failure);
  }

  private void deliveredToTickets(EntryEvent<byte[]> event, CacheEntryListenerException failure) {
    Set<Ticket> waiting = tickets.get(event.key());
    if (waiting != null) {
      for (Ticket t : waiting) {
        t.delivered(event.version(), failure);
      }
    }
  }

  private void deliverAsync(Registration<K, V> r, RingcacheEvent<K, V> event) {
    try {
      r.deliver(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cache " + named.name() + ": asynchronous listener failed", e);
    }
  }

  private RingcacheEvent<K, V> convert(EntryEvent<byte[]> e) {
    K key = keys.apply(e.key());
    V oldValue = e.oldValue() == null ? null : values.apply(e.oldValue());
    switch (e.type()) {
      case CREATED:
        return new RingcacheEvent<>(source, EventType.CREATED, key, values.apply(e.value()), null);
      case UPDATED:
        return new RingcacheEvent<>(source, EventType.UPDATED, key, values.apply(e.value()),
            oldValue);
      case REMOVED:
        return new RingcacheEvent<>(source, EventType.REMOVED, key, oldValue, oldValue);
      case EXPIRED:
        return new RingcacheEvent<>(source, EventType.EXPIRED, key, oldValue, oldValue);
      default:
        throw new IllegalArgumentException("unknown event type " + e.type());
    }
  }

  /** Cancels the subscription and stops both threads; later events are dropped. */
  synchronized void close() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    registrations.clear();
    for (Iterator<Set<Ticket>> it = tickets.values().iterator(); it.hasNext(); ) {
      it.next().forEach(Ticket::missed);
    }
    dispatcher.shutdown();
    async.shutdown();
    // Listeners are closed next: let events already handed over finish first, unless this is
    // the dispatcher itself (a listener closing the cache).
    Thread self = Thread.currentThread();
    if (self != dispatchThread) {
      RingcacheCache.awaitQuietly(dispatcher);
      RingcacheCache.awaitQuietly(async);
    }
  }

  /** A writer waiting for its write's event; see the class comment. */
  static final class Ticket {
    private String key;
    private long seen;
    private CacheEntryListenerException failure;

    synchronized void delivered(long version, CacheEntryListenerException f) {
      if (version > seen) {
        seen = version;
      }
      if (f != null) {
        failure = f;
      }
      notifyAll();
    }

    synchronized void missed() {
      seen = Long.MAX_VALUE;
      notifyAll();
    }

    synchronized void await(long minVersion) {
      long deadline = System.nanoTime() + SYNC_WAIT_MILLIS * 1_000_000;
      while (seen < minVersion) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          LOG.log(Level.DEBUG, "no event for key ''{0}'' at version {1} within {2} ms",
              new Object[] {key, minVersion, SYNC_WAIT_MILLIS});
          return;
        }
        try {
          wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (failure != null) {
        CacheEntryListenerException f = failure;
        failure = null;
        throw f;
      }
    }
  }
}
