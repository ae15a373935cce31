package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * The request was refused and retrying it unchanged would fail the same way: key or value over
 * the limit ({@link Status#KEY_TOO_LARGE}, {@link Status#VALUE_TOO_LARGE}, checked on the client
 * before sending), a malformed request or a counter over a non-number ({@link Status#BAD_REQUEST}),
 * a wrong auth token ({@link Status#AUTH_FAILED}), an operation the node does not serve
 * ({@link Status#UNKNOWN_OP}), a batch over the frame limit ({@link Status#FRAME_TOO_LARGE}) or a
 * node fault ({@link Status#INTERNAL}). The message is the node's (or the encoder's), which names
 * the value and the limit.
 */
public class CacheRejectedException extends CacheException {

  private static final long serialVersionUID = 1L;

  CacheRejectedException(Status status, String message) {
    super(status, message, null);
  }
}
