package io.ringcache.loadtest.run;

import io.ringcache.loadtest.dsl.Injection;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The closed model: each virtual user sends a request, waits for its response, thinks, and sends
 * the next. Think times are scheduled on a {@link ScheduledExecutorService}, never slept, so a few
 * threads carry any number of users. A closed model measures latency from the actual send: a
 * slow target lowers the offered load instead of queueing it, which is the model's meaning.
 *
 * <p>Each user draws from its own random stream, split from the seed in user order; key sequence
 * numbers are shared, so {@code sequential} keys advance across users.
 */
final class ClosedLoop {

  private final Injection.Users users;
  private final long end;
  private final long maxRequests;
  private final RequestIssuer issuer;
  private final Semaphore permits;
  private final ScheduledExecutorService executor;
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong keySequence = new AtomicLong();
  private final AtomicLong stoppedAt = new AtomicLong();
  private final CountDownLatch finished;

  ClosedLoop(Injection.Users users, long t0, long maxRequests, RequestIssuer issuer,
      Semaphore permits, ScheduledExecutorService executor) {
    this.users = users;
    this.end = t0 + users.duration().toNanos();
    this.maxRequests = maxRequests;
    this.issuer = issuer;
    this.permits = permits;
    this.executor = executor;
    this.finished = new CountDownLatch(users.users());
  }

  /**
   * Starts every user and waits until all have stopped or {@code deadline} passed; returns when
   * issuing stopped, as a {@link System#nanoTime()} value.
   */
  long run(SplittableRandom root, long deadline) throws InterruptedException {
    for (int u = 0; u < users.users(); u++) {
      User user = new User(root.split());
      executor.execute(user::next);
    }
    finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    long stopped = stoppedAt.get();
    return stopped == 0 ? Math.min(System.nanoTime(), end) : stopped;
  }

  private final class User {
    private final SplittableRandom random;

    User(SplittableRandom random) {
      this.random = random;
    }

    void next() {
      long now = System.nanoTime();
      if (now >= end) {
        stop(end);
        return;
      }
      if (issued.incrementAndGet() > maxRequests) {
        stop(now);
        return;
      }
      if (!permits.tryAcquire()) {
        throw new IllegalStateException("more users than in-flight permits");
      }
      issuer.issue(issuer.nextOp(random), random, keySequence::getAndIncrement, now, this::done);
    }

    private void done() {
      permits.release();
      try {
        long think = users.thinkTime().toNanos();
        if (think == 0) {
          executor.execute(this::next);
        } else {
          executor.schedule(this::next, think, TimeUnit.NANOSECONDS);
        }
      } catch (RejectedExecutionException e) {
        stop(System.nanoTime()); // the runner gave up waiting and shut the executor down
      }
    }

    private void stop(long at) {
      stoppedAt.compareAndSet(0, at);
      finished.countDown();
    }
  }
}
