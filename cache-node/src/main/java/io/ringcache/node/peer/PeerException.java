package io.ringcache.node.peer;

import io.ringcache.protocol.Status;

/**
 * A peer request that got no answer: the status to report and why. Expected in failure
 * scenarios and possibly frequent, so it carries no stack trace.
 */
public final class PeerException extends RuntimeException {

  private final Status status;

  public PeerException(Status status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
