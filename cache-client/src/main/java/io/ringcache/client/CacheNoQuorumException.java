package io.ringcache.client;

import io.ringcache.protocol.Status;

/**
 * The node that answered sees no majority of its cluster ({@link FailureStatus#NO_QUORUM}): the
 * cluster runs with {@code partition-policy majority} and this node may be on the smaller side of a
 * network partition, so it refused the write. Nothing was applied, so resending is always safe;
 * the client already retried (with a fresh layout, which may lead to a node on the majority side)
 * before it gave up with this exception. Writes succeed again once the partition heals.
 */
public final class CacheNoQuorumException extends CacheUnavailableException {

  private static final long serialVersionUID = 1L;

  CacheNoQuorumException(String message) {
    super(Status.NO_QUORUM, message, null);
  }
}
