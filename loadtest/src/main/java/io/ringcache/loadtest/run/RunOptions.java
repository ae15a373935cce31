package io.ringcache.loadtest.run;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the runner runs a simulation (as opposed to what it runs): in-flight cap, console sink,
 * chaos handler, consistency observer, drain timeout. Build with {@link #builder()};
 * {@link #defaults()} has a 1024 in-flight cap, no console, no chaos handler, no observer.
 */
public final class RunOptions {

  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
  public static final int MAX_IN_FLIGHT_LIMIT = 1_000_000;
  public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_DRAIN_TIMEOUT = Duration.ofMinutes(10);

  private final int maxInFlight;
  private final Consumer<String> progress;
  private final Duration progressEvery;
  private final ChaosHandler chaosHandler;
  private final ReadWriteObserver observer;
  private final Duration drainTimeout;

  private RunOptions(Builder b) {
    this.maxInFlight = b.maxInFlight;
    this.progress = b.progress;
    this.progressEvery = b.progressEvery;
    this.chaosHandler = b.chaosHandler;
    this.observer = b.observer;
    this.drainTimeout = b.drainTimeout;
  }

  public static RunOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Most requests outstanding at once; further requests wait for one to complete. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Where console progress lines go. */
  public Consumer<String> progress() {
    return progress;
  }

  /** How often a progress line is written (whole seconds). */
  public Duration progressEvery() {
    return progressEvery;
  }

  /** The chaos handler, or {@code null}: steps are then recorded as skipped. */
  public ChaosHandler chaosHandler() {
    return chaosHandler;
  }

  /** The read/write observer, or {@code null}. */
  public ReadWriteObserver observer() {
    return observer;
  }

  /** How long the runner waits, after the load stops, for requests in flight to complete. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** Builder; every setter validates at once. */
  public static final class Builder {
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Consumer<String> progress = line -> {};
    private Duration progressEvery = DEFAULT_PROGRESS_EVERY;
    private ChaosHandler chaosHandler;
    private ReadWriteObserver observer;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder() {}

    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT_LIMIT) {
        throw new IllegalArgumentException(String.format(
            "maxInFlight was %d, must be between 1 and %d", maxInFlight, MAX_IN_FLIGHT_LIMIT));
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder progress(Consumer<String> sink) {
      this.progress = Objects.requireNonNull(sink, "progress");
      return this;
    }

    public Builder progressEvery(Duration every) {
      Objects.requireNonNull(every, "progressEvery");
      if (every.toMillis() < 1_000 || every.toMillis() % 1_000 != 0
          || every.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(String.format(
            "progressEvery was %s, must be whole seconds between 1 s and 1 h", every));
      }
      this.progressEvery = every;
      return this;
    }

    public Builder chaosHandler(ChaosHandler handler) {
      this.chaosHandler = Objects.requireNonNull(handler, "chaosHandler");
      return this;
    }

    public Builder observer(ReadWriteObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    public Builder drainTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "drainTimeout");
      if (timeout.isNegative() || timeout.compareTo(MAX_DRAIN_TIMEOUT) > 0) {
        throw new IllegalArgumentException(String.format(
            "drainTimeout was %s, must be between 0 and %s", timeout, MAX_DRAIN_TIMEOUT));
      }
      this.drainTimeout = timeout;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
