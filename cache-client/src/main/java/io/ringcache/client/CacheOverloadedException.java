package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * The client's own queue towards a node is full: more requests are waiting for answers on that
 * connection than {@code maxPendingRequests}, or more bytes wait to be written than the queue's
 * byte bound. The call was not sent, so nothing was applied. It fails at once instead of queueing
 * without bound: slow down, or raise {@link CacheClient.Builder#maxPendingRequests(int)}.
 */
public final class CacheOverloadedException extends CacheRejectedException {

  private static final long serialVersionUID = 1L;

  CacheOverloadedException(String message) {
    super(Status.BUSY, message);
  }
}
