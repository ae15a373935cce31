package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * The cluster could not serve the call after the allowed retries: no node reachable, not enough
 * owners up ({@link FailureStatus#UNAVAILABLE}), nodes shedding load ({@link FailureStatus#BUSY}),
 * or a cluster layout that kept changing under the retries
 * ({@link FailureStatus#LAYOUT_CHANGING}).
 */
public class CacheUnavailableException extends CacheException {

  private static final long serialVersionUID = 1L;

  CacheUnavailableException(Status status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
