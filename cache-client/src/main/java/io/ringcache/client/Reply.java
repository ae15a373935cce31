package io.ringcache.client;

import io.ringcache.protocol.Response;

/**
 * Where a {@link Connection} delivers the outcome of one request: exactly one of the two methods
 * is called, once, on the connection's event loop (or on the sender's thread when the request is
 * refused before it is queued).
 */
interface Reply {

  void answered(Response response);

  /**
   * The request got no answer.
   *
   * @param error what to report if no retry follows
   * @param maybeApplied false only when the request certainly never reached a node
   */
  void failed(CacheException error, boolean maybeApplied);
}
