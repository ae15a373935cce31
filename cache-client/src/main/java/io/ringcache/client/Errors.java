package io.ringcache.client;

import io.ringcache.protocol.ProtocolException;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;

/** Maps statuses to the exception family, and decides which statuses a retry can cure. */
final class Errors {

  private Errors() {}

  static CacheException of(Status status, String message) {
    return switch (status) {
      case TIMEOUT -> new CacheTimeoutException(message);
      case NO_QUORUM -> new CacheNoQuorumException(message);
      case UNAVAILABLE, BUSY, NOT_OWNER, WRONG_EPOCH, NOT_PRIMARY ->
          new CacheUnavailableException(status, message, null);
      // Not retryable: FORBIDDEN does not change on a retry (only cluster members are served),
      // and CLOCK_OFFSET means some owner's clock disagrees with the cluster's beyond the limit.
      case FORBIDDEN, CLOCK_OFFSET -> new CacheRejectedException(status, message);
      // STALE only answers node-to-node REPLICATE: a client that gets one talks to a broken node.
      case STALE -> new CacheRejectedException(status, message);
      default -> new CacheRejectedException(status, message);
    };
  }

  static CacheException of(Response.Failure failure, String context) {
    String message = failure.message().isEmpty()
        ? context + ": " + failure.status()
        : context + ": " + failure.message();
    return of(failure.status(), message);
  }

  static CacheException of(ProtocolException e) {
    return of(e.status(), e.getMessage());
  }

  /** A status that says the node did not apply the request, so any request may be resent. */
  static boolean notApplied(Status status) {
    return status == Status.NOT_OWNER || status == Status.BUSY || status == Status.WRONG_EPOCH
        || status == Status.NOT_PRIMARY || status == Status.NO_QUORUM;
  }

  /**
   * A status a retry may cure but after which a write may have been applied on some owners: only
   * idempotent requests are resent.
   */
  static boolean transientAmbiguous(Status status) {
    return status == Status.UNAVAILABLE || status == Status.TIMEOUT;
  }

  /** Whether a status shows the client's routing is stale, so the layout should be refetched. */
  static boolean suggestsNewLayout(Status status) {
    // NO_QUORUM too: a node on the majority side may by now own the key in a newer layout.
    return status == Status.NOT_OWNER || status == Status.UNAVAILABLE
        || status == Status.WRONG_EPOCH || status == Status.NOT_PRIMARY
        || status == Status.NO_QUORUM;
  }
}
