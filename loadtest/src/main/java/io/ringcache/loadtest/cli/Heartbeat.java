package io.ringcache.loadtest.cli;

import io.ringcache.loadtest.run.ProgressClock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A line on the console every few seconds while a slow phase runs (nodes starting, a cluster
 * settling, the consistency read-back), so a user watching a run never faces a silent terminal
 * and wonders whether it hung. The phases themselves block in code that knows nothing of the
 * console ({@code LocalCluster.awaitReady}, the checker's read-back); this class speaks for them
 * from a daemon thread of its own and stops when closed.
 *
 * <p>A line reads {@code == starting 3 ringcache nodes: 00:06} and, when the phase can say how far
 * it got, {@code == read-back: 00:03, 8,120 of 20,000 keys}.
 */
final class Heartbeat implements AutoCloseable {

  /** How often a slow phase speaks; the run's own progress lines come every 5 s. */
  static final Duration EVERY = Duration.ofSeconds(3);

  private final String phase;
  private final Supplier<String> detail;
  private final Consumer<String> out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;

  Heartbeat(String phase, Supplier<String> detail, Consumer<String> out, Duration every) {
    this.phase = Objects.requireNonNull(phase, "phase");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.out = Objects.requireNonNull(out, "out");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every must be positive, was " + every);
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ringcache-loadtest-heartbeat");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::beat, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A heartbeat on standard output every {@link #EVERY}. */
  static Heartbeat of(String phase) {
    return new Heartbeat(phase, () -> "", System.out::println, EVERY);
  }

  /** The same, with {@code detail} (how far the phase got) appended to each line. */
  static Heartbeat of(String phase, Supplier<String> detail) {
    return new Heartbeat(phase, detail, System.out::println, EVERY);
  }

  /** {@code == phase: mm:ss} and {@code , detail} when there is one. */
  static String line(String phase, long elapsedMillis, String detail) {
    String tail = detail == null || detail.isEmpty() ? "" : ", " + detail;
    return "== " + phase + ": " + ProgressClock.time(elapsedMillis) + tail;
  }

  /** Milliseconds since this heartbeat started. */
  long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private void beat() {
    String d;
    try {
      d = detail.get();
    } catch (RuntimeException e) {
      d = "(" + e.getClass().getSimpleName() + ")";
    }
    out.accept(line(phase, elapsedMillis(), d));
  }

  /** Stops the lines; a line being printed finishes first. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
