package io.ringcache.loadtest.dsl;

import java.util.SplittableRandom;

/**
 * Chooses the key of each request from a key space of {@link #keyCount()} keys named
 * {@code key:0}, {@code key:1}, .... Feeders are stateless: the runner passes the random stream
 * (seeded from the simulation) and the request's sequence number, so a run with the same seed
 * asks for the same keys in the same order.
 */
public interface KeyFeeder {

  /** Largest key space, so key indexes and precomputed tables stay in range. */
  long MAX_KEYS = 1L << 40;

  /** How many distinct keys this feeder can return. */
  long keyCount();

  /** The index, in {@code [0, keyCount())}, of the key for request number {@code sequence}. */
  long nextIndex(SplittableRandom random, long sequence);

  /** The key for {@code index}. */
  static String key(long index) {
    return "key:" + index;
  }

  /** The key for request number {@code sequence}. */
  default String next(SplittableRandom random, long sequence) {
    return key(nextIndex(random, sequence));
  }

  /** Every key equally likely. */
  static KeyFeeder uniform(long keys) {
    return new Feeders.Uniform(checkKeys("uniform", keys));
  }

  /**
   * Zipf-distributed keys: the key of rank {@code k} (1-based; {@code key:0} is rank 1) has
   * probability proportional to {@code 1 / k^skew}. {@code skew} 0.99 is YCSB's default.
   */
  static KeyFeeder zipfian(long keys, double skew) {
    checkKeys("zipfian", keys);
    if (!(skew > 0 && skew <= 10)) {
      throw new IllegalArgumentException(String.format(
          "zipfian skew was %s, must be above 0 and at most 10", skew));
    }
    return new ZipfianFeeder(keys, skew);
  }

  /**
   * A hot set: the first {@code hotFraction} of the keys receive {@code hotShare} of the requests,
   * uniformly among themselves; the rest are uniform over the other keys.
   */
  static KeyFeeder hotSet(long keys, double hotFraction, double hotShare) {
    checkKeys("hotSet", keys);
    if (!(hotFraction > 0 && hotFraction < 1)) {
      throw new IllegalArgumentException(String.format(
          "hotSet hotFraction was %s, must be above 0 and below 1", hotFraction));
    }
    if (!(hotShare >= 0 && hotShare <= 1)) {
      throw new IllegalArgumentException(String.format(
          "hotSet hotShare was %s, must be between 0 and 1", hotShare));
    }
    long hot = Math.max(1, Math.round(keys * hotFraction));
    if (hot >= keys) {
      throw new IllegalArgumentException(String.format(
          "hotSet of %d keys with hotFraction %s leaves no cold key; use at least %d keys",
          keys, hotFraction, hot + 1));
    }
    return new Feeders.HotSet(keys, hot, hotShare);
  }

  /** {@code key:0}, {@code key:1}, ... in request order, wrapping after the last key. */
  static KeyFeeder sequential(long keys) {
    return new Feeders.Sequential(checkKeys("sequential", keys));
  }

  private static long checkKeys(String feeder, long keys) {
    if (keys < 1 || keys > MAX_KEYS) {
      throw new IllegalArgumentException(String.format(
          "%s key count was %d, must be between 1 and %d", feeder, keys, MAX_KEYS));
    }
    return keys;
  }
}
