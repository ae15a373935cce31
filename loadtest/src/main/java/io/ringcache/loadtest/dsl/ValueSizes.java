package io.ringcache.loadtest.dsl;

import java.util.SplittableRandom;

/** The size in bytes of each value a write sends. */
public interface ValueSizes {

  /** Largest value size, well under the node's default value limit. */
  int MAX_BYTES = 16 * 1024 * 1024;

  /** The size of the next value. */
  int next(SplittableRandom random);

  /** The largest size {@link #next} can return. */
  int max();

  /** Every value {@code bytes} long. */
  static ValueSizes fixed(int bytes) {
    check("fixed size", bytes);
    return new ValueSizes() {
      @Override
      public int next(SplittableRandom random) {
        return bytes;
      }

      @Override
      public int max() {
        return bytes;
      }

      @Override
      public String toString() {
        return "fixed(" + bytes + ")";
      }
    };
  }

  /** Sizes uniform in {@code [min, max]}. */
  static ValueSizes uniform(int min, int max) {
    check("uniform min", min);
    check("uniform max", max);
    if (min > max) {
      throw new IllegalArgumentException(String.format(
          "uniform min was %d, must be at most max %d", min, max));
    }
    return new ValueSizes() {
      @Override
      public int next(SplittableRandom random) {
        return min + random.nextInt(max - min + 1);
      }

      @Override
      public int max() {
        return max;
      }

      @Override
      public String toString() {
        return "uniform(" + min + ", " + max + ")";
      }
    };
  }

  private static void check(String what, int bytes) {
    if (bytes < 0 || bytes > MAX_BYTES) {
      throw new IllegalArgumentException(String.format(
          "%s was %d bytes, must be between 0 and %d", what, bytes, MAX_BYTES));
    }
  }
}
