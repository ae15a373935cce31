package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * The request was refused and retrying it unchanged would fail the same way: key or value over
 * the limit ({@link FailureStatus#KEY_TOO_LARGE}, {@link FailureStatus#VALUE_TOO_LARGE}, checked on
 * the client before sending), a malformed request or a counter over a non-number
 * ({@link FailureStatus#BAD_REQUEST}), a wrong auth token ({@link FailureStatus#AUTH_FAILED}), an
 * operation the node does not serve ({@link FailureStatus#UNKNOWN_OP}), a batch over the frame
 * limit ({@link FailureStatus#FRAME_TOO_LARGE}) or a node fault ({@link FailureStatus#INTERNAL}).
 * The message is the node's (or the encoder's), which names the value and the limit.
 */
public class CacheRejectedException extends CacheException {

  private static final long serialVersionUID = 1L;

  CacheRejectedException(Status status, String message) {
    super(status, message, null);
  }
}
