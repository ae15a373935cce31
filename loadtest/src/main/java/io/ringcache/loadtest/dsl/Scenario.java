package io.ringcache.loadtest.dsl;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What each request does: an operation drawn by weight, a key from a {@link KeyFeeder} and, for
 * writes, a value whose size comes from {@link ValueSizes}. Immutable; every method returns a
 * copy.
 *
 * <pre>{@code
 * Scenario.mix().get(90).put(10).keys(KeyFeeder.zipfian(100_000, 0.99)).values(ValueSizes.fixed(100))
 * }</pre>
 */
public final class Scenario {

  /** Largest weight of one operation, so the sum of weights cannot overflow. */
  public static final int MAX_WEIGHT = 1_000_000;
  /** Largest {@code getAll} batch. */
  public static final int MAX_BATCH = 10_000;

  private final EnumMap<Op, Integer> weights;
  private final int batchSize;
  private final KeyFeeder keys;
  private final ValueSizes values;

  private Scenario(EnumMap<Op, Integer> weights, int batchSize, KeyFeeder keys, ValueSizes values) {
    this.weights = weights;
    this.batchSize = batchSize;
    this.keys = keys;
    this.values = values;
  }

  /** An empty mix over 10,000 uniform keys with 100-byte values; add weights with the methods. */
  public static Scenario mix() {
    return new Scenario(new EnumMap<>(Op.class), 10, KeyFeeder.uniform(10_000),
        ValueSizes.fixed(100));
  }

  public Scenario get(int weight) {
    return weight(Op.GET, weight);
  }

  public Scenario put(int weight) {
    return weight(Op.PUT, weight);
  }

  public Scenario putIfAbsent(int weight) {
    return weight(Op.PUT_IF_ABSENT, weight);
  }

  public Scenario delete(int weight) {
    return weight(Op.DELETE, weight);
  }

  /** {@code getAll} of {@code batchSize} keys drawn from the feeder, with this weight. */
  public Scenario getAll(int weight, int batchSize) {
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new IllegalArgumentException(String.format(
          "getAll batch size was %d, must be between 1 and %d", batchSize, MAX_BATCH));
    }
    Scenario s = weight(Op.GET_ALL, weight);
    return new Scenario(s.weights, batchSize, keys, values);
  }

  /** The weight of {@code op} (replacing any earlier one); 0 removes it from the mix. */
  public Scenario weight(Op op, int weight) {
    Objects.requireNonNull(op, "op");
    if (weight < 0 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException(String.format(
          "%s weight was %d, must be between 0 and %d", op.label(), weight, MAX_WEIGHT));
    }
    EnumMap<Op, Integer> copy = new EnumMap<>(weights);
    if (weight == 0) {
      copy.remove(op);
    } else {
      copy.put(op, weight);
    }
    return new Scenario(copy, batchSize, keys, values);
  }

  public Scenario keys(KeyFeeder feeder) {
    return new Scenario(weights, batchSize, Objects.requireNonNull(feeder, "keys"), values);
  }

  public Scenario values(ValueSizes sizes) {
    return new Scenario(weights, batchSize, keys, Objects.requireNonNull(sizes, "values"));
  }

  /** The weights, in {@link Op} order; empty until one is set. */
  public Map<Op, Integer> weights() {
    return Collections.unmodifiableMap(new EnumMap<>(weights));
  }

  public int batchSize() {
    return batchSize;
  }

  public KeyFeeder keys() {
    return keys;
  }

  public ValueSizes values() {
    return values;
  }

  /** Draws an operation by weight; the mix must not be empty. */
  public Op nextOp(SplittableRandom random) {
    int total = totalWeight();
    if (total == 0) {
      throw new IllegalStateException("scenario has no operations: give at least one a weight");
    }
    int r = random.nextInt(total);
    for (Map.Entry<Op, Integer> e : weights.entrySet()) {
      r -= e.getValue();
      if (r < 0) {
        return e.getKey();
      }
    }
    throw new AssertionError("weights changed while drawing");
  }

  int totalWeight() {
    int total = 0;
    for (int w : weights.values()) {
      total += w;
    }
    return total;
  }

  @Override
  public String toString() {
    return "Scenario" + weights + " keys=" + keys + " values=" + values;
  }
}
