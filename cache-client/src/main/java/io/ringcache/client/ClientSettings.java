package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.ProtocolLimits;
import java.time.Duration;
import java.util.List;

/** The builder's validated settings ({@code hotKeyNearCache} null when off). */
record ClientSettings(List<HostPort> seeds, Duration requestTimeout, int maxRetries,
    Duration retryBackoff, String authToken, int connectionsPerNode, ProtocolLimits limits,
    String clientName, ClientTls tls, int maxPendingRequests, Duration overloadWait,
    int eventLoops, Duration loadLease, boolean hotKeyReplicaReads,
    NearCacheSettings hotKeyNearCache) {

  /** Most bytes of encoded requests queued on one connection before they are written. */
  static final long MAX_QUEUED_BYTES = 64L * 1024 * 1024;

  long timeoutNanos() {
    return requestTimeout.toNanos();
  }

  /** Backoff before retry number {@code retry} (1-based): doubling, capped, with jitter. */
  long backoffMillis(int retry, double random) {
    long base = retryBackoff.toMillis();
    if (base == 0) {
      return 0;
    }
    long capped = Math.min(base * 50, base << Math.min(retry - 1, 20));
    return Math.max(1, (long) (capped * (0.5 + random / 2)));
  }

  @Override
  public String toString() {
    return "ClientSettings[seeds=" + seeds + ", requestTimeout=" + requestTimeout + ", maxRetries="
        + maxRetries + ", retryBackoff=" + retryBackoff + ", auth="
        + (authToken.isEmpty() ? "off" : "<redacted>") + ", connectionsPerNode="
        + connectionsPerNode + ", " + limits + ", clientName=" + clientName + ", " + tls
        + ", maxPendingRequests=" + maxPendingRequests + ", overloadWait=" + overloadWait
        + ", eventLoops=" + eventLoops + ", loadLease=" + loadLease + ", hotKeyReplicaReads="
        + hotKeyReplicaReads + ", hotKeyNearCache=" + (hotKeyNearCache == null ? "off"
        : hotKeyNearCache) + "]";
  }
}
