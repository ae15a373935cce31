package io.ringcache.node.server;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import io.ringcache.node.peer.BatchCounters;
import io.ringcache.protocol.Status;

/** Request-path counters shared by every event loop. Cheap to bump from any thread. */
public final class NodeStats {

  public final LongAdder requests = new LongAdder();
  /** Latency of every answered request, for {@code /v1/stats} (see {@link LatencyBuckets}). */
  final LatencyBuckets latency = new LatencyBuckets();
  /** Bytes of entry events queued on all connections, not yet written. */
  public final AtomicLong eventQueuedBytes =
      new AtomicLong();
  /** Entry events written to subscribers' connections. */
  public final LongAdder eventsSent = new LongAdder();
  /** Event subscribers disconnected for falling behind (maxEventQueueBytes). */
  public final LongAdder eventSubscribersDropped = new LongAdder();
  /** Requests this node sent on to the key's owner. */
  public final LongAdder forwarded = new LongAdder();
  /** Requests that arrived forwarded from another node. */
  public final LongAdder forwardedIn = new LongAdder();
  public final LongAdder replicationsSent = new LongAdder();
  /** Replica writes the other owner applied (answered OK). */
  public final LongAdder replicationAcks = new LongAdder();
  public final LongAdder replicationFailures = new LongAdder();
  /** The part of {@link #replicationFailures} where the replica did not answer in time. */
  public final LongAdder replicationTimeouts = new LongAdder();
  /** Replica writes sent again because a replica was on another epoch or out of reach. */
  public final LongAdder replicationRetries = new LongAdder();
  public final LongAdder replicationsApplied = new LongAdder();
  /** REPLICATE_BATCH frames this node applied (their entries count in replicationsApplied). */
  public final LongAdder replicaBatchesApplied = new LongAdder();
  /** REPLICATE frames (single or batched) this node's request path sent, and their entries. */
  public final BatchCounters replicaFrames = new BatchCounters();
  /**
   * Replicated or transferred entries this node did not apply because it held an entry that orders
   * after them (answered STALE with that entry's version).
   */
  public final LongAdder staleReplicas = new LongAdder();
  /**
   * Writes this node coordinated that it re-stamped above a newer version a replica held (one per
   * re-stamp; a write can be re-stamped up to {@code ReplicaFanOut.MAX_RESTAMPS} times).
   */
  public final LongAdder restamps = new LongAdder();
  /**
   * Writes that arrived again with a write id this node had recorded, answered with their first
   * outcome instead of being applied twice.
   */
  public final LongAdder writeRetriesAnswered = new LongAdder();
  /** Peer-only requests refused with FORBIDDEN on connections not authenticated as a peer. */
  public final LongAdder peerOnlyRefused = new LongAdder();
  /** Replicated or transferred entries refused because their version ran too far ahead. */
  public final LongAdder clockOffsetRejected = new LongAdder();
  public final LongAdder connectionsAccepted = new LongAdder();
  public final LongAdder connectionsRejected = new LongAdder();
  public final AtomicInteger openConnections = new AtomicInteger();
  private final Map<Status, LongAdder> errors = new EnumMap<>(Status.class);

  public NodeStats() {
    for (Status s : Status.values()) {
      if (s != Status.OK) {
        errors.put(s, new LongAdder());
      }
    }
  }

  /** Counts an answer with a non-OK status. */
  public void error(Status status) {
    LongAdder a = errors.get(status);
    if (a != null) {
      a.increment();
    }
  }

  public long errors(Status status) {
    LongAdder a = errors.get(status);
    return a == null ? 0 : a.sum();
  }

  public Map<Status, LongAdder> errorCounters() {
    return errors;
  }
}
