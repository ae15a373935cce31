package io.ringcache.loadtest.cli;

import io.ringcache.client.CacheClient;
import io.ringcache.loadtest.check.ConsistencyChecker;
import io.ringcache.loadtest.check.ConsistencyChecker.Outcome;
import io.ringcache.loadtest.check.ConsistencyChecker.Violation;
import io.ringcache.loadtest.run.ReadWriteObserver;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.run.WriteStamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds every write, delete and read of a run to the {@link ConsistencyChecker}. At the end it
 * waits until the cluster is stable again (every node on one epoch, STABLE), then reads every
 * owner's own copy of every key the run wrote or deleted and checks each copy: a copy that cannot
 * be read counts as lost. Prints the first violations it finds, so a failed run says what failed.
 */
final class CheckerObserver implements ReadWriteObserver {

  private static final int SHOWN = 10;

  private final ConsistencyChecker checker = new ConsistencyChecker();
  private final CacheClient client;
  private final Runnable awaitStable;

  /**
   * @param awaitStable returns once the cluster is stable after the run's changes (throws if it
   *     does not become so)
   */
  CheckerObserver(CacheClient client, Runnable awaitStable) {
    this.client = client;
    this.awaitStable = awaitStable;
  }

  @Override
  public void onWrite(String key, long writeId, long startNanos, long endNanos,
      boolean acknowledged) {
    checker.recordWrite(key, writeId, startNanos, endNanos, outcome(acknowledged));
  }

  @Override
  public void onDelete(String key, long startNanos, long endNanos, boolean acknowledged) {
    checker.recordDelete(key, startNanos, endNanos, outcome(acknowledged));
  }

  @Override
  public void onRead(String key, long writeId, long startNanos, long endNanos) {
    checker.recordRead(key, writeId, startNanos, endNanos);
  }

  @Override
  public RunResult.Consistency totals() {
    System.out.println("== waiting for the cluster to be stable before the read-back");
    try (Heartbeat beat = Heartbeat.of("waiting for a stable cluster")) {
      awaitStable.run();
    }
    AtomicInteger read = new AtomicInteger();
    AtomicInteger keys = new AtomicInteger();
    List<Violation> lost;
    try (Heartbeat beat = Heartbeat.of("read-back of every owner's copy",
        () -> String.format("%,d of %,d keys", read.get(), keys.get()))) {
      lost = checker.lost(this::copies, (done, total) -> {
        keys.set(total);
        read.set(done);
      });
      System.out.printf("== read-back: %,d keys in %.1f s, %,d lost copies%n", read.get(),
          beat.elapsedMillis() / 1000.0, lost.size());
    }
    List<Violation> stale = checker.violations();
    lost.stream().limit(SHOWN).forEach(v -> System.out.println("== lost: " + v));
    stale.stream().limit(SHOWN).forEach(v -> System.out.println("== stale read: " + v));
    return new RunResult.Consistency(checker.writeCount(), checker.readCount(), stale.size(),
        lost.size());
  }

  /** Each owner's copy of {@code key} as a write id; an unreadable key reads as one lost copy. */
  private Map<String, Long> copies(String key) {
    Map<String, Long> ids = new TreeMap<>();
    try {
      client.ownerCopies(key).toCompletableFuture().get(10, TimeUnit.SECONDS).forEach(
          (node, copy) -> ids.put(node, copy.map(v -> WriteStamp.of(v.value()))
              .orElse(ConsistencyChecker.ABSENT)));
    } catch (Exception e) {
      System.out.println("== could not read the owners' copies of '" + key + "': " + e);
      ids.put("unreadable", WriteStamp.UNSTAMPED);
    }
    return ids;
  }

  private static Outcome outcome(boolean acknowledged) {
    return acknowledged ? Outcome.ACKNOWLEDGED : Outcome.MAYBE_APPLIED;
  }
}
