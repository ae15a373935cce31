package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * The cluster could not serve the call after the allowed retries: no node reachable, not enough
 * owners up ({@link Status#UNAVAILABLE}), or nodes shedding load ({@link Status#BUSY}).
 */
public class CacheUnavailableException extends CacheException {

  private static final long serialVersionUID = 1L;

  CacheUnavailableException(Status status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
