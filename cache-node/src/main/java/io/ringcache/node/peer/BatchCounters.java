package io.ringcache.node.peer;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the replica batcher of {@link NetPeerClient} sent: frames that carried REPLICATE entries
 * and the entries they carried. Their ratio is the mean batch size; a ratio near 1 under load
 * means nothing was gathered. Shared by every event loop's client; cheap to bump from any thread.
 */
public final class BatchCounters {

  /** REPLICATE and REPLICATE_BATCH frames sent (a batch of one goes as a plain REPLICATE). */
  public final LongAdder frames = new LongAdder();
  /** REPLICATE entries those frames carried. */
  public final LongAdder entries = new LongAdder();
}
