package io.ringcache.node.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.ringcache.protocol.Request.WriteOutcome;
import io.ringcache.protocol.WriteId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The outcomes of recent writes that carried a {@link WriteId}, so that a retry of one is answered
 * by its first outcome instead of being applied again.
 *
 * <h2>Design</h2>
 * A client resends a write whose answer it did not get, or got as "maybe applied" (a replica was
 * busy, the coordinating owner died). For a SET ALWAYS that is harmless; for an INCREMENT it
 * counts twice, and a put-if-absent or compare-and-set would report its own success as a
 * conflict. So the coordinating owner records each such write's outcome here as soon as its store
 * applied it, before replicating, and replicas record the outcome the coordinator sends along
 * with the entry: whichever owner coordinates the key when the retry arrives (the same one, or a
 * replica promoted by a crash or a rebalance) finds it. Writes that changed nothing (a conflict,
 * a version mismatch) are not recorded: applying them again changes nothing either.
 *
 * <p>An outcome keeps the key's ring position, so an id presented for another key is not taken
 * for a retry. It is kept for {@code retention} (longer than a client's whole retry budget) and
 * at most {@code capacity} outcomes are kept per node (the least recently written go first): the
 * bound is on memory, about {@value #BYTES_PER_OUTCOME} bytes per outcome. A client that floods a
 * node with writes shortens how long other clients' retries are recognised, never more. A retry
 * that arrives after its outcome was dropped is applied again, as without write ids.
 *
 * <p>A range transfer carries the outcomes its source holds for the keys it sent ({@link #adopt}
 * on the receiver, after the entries), so that an owner that received a key by transfer, and
 * then coordinates it, recognises a resend of a write whose effect came with the key.
 *
 * <h2>Concurrency</h2>
 * Thread-safe (a Caffeine cache); shared by the event loops of the node.
 */
public final class WriteLog {

  /** Heap cost of one outcome: Caffeine node, two records, key boxing; rounded up. */
  public static final int BYTES_PER_OUTCOME = 160;

  /** Default number of outcomes kept: about 10 MiB. */
  public static final int DEFAULT_CAPACITY = 65_536;

  /** Default time an outcome is kept; a client's default retry budget is well under a minute. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(2);

  /**
   * What a write answered.
   *
   * @param position ring position of the key written
   * @param kind what kind of answer it was
   * @param version version of the entry it wrote (moved on by re-stamps)
   * @param counter the counter's new value, for {@link WriteOutcome#COUNTED}
   */
  public record Outcome(long position, WriteOutcome kind, long version, long counter) {
    public Outcome {
      Objects.requireNonNull(kind, "kind");
      if (kind == WriteOutcome.NONE) {
        throw new IllegalArgumentException("an outcome cannot be NONE");
      }
    }

    /** This outcome under the version a re-stamp gave the write. */
    public Outcome withVersion(long newVersion) {
      return new Outcome(position, kind, newVersion, counter);
    }
  }

  private final Cache<WriteId, Outcome> outcomes;

  public WriteLog(int capacity, Duration retention, Ticker ticker) {
    if (capacity < 0) {
      throw new IllegalArgumentException(
          "write log capacity must be >= 0 (0 = off), was " + capacity);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("write log retention must be > 0, was " + retention);
    }
    this.outcomes = Caffeine.newBuilder()
        .maximumSize(capacity)
        .expireAfterWrite(retention)
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  /** A log with the default bounds on the system clock. */
  public static WriteLog withDefaults() {
    return new WriteLog(DEFAULT_CAPACITY, DEFAULT_RETENTION, Ticker.systemTicker());
  }

  /** The outcome recorded for {@code id} on the key at {@code position}, or {@code null}. */
  public Outcome find(WriteId id, long position) {
    if (id.isNone()) {
      return null;
    }
    Outcome o = outcomes.getIfPresent(id);
    return o != null && o.position() == position ? o : null;
  }

  /**
   * Records that the write {@code id} answered {@code kind} with the entry {@code written}; for
   * {@link WriteOutcome#COUNTED} the entry's value is the counter. Ids of {@link WriteId#NONE}
   * and counters that do not parse are not recorded.
   */
  public void record(WriteId id, long position, WriteOutcome kind, ReplicaEntry written) {
    if (id.isNone() || kind == WriteOutcome.NONE) {
      return;
    }
    long counter = 0;
    if (kind == WriteOutcome.COUNTED) {
      if (written.tombstone()) {
        return;
      }
      try {
        counter = Long.parseLong(new String(written.value(), StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        return;
      }
    }
    outcomes.put(id, new Outcome(position, kind, written.version(), counter));
  }

  /**
   * Records {@code outcome} for {@code id} unless an outcome is recorded for it already (this
   * node's own record, from the write itself or its REPLICATE, is as good). For outcomes that
   * arrive with a range transfer. Returns whether it was recorded.
   */
  public boolean adopt(WriteId id, Outcome outcome) {
    if (id.isNone()) {
      return false;
    }
    return outcomes.asMap().putIfAbsent(id, outcome) == null;
  }

  /**
   * Calls {@code action} with every outcome held (weakly consistent: outcomes recorded meanwhile
   * may or may not be seen). A full pass over at most {@code capacity} outcomes: run it off the
   * event loop.
   */
  public void forEach(BiConsumer<WriteId, Outcome> action) {
    outcomes.asMap().forEach(action);
  }

  /** Moves the recorded outcome of {@code id} to the version a re-stamp gave the write. */
  public void restamped(WriteId id, long newVersion) {
    if (!id.isNone()) {
      outcomes.asMap().computeIfPresent(id, (k, o) -> o.withVersion(newVersion));
    }
  }

  /** Runs pending evictions now (tests; the cache otherwise does it as it is used). */
  void cleanUp() {
    outcomes.cleanUp();
  }

  /** Estimated number of outcomes held. */
  public long size() {
    return outcomes.estimatedSize();
  }
}
