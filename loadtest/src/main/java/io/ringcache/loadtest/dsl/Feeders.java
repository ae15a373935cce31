package io.ringcache.loadtest.dsl;

import java.util.SplittableRandom;

/** The simple {@link KeyFeeder}s; {@link ZipfianFeeder} has its own file. */
final class Feeders {

  private Feeders() {}

  record Uniform(long keyCount) implements KeyFeeder {
    @Override
    public long nextIndex(SplittableRandom random, long sequence) {
      return random.nextLong(keyCount);
    }

    @Override
    public String toString() {
      return "uniform(" + keyCount + ")";
    }
  }

  record Sequential(long keyCount) implements KeyFeeder {
    @Override
    public long nextIndex(SplittableRandom random, long sequence) {
      return Math.floorMod(sequence, keyCount);
    }

    @Override
    public String toString() {
      return "sequential(" + keyCount + ")";
    }
  }

  /** Keys {@code [0, hotKeys)} are hot. */
  record HotSet(long keyCount, long hotKeys, double hotShare) implements KeyFeeder {
    @Override
    public long nextIndex(SplittableRandom random, long sequence) {
      if (random.nextDouble() < hotShare) {
        return random.nextLong(hotKeys);
      }
      return hotKeys + random.nextLong(keyCount - hotKeys);
    }

    @Override
    public String toString() {
      return "hotSet(" + keyCount + ", hot " + hotKeys + ", share " + hotShare + ")";
    }
  }
}
