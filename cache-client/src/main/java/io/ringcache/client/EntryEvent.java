package io.ringcache.client;

/**
 * A change to one entry of a named cache, sent by the key's primary owner to every subscriber
 * ({@link NamedCache#subscribe}).
 *
 * <p>Events of one key arrive in version order; across a change of primary an event may arrive
 * twice, and the client drops any event whose version is not above the last one it delivered for
 * that key. Events of different keys are not ordered.
 *
 * @param type what happened
 * @param key the entry's key
 * @param value the new value ({@code CREATED}, {@code UPDATED}); null for {@code REMOVED} and
 *     {@code EXPIRED}
 * @param oldValue the value before, when the subscription asked for old values and there was one;
 *     else null
 * @param version the version of the write (a removal's tombstone version)
 */
public record EntryEvent<V>(Type type, String key, V value, V oldValue, long version) {

  /** The kinds of change, JCache's {@code EventType} without eviction. */
  public enum Type {
    CREATED, UPDATED, REMOVED, EXPIRED
  }
}
