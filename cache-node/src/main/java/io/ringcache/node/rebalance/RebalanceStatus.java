package io.ringcache.node.rebalance;

import io.vertx.core.json.JsonObject;

/**
 * This node's view of the current rebalance: the phase it installed last and the progress of its
 * own outgoing transfers. Written by the rebalancer's context, read by STATS and the HTTP API.
 */
public final class RebalanceStatus {

  private volatile long epoch;
  private volatile String phase = "STABLE";
  private volatile int ranges;
  private volatile int rangesDone;
  private volatile long entries;
  private volatile long entriesSent;
  private volatile long bytesSent;
  private volatile long startedMillis;
  private volatile long finishedMillis;
  private volatile long dropped;
  private volatile String lastError = "";
  private volatile JsonObject drainProof;

  void installed(long newEpoch, String newPhase) {
    epoch = newEpoch;
    phase = newPhase;
  }

  void transferStarted(int rangeCount, long entryCount) {
    ranges = rangeCount;
    rangesDone = 0;
    entries = entryCount;
    entriesSent = 0;
    bytesSent = 0;
    startedMillis = System.currentTimeMillis();
    finishedMillis = 0;
    lastError = "";
  }

  void planned(long entryCount) {
    entries = entryCount;
  }

  void rangeDone() {
    rangesDone++;
  }

  void sent(long count, long bytes) {
    entriesSent += count;
    bytesSent += bytes;
  }

  void transferFinished() {
    finishedMillis = System.currentTimeMillis();
  }

  void failed(String error) {
    lastError = error;
  }

  /** The latest proof of this node's drain hand-off ({@link HandOffProof#json()}). */
  void proof(JsonObject proof) {
    drainProof = proof;
  }

  /** The latest drain proof, or null when this node has not drained. */
  public JsonObject drainProof() {
    JsonObject p = drainProof;
    return p == null ? null : p.copy();
  }

  synchronized void dropped(long count) {
    dropped += count;
  }

  /** Ranges this node streams out in the current (or last) transfer. */
  public int ranges() {
    return ranges;
  }

  public int rangesDone() {
    return rangesDone;
  }

  /** Entries this node planned to send in the current (or last) transfer. */
  public long entriesPlanned() {
    return entries;
  }

  public long entriesSent() {
    return entriesSent;
  }

  public long bytesSent() {
    return bytesSent;
  }

  /** Entries dropped, over the node's life, because a STABLE topology no longer gave them here. */
  public long entriesDropped() {
    return dropped;
  }

  public JsonObject json() {
    long end = finishedMillis > 0 ? finishedMillis : System.currentTimeMillis();
    return new JsonObject()
        .put("epoch", epoch)
        .put("phase", phase)
        .put("outgoingRanges", ranges)
        .put("outgoingRangesDone", rangesDone)
        .put("outgoingEntries", entries)
        .put("outgoingEntriesSent", entriesSent)
        .put("outgoingBytesSent", bytesSent)
        .put("transferMillis", startedMillis == 0 ? 0 : end - startedMillis)
        .put("entriesDroppedAfterStable", dropped)
        .put("lastError", lastError)
        .put("drainProof", drainProof());
  }
}
