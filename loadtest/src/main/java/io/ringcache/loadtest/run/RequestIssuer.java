package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.KeyFeeder;
import io.ringcache.loadtest.dsl.Op;
import io.ringcache.loadtest.dsl.Scenario;
import io.ringcache.loadtest.dsl.ValueSizes;
import io.ringcache.loadtest.targets.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Draws one request from the scenario and sends it to the target. The operation, keys and value
 * size are drawn synchronously from the caller's random stream, so a fixed seed gives the same
 * request sequence whatever the target's speed. On completion it records the latency from the
 * intended start (successes) or the error type (failures), tells the observer, then runs the
 * caller's {@code done} callback, always exactly once. While an observer is set, every value
 * written carries a {@link WriteStamp}, and failed writes and deletes are reported as maybe
 * applied.
 */
final class RequestIssuer {

  private final Target target;
  private final Scenario scenario;
  private final KeyFeeder keys;
  private final ValueSizes sizes;
  private final Metrics metrics;
  private final ReadWriteObserver observer;
  private final byte[] valuePool;
  private final WriteStamp stamps = new WriteStamp();

  RequestIssuer(Target target, Scenario scenario, Metrics metrics, ReadWriteObserver observer,
      long seed) {
    this.target = target;
    this.scenario = scenario;
    this.keys = scenario.keys();
    this.sizes = scenario.values();
    this.metrics = metrics;
    this.observer = observer;
    this.valuePool = new byte[sizes.max()];
    new SplittableRandom(seed ^ 0x5DEECE66DL).nextBytes(valuePool);
  }

  /** Draws the next operation; {@link #issue} must follow with the same random stream. */
  Op nextOp(SplittableRandom random) {
    return scenario.nextOp(random);
  }

  /**
   * Sends {@code op}, drawing its keys and value from {@code random} (key sequence numbers from
   * {@code keySequence}); latency counts from {@code intendedNanos}.
   */
  void issue(Op op, SplittableRandom random, LongSupplier keySequence, long intendedNanos,
      Runnable done) {
    metrics.issued(op);
    CompletableFuture<?> future;
    Outcome outcome;
    long start;
    try {
      switch (op) {
        case GET -> {
          String key = keys.next(random, keySequence.getAsLong());
          start = System.nanoTime();
          future = target.get(key);
          outcome = (value, end) -> read(key, (Target.Read) value, start, end);
        }
        case PUT, PUT_IF_ABSENT -> {
          String key = keys.next(random, keySequence.getAsLong());
          byte[] value = Arrays.copyOf(valuePool, sizes.next(random));
          long id = observer == null ? 0 : stamps.next();
          if (observer != null) {
            value = WriteStamp.stamp(value, id);
          }
          start = System.nanoTime();
          boolean ifAbsent = op == Op.PUT_IF_ABSENT;
          future = ifAbsent ? target.putIfAbsent(key, value) : target.put(key, value);
          outcome = observer == null ? null : new Outcome() {
            @Override
            public void accept(Object result, long end) {
              if (!ifAbsent || (Boolean) result) {
                observer.onWrite(key, id, start, end, true);
              }
            }

            @Override
            public void failed(long end) {
              observer.onWrite(key, id, start, end, false);
            }
          };
        }
        case DELETE -> {
          String key = keys.next(random, keySequence.getAsLong());
          start = System.nanoTime();
          future = target.delete(key);
          outcome = observer == null ? null : new Outcome() {
            @Override
            public void accept(Object existed, long end) {
              observer.onDelete(key, start, end, true);
            }

            @Override
            public void failed(long end) {
              observer.onDelete(key, start, end, false);
            }
          };
        }
        case GET_ALL -> {
          List<String> batch = new ArrayList<>(scenario.batchSize());
          for (int i = 0; i < scenario.batchSize(); i++) {
            batch.add(keys.next(random, keySequence.getAsLong()));
          }
          start = System.nanoTime();
          future = target.getAll(batch);
          outcome = (found, end) -> {
            Map<?, ?> map = (Map<?, ?>) found;
            for (String key : batch) {
              read(key, (Target.Read) map.get(key), start, end);
            }
          };
        }
        default -> throw new AssertionError(op);
      }
      if (future == null) {
        throw new NullPointerException(target.name() + " returned no future for " + op.label());
      }
    } catch (RuntimeException e) {
      // The contract says targets return failed futures; one that throws is counted the same way.
      complete(op, intendedNanos, null, e, null, done);
      return;
    }
    future.whenComplete((value, error) -> complete(op, intendedNanos, value, error, outcome, done));
  }

  private void complete(Op op, long intendedNanos, Object value, Throwable error,
      Outcome outcome, Runnable done) {
    long end = System.nanoTime();
    try {
      if (error == null) {
        metrics.success(op, end - intendedNanos);
        if (outcome != null) {
          outcome.accept(value, end);
        }
      } else {
        metrics.failure(op, error);
        if (outcome != null) {
          outcome.failed(end);
        }
      }
    } finally {
      done.run();
    }
  }

  private void read(String key, Target.Read read, long start, long end) {
    if (observer != null) {
      observer.onRead(key, read == null ? ReadWriteObserver.ABSENT : WriteStamp.of(read.value()),
          start, end);
    }
  }

  /** What to tell the observer about a request that ended. */
  @FunctionalInterface
  private interface Outcome {
    void accept(Object value, long endNanos);

    /** The request failed; reads report nothing, writes report a maybe-applied write. */
    default void failed(long endNanos) {}
  }
}
