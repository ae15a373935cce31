package io.ringcache.client;

/** A call in flight, registered so that closing the client can fail it. */
interface LiveCall {

  /** Fails the call with {@code error} unless it already completed. */
  void abort(CacheException error);
}
