package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.check.ConsistencyChecker;
import io.ringcache.loadtest.run.ReadWriteObserver;
import io.ringcache.loadtest.run.RunResult;
import io.ringcache.loadtest.target.Target;
import java.util.concurrent.TimeUnit;

/**
 * Feeds every acknowledged write and every read of a run to the {@link ConsistencyChecker}; at
 * the end reads every written key back through the target to count lost writes.
 */
final class CheckerObserver implements ReadWriteObserver {

  private final ConsistencyChecker checker = new ConsistencyChecker();
  private final Target target;

  CheckerObserver(Target target) {
    this.target = target;
  }

  @Override
  public void onWriteAcked(String key, long version, long ackNanos) {
    checker.recordWrite(key, version, ackNanos);
  }

  @Override
  public void onRead(String key, long version, long startNanos, long endNanos) {
    checker.recordRead(key, version == ABSENT ? ConsistencyChecker.ABSENT : version, startNanos,
        endNanos);
  }

  @Override
  public void onDelete(String key, long startNanos, long ackNanos) {
    checker.recordDelete(key, startNanos, ackNanos);
  }

  @Override
  public RunResult.Consistency totals() {
    long lost = checker.lost(key -> {
      try {
        Target.Read read = target.get(key).get(10, TimeUnit.SECONDS);
        return read == null ? ConsistencyChecker.ABSENT : read.version();
      } catch (Exception e) {
        return ConsistencyChecker.ABSENT;
      }
    }).size();
    return new RunResult.Consistency(checker.writeCount(), checker.readCount(),
        checker.violations().size(), lost);
  }
}
