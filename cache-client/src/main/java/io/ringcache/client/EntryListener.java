package io.ringcache.client;

/**
 * Receives a named cache's entry events ({@link NamedCache#subscribe}). Called on one of the
 * client's I/O threads, one event at a time per subscription: return quickly and never block;
 * hand slow work to an executor of your own.
 */
public interface EntryListener<V> {

  /** One change; see {@link EntryEvent} for the order and duplicate rules. */
  void onEvent(EntryEvent<V> event);

  /**
   * Events may have been lost: a connection to an owner dropped, an owner joined that had served
   * writes before the subscription reached it, or an owner disconnected this subscriber for being
   * slow. Whatever the listener derived from earlier events (a near cache's entries) can no longer
   * be trusted. Delivery goes on with later events.
   *
   * @param reason a human-readable cause, for logs
   */
  void onEventsMissed(String reason);
}
