package io.ringcache.client;

import io.ringcache.protocol.Status;

/** The client was closed before the call completed, or the call was made after close. */
public final class CacheClosedException extends CacheUnavailableException {

  private static final long serialVersionUID = 1L;

  CacheClosedException(String message) {
    super(Status.UNAVAILABLE, message, null);
  }
}
