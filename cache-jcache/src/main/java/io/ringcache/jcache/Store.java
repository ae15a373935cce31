package io.ringcache.jcache;

import io.ringcache.client.NamedCache;
import io.ringcache.client.ValueCodec;
import io.ringcache.client.VersionMismatchException;
import io.ringcache.client.Versioned;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ringcache side of one JCache cache: encodes keys and values, and turns the four kinds of
 * entry change JCache needs (create, update, access, remove) into version-conditional calls on
 * the {@link NamedCache}, each waiting for its event when a synchronous listener is registered.
 *
 * <p>Design: every conditional write names the version it read ({@code 0}: "absent"), so the
 * optimistic loops above can retry when another client wrote in between; {@link #write} and
 * {@link #remove} report a lost race as -1 / false instead of throwing. TTL arguments follow
 * {@link PolicyExpiry}: a positive number of milliseconds, 0 for none, {@link NamedCache#KEEP_TTL},
 * or {@link PolicyExpiry#EXPIRE_NOW}.
 */
final class Store<K, V> {

  /** A value read from the cluster with the version it had. */
  record Hit<V>(V value, long version) {}

  private final NamedCache<byte[]> named;
  private final KeyCodec keys;
  private final ValueCodec<V> values;
  private ListenerHub<K, V> hub;

  Store(NamedCache<byte[]> named, KeyCodec keys, ValueCodec<V> values) {
    this.named = named;
    this.keys = keys;
    this.values = values;
  }

  void hub(ListenerHub<K, V> listeners) {
    this.hub = listeners;
  }

  NamedCache<byte[]> named() {
    return named;
  }

  String key(Object key) {
    return keys.encode(key);
  }

  @SuppressWarnings("unchecked")
  K decodeKey(String stored) {
    return (K) keys.decode(stored);
  }

  V decode(byte[] bytes) {
    return values.decode(bytes);
  }

  byte[] encode(V value) {
    return values.encode(value);
  }

  Hit<V> read(String key) {
    Optional<Versioned<byte[]>> found = Calls.join(named.get(key));
    return found.map(v -> new Hit<>(decode(v.value()), v.version())).orElse(null);
  }

  /** The present keys among {@code stored}, in the collection's order. */
  Map<String, Hit<V>> readAll(Collection<String> stored) {
    Map<String, Versioned<byte[]>> found = Calls.join(named.getAll(stored));
    Map<String, Hit<V>> hits = new LinkedHashMap<>();
    for (String k : stored) {
      Versioned<byte[]> v = found.get(k);
      if (v != null) {
        hits.put(k, new Hit<>(decode(v.value()), v.version()));
      }
    }
    return hits;
  }

  /**
   * Creates the entry if absent: its version, 0 if {@code ttl} is {@link PolicyExpiry#EXPIRE_NOW} (not
   * stored), -1 if the key exists.
   */
  long create(String key, V value, long ttl) {
    if (ttl == PolicyExpiry.EXPIRE_NOW) {
      return 0;
    }
    return write(key, 0, value, ttl);
  }

  /**
   * Replaces the entry at {@code version}: the new version, or -1 if the key moved on. With
   * {@link PolicyExpiry#EXPIRE_NOW} the value is written (listeners see the update) and then expired.
   */
  long update(String key, long version, V value, long ttl) {
    if (ttl != PolicyExpiry.EXPIRE_NOW) {
      return write(key, version, value, ttl);
    }
    long written = write(key, version, value, NamedCache.KEEP_TTL);
    if (written > 0) {
      remove(key, written, true);
    }
    return written;
  }

  /** Applies an access's TTL to the entry read at {@code version}. */
  void access(String key, long version, long ttl) {
    if (ttl == NamedCache.KEEP_TTL) {
      return;
    }
    if (ttl == PolicyExpiry.EXPIRE_NOW) {
      remove(key, version, true);
      return;
    }
    Calls.join(named.getAndTouch(key, PolicyExpiry.touchDuration(ttl)));
  }

  /** Writes without reading first (no TTL): the new version. */
  long put(String key, V value) {
    byte[] bytes = encode(value);
    ListenerHub.Ticket ticket = hub.expect(key);
    try {
      long version = Calls.join(named.put(key, bytes));
      hub.await(ticket, version);
      return version;
    } finally {
      hub.release(ticket);
    }
  }

  private long write(String key, long expected, V value, long ttl) {
    byte[] bytes = encode(value);
    ListenerHub.Ticket ticket = hub.expect(key);
    try {
      long version = Calls.join(named.putIfVersion(key, expected, bytes, ttl));
      hub.await(ticket, version);
      return version;
    } catch (VersionMismatchException e) {
      return -1;
    } finally {
      hub.release(ticket);
    }
  }

  /** Removes the entry if still at {@code version}: false if it moved on or is gone. */
  boolean remove(String key, long version, boolean asExpired) {
    ListenerHub.Ticket ticket = hub.expect(key);
    try {
      boolean removed = Calls.join(named.removeIfVersion(key, version, asExpired));
      if (removed) {
        hub.await(ticket, version + 1);
      }
      return removed;
    } finally {
      hub.release(ticket);
    }
  }
}
