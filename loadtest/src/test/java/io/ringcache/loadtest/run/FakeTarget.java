package io.ringcache.loadtest.run;

import io.ringcache.loadtest.targets.Target;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An in-memory {@link Target} for runner tests. Futures complete on its own executor after an
 * injectable delay; it can fail every request, never answer, or stall once (see
 * {@link #stallAtCall}), and it records the keys it was asked for.
 */
final class FakeTarget implements Target {

  /** How a stall shows. */
  enum StallMode {
    /** The call itself blocks its caller until the stall ends (a client with a full buffer). */
    BLOCK_CALLER,
    /** Calls return at once, their answers are held until the stall ends (a frozen server). */
    HOLD_ANSWERS
  }

  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "fake-target");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Read> data = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final Queue<String> keys = new ConcurrentLinkedQueue<>();
  private volatile long delayNanos;
  private volatile RuntimeException failure;
  private volatile boolean silent;
  private volatile long stallCall = -1;
  private volatile long stallNanos;
  private volatile StallMode stallMode;
  private volatile long stallUntil;

  FakeTarget delay(Duration delay) {
    this.delayNanos = delay.toNanos();
    return this;
  }

  /** Every request fails with {@code error}. */
  FakeTarget failing(RuntimeException error) {
    this.failure = error;
    return this;
  }

  /** No future ever completes: a dead target. */
  FakeTarget silent() {
    this.silent = true;
    return this;
  }

  /**
   * The call numbered {@code call} (1-based) starts a stall of {@code length}: every call arriving
   * before it ends is stalled until its end, as {@code mode} says.
   */
  FakeTarget stallAtCall(long call, Duration length, StallMode mode) {
    this.stallCall = call;
    this.stallNanos = length.toNanos();
    this.stallMode = mode;
    return this;
  }

  long calls() {
    return calls.get();
  }

  List<String> keysRequested() {
    return List.copyOf(keys);
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public CompletableFuture<Read> get(String key) {
    keys.add(key);
    return answer(() -> data.get(key));
  }

  @Override
  public CompletableFuture<Long> put(String key, byte[] value) {
    keys.add(key);
    return answer(() -> {
      long version = versions.incrementAndGet();
      data.put(key, new Read(value, version));
      return version;
    });
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] value) {
    keys.add(key);
    return answer(() -> data.putIfAbsent(key, new Read(value, versions.incrementAndGet())) == null);
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    keys.add(key);
    return answer(() -> data.remove(key) != null);
  }

  @Override
  public CompletableFuture<Map<String, Read>> getAll(List<String> batch) {
    keys.addAll(batch);
    return answer(() -> {
      Map<String, Read> found = new HashMap<>();
      for (String key : batch) {
        Read r = data.get(key);
        if (r != null) {
          found.put(key, r);
        }
      }
      return found;
    });
  }

  private <T> CompletableFuture<T> answer(Supplier<T> result) {
    long n = calls.incrementAndGet();
    long now = System.nanoTime();
    if (n == stallCall) {
      stallUntil = now + stallNanos;
    }
    long until = stallUntil;
    boolean stalled = until != 0 && now < until;
    if (stalled && stallMode == StallMode.BLOCK_CALLER) {
      // Simulated unresponsiveness of the target, not coordination: the caller is the subject.
      for (long left = until - now; left > 0; left = until - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
    }
    CompletableFuture<T> future = new CompletableFuture<>();
    if (silent) {
      return future;
    }
    Runnable complete = () -> {
      RuntimeException error = failure;
      if (error != null) {
        future.completeExceptionally(error);
      } else {
        future.complete(result.get());
      }
    };
    long delay = delayNanos;
    if (stalled && stallMode == StallMode.HOLD_ANSWERS) {
      delay = Math.max(delay, until - System.nanoTime());
    }
    if (delay <= 0) {
      executor.execute(complete);
    } else {
      executor.schedule(complete, delay, TimeUnit.NANOSECONDS);
    }
    return future;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
