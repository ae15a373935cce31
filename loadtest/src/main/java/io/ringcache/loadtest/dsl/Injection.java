package io.ringcache.loadtest.dsl;

import java.time.Duration;
import java.util.Objects;

/**
 * How load arrives. {@link OpenRate} is an open model: requests arrive on a schedule whatever
 * the target does, and each request's latency counts from its scheduled (intended) start.
 * {@link Users} is a closed model: each virtual user sends its next request only after the
 * previous one completed and a think time passed, so a slow target lowers the load.
 */
public sealed interface Injection permits Injection.OpenRate, Injection.Users {

  /** Longest run. */
  Duration MAX_DURATION = Duration.ofHours(24);
  /** Highest open-model rate, per second. */
  double MAX_RATE = 10_000_000;
  /** Most closed-model users. */
  int MAX_USERS = 100_000;

  /** How long load is applied. */
  Duration duration();

  /** {@code perSecond} requests per second, evenly spaced, for {@code duration}. */
  static OpenRate constantRate(double perSecond, Duration duration) {
    return new OpenRate(perSecond, perSecond, duration);
  }

  /** A rate growing (or falling) linearly from {@code fromPerSecond} to {@code toPerSecond}. */
  static OpenRate rampRate(double fromPerSecond, double toPerSecond, Duration duration) {
    return new OpenRate(fromPerSecond, toPerSecond, duration);
  }

  /** {@code users} virtual users, each waiting {@code thinkTime} after each response. */
  static Users users(int users, Duration duration, Duration thinkTime) {
    return new Users(users, duration, thinkTime);
  }

  /**
   * An open model whose rate moves linearly from {@code fromPerSecond} to {@code toPerSecond}
   * over {@code duration}; the {@code i}-th request is due when the integral of the rate reaches
   * {@code i}.
   */
  record OpenRate(double fromPerSecond, double toPerSecond, Duration duration)
      implements Injection {

    public OpenRate {
      checkRate("rate from", fromPerSecond);
      checkRate("rate to", toPerSecond);
      if (fromPerSecond == 0 && toPerSecond == 0) {
        throw new IllegalArgumentException("rate was 0 from start to end, must be above 0 somewhere");
      }
      checkDuration("rate duration", duration);
    }

    /** How many requests the schedule holds (those due before the end). */
    public long totalRequests() {
      double expected = (fromPerSecond + toPerSecond) / 2 * seconds();
      return (long) Math.ceil(expected);
    }

    /**
     * When request {@code i} (0-based) is due, in nanoseconds from the start, or -1 when it is
     * not in the schedule.
     */
    public long offsetNanos(long i) {
      if (i < 0 || i >= totalRequests()) {
        return -1;
      }
      double d = seconds();
      double a = (toPerSecond - fromPerSecond) / (2 * d); // N(t) = a t^2 + from t
      double t;
      if (Math.abs(a) < 1e-12) {
        t = i / fromPerSecond;
      } else {
        double disc = fromPerSecond * fromPerSecond + 4 * a * i;
        t = (-fromPerSecond + Math.sqrt(Math.max(0, disc))) / (2 * a);
      }
      long nanos = (long) (t * 1e9);
      return nanos < duration.toNanos() ? Math.max(0, nanos) : -1;
    }

    private double seconds() {
      return duration.toNanos() / 1e9;
    }
  }

  /** A closed model: {@code users} concurrent users, each pausing {@code thinkTime}. */
  record Users(int users, Duration duration, Duration thinkTime) implements Injection {

    public Users {
      if (users < 1 || users > MAX_USERS) {
        throw new IllegalArgumentException(String.format(
            "users was %d, must be between 1 and %d", users, MAX_USERS));
      }
      checkDuration("users duration", duration);
      Objects.requireNonNull(thinkTime, "thinkTime");
      if (thinkTime.isNegative() || thinkTime.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(String.format(
            "think time was %s, must be between 0 and %s", thinkTime, MAX_DURATION));
      }
    }
  }

  private static void checkRate(String what, double perSecond) {
    if (!(perSecond >= 0 && perSecond <= MAX_RATE)) {
      throw new IllegalArgumentException(String.format(
          "%s was %s per second, must be between 0 and %s", what, perSecond, MAX_RATE));
    }
  }

  private static void checkDuration(String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(String.format(
          "%s was %s, must be above 0 and at most %s", what, duration, MAX_DURATION));
    }
  }
}
