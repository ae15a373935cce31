package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * No answer within the request timeout (client side), or the owner's replicas did not answer in
 * time (server side). A write that timed out may or may not have been applied. Status
 * {@link FailureStatus#TIMEOUT}.
 */
public class CacheTimeoutException extends CacheException {

  private static final long serialVersionUID = 1L;

  CacheTimeoutException(String message) {
    super(Status.TIMEOUT, message, null);
  }
}
