package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.ChaosStep;
import io.ringcache.loadtest.dsl.Injection;
import io.ringcache.loadtest.dsl.Op;
import io.ringcache.loadtest.dsl.Simulation;
import io.ringcache.loadtest.targets.Target;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link Simulation} against a {@link Target} and returns what it measured.
 *
 * <h2>Design</h2>
 *
 * One run is four activities on their own threads: the load (an {@link OpenLoop} pacing thread,
 * or {@link ClosedLoop} users on a small scheduled pool), a ticker that closes a one-second
 * {@link RunResult.Interval} from per-operation HdrHistogram recorders and writes a console line
 * every {@link RunOptions#progressEvery()}, a chaos thread that calls the {@link ChaosHandler}
 * at each step's offset, and the completions, on whatever threads the target completes its
 * futures. The caller's thread only starts and joins them. No {@code CompletableFuture.*Async}
 * without an executor is used: on a 2-core machine the common pool has one thread.
 *
 * <h2>Bounds</h2>
 *
 * A run ends when the injection's duration passed or {@link Simulation#maxRequests()} requests
 * were sent, whichever is first. It then waits up to {@link RunOptions#drainTimeout()} for
 * requests in flight; those still outstanding count as {@code NotCompleted} errors. Requests are
 * capped at {@link RunOptions#maxInFlight()} outstanding; see {@link OpenLoop} for how the cap
 * and intended start times interact. So a run takes at most duration + 1 s + drain timeout, and
 * holds at most {@code maxInFlight} requests, whatever the target does.
 *
 * <h2>Failure</h2>
 *
 * A failed request is counted under its error type and has no latency. A chaos handler that
 * throws is recorded as an event {@code "failed: ..."}; the run goes on. Steps not reached
 * (the run ended early) are recorded as skipped.
 */
public final class Runner {

  private static final long TICK_MILLIS = 1_000;

  private Runner() {}

  /**
   * Runs {@code simulation} against {@code target} (which the caller keeps open and closes).
   *
   * @throws IllegalStateException when the simulation is incomplete
   * @throws IllegalArgumentException when closed-model users exceed the in-flight cap
   */
  public static RunResult run(Simulation simulation, Target target, RunOptions options) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(options, "options");
    simulation.validate();
    if (simulation.injection() instanceof Injection.Users users
        && users.users() > options.maxInFlight()) {
      throw new IllegalArgumentException(String.format(
          "users was %d, must be at most maxInFlight %d", users.users(), options.maxInFlight()));
    }
    return new Run(simulation, target, options).execute();
  }

  /** The state of one run. */
  private static final class Run {
    private final Simulation simulation;
    private final Target target;
    private final RunOptions options;
    private final Metrics metrics;
    private final List<RunResult.Event> events = new ArrayList<>();
    private long t0;

    Run(Simulation simulation, Target target, RunOptions options) {
      this.simulation = simulation;
      this.target = target;
      this.options = options;
      List<Op> ops = new ArrayList<>(simulation.scenario().weights().keySet());
      ops.sort(Comparator.naturalOrder());
      this.metrics = new Metrics(ops);
    }

    RunResult execute() {
      SplittableRandom random = new SplittableRandom(simulation.seed());
      RequestIssuer issuer = new RequestIssuer(target, simulation.scenario(), metrics,
          options.observer(), simulation.seed());
      Semaphore permits = new Semaphore(options.maxInFlight());
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
          daemon("ringcache-loadtest-ticker"));
      ScheduledThreadPoolExecutor chaos = new ScheduledThreadPoolExecutor(1,
          daemon("ringcache-loadtest-chaos"));
      chaos.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      long startedAt = System.currentTimeMillis();
      t0 = System.nanoTime();
      AtomicInteger ticks = new AtomicInteger();
      long progressTicks = options.progressEvery().toMillis() / TICK_MILLIS;
      ticker.scheduleAtFixedRate(() -> tick(ticks.incrementAndGet(), progressTicks),
          TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
      List<AtomicBoolean> started = scheduleChaos(chaos);

      long loadEnd = applyLoad(issuer, permits, random);
      boolean drained = drain(permits, loadEnd);
      chaos.shutdown();
      awaitQuietly(chaos, options.drainTimeout().toNanos());
      ticker.shutdownNow();
      awaitQuietly(ticker, TimeUnit.SECONDS.toNanos(1));
      if (!drained) {
        metrics.abandonInFlight();
      }
      recordSkipped(started, loadEnd);
      long last = ticks.get() * TICK_MILLIS;
      // The last interval ends no earlier than the load did: applyLoad returns the intended end,
      // which the last request (intended just before it, answered at once) may not have reached.
      long end = offsetMillis(Math.max(System.nanoTime(), loadEnd));
      metrics.snapshot(last, Math.max(last, end));
      return result(startedAt, Math.max(1, (loadEnd - t0) / 1_000_000));
    }

    private long applyLoad(RequestIssuer issuer, Semaphore permits, SplittableRandom random) {
      Injection injection = simulation.injection();
      if (injection instanceof Injection.OpenRate rate) {
        long[] end = new long[1];
        Thread scheduler = new Thread(() -> end[0] = OpenLoop.run(rate, t0,
            simulation.maxRequests(), issuer, permits, random, metrics),
            "ringcache-loadtest-scheduler");
        scheduler.start();
        joinUninterruptibly(scheduler);
        return end[0];
      }
      Injection.Users users = (Injection.Users) injection;
      ScheduledExecutorService executor = Executors.newScheduledThreadPool(
          Math.min(2, users.users()), daemon("ringcache-loadtest-users"));
      try {
        ClosedLoop loop = new ClosedLoop(users, t0, simulation.maxRequests(), issuer, permits,
            executor);
        long deadline = t0 + users.duration().toNanos() + options.drainTimeout().toNanos();
        return loop.run(random, deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return System.nanoTime();
      } finally {
        executor.shutdown();
      }
    }

    /** Waits for every request in flight: holding all permits means none is outstanding. */
    private boolean drain(Semaphore permits, long loadEnd) {
      long deadline = loadEnd + options.drainTimeout().toNanos();
      try {
        return permits.tryAcquire(options.maxInFlight(),
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    private void tick(int tick, long progressTicks) {
      metrics.snapshot((tick - 1) * TICK_MILLIS, tick * TICK_MILLIS);
      if (tick % progressTicks == 0) {
        String line = metrics.progressLine(tick * TICK_MILLIS, progressTicks * TICK_MILLIS,
            simulation.injection().duration().toMillis());
        options.progress().accept(line);
      }
    }

    private List<AtomicBoolean> scheduleChaos(ScheduledExecutorService chaos) {
      List<AtomicBoolean> started = new ArrayList<>();
      for (ChaosStep step : simulation.chaos()) {
        AtomicBoolean flag = new AtomicBoolean();
        started.add(flag);
        long delay = t0 + step.at().toNanos() - System.nanoTime();
        chaos.schedule(() -> {
          flag.set(true);
          runStep(step);
        }, Math.max(0, delay), TimeUnit.NANOSECONDS);
      }
      return started;
    }

    private void runStep(ChaosStep step) {
      long offset = offsetMillis(System.nanoTime());
      String detail;
      ChaosHandler handler = options.chaosHandler();
      if (handler == null) {
        detail = step.node() + ": skipped, no chaos handler";
      } else {
        try {
          detail = handler.run(step);
        } catch (Exception e) {
          detail = step.node() + ": failed: " + e.getClass().getSimpleName() + ": "
              + e.getMessage();
        }
      }
      addEvent(new RunResult.Event(offset, step.action().label(), detail));
    }

    private void recordSkipped(List<AtomicBoolean> started, long loadEnd) {
      for (int i = 0; i < started.size(); i++) {
        if (!started.get(i).get()) {
          ChaosStep step = simulation.chaos().get(i);
          addEvent(new RunResult.Event(step.at().toMillis(), step.action().label(),
              step.node() + ": skipped, the run ended at " + offsetMillis(loadEnd) + " ms"));
        }
      }
    }

    private void addEvent(RunResult.Event event) {
      synchronized (events) {
        events.add(event);
      }
    }

    private RunResult result(long startedAt, long durationMillis) {
      List<RunResult.OpStats> ops = new ArrayList<>();
      for (Op op : metrics.ops()) {
        ops.add(metrics.opStats(op, durationMillis));
      }
      List<RunResult.Event> sorted;
      synchronized (events) {
        sorted = new ArrayList<>(events);
      }
      sorted.sort(Comparator.comparingLong(RunResult.Event::offsetMillis));
      ReadWriteObserver observer = options.observer();
      return new RunResult(simulation.name(), target.name(), startedAt, durationMillis,
          List.copyOf(ops), metrics.timeline(), metrics.errorsByType(), List.copyOf(sorted),
          AssertionEvaluator.evaluate(simulation.assertions(), metrics, durationMillis),
          observer == null ? null : observer.totals(), null, metrics.latencyLog());
    }

    private long offsetMillis(long nanos) {
      return Math.max(0, (nanos - t0) / 1_000_000);
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        thread.interrupt(); // the pacing loop stops at its next wait
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(ScheduledExecutorService executor, long nanos) {
    try {
      executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
