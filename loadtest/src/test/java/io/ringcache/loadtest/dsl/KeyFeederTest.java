package io.ringcache.loadtest.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class KeyFeederTest {

  private static final long SEED = 42;

  /**
   * Chi-square over log2-spaced rank bins (1, 2, 3-4, 5-8, ...) against the exact Zipf mass
   * {@code k^-s / H(n, s)}; plus each of the ten hottest ranks within 4.5 standard deviations.
   */
  @ParameterizedTest
  @CsvSource({"1000, 0.99", "1000, 0.5", "100000, 1.2", "50, 2.0"})
  void zipfian_fixedSeed_matchesZipfMass(long n, double skew) {
    int samples = 400_000;
    KeyFeeder feeder = KeyFeeder.zipfian(n, skew);
    long[] counts = new long[(int) Math.min(n, 1 << 20)];
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < samples; i++) {
      long index = feeder.nextIndex(random, i);
      assertThat(index).isBetween(0L, n - 1);
      counts[(int) index]++;
    }
    double[] mass = new double[(int) n];
    double norm = 0;
    for (int k = 1; k <= n; k++) {
      mass[k - 1] = Math.pow(k, -skew);
      norm += mass[k - 1];
    }
    for (int k = 0; k < n; k++) {
      mass[k] /= norm;
    }
    for (int k = 0; k < Math.min(10, n); k++) {
      double expected = samples * mass[k];
      double sigma = Math.sqrt(samples * mass[k] * (1 - mass[k]));
      assertThat((double) counts[k]).as("rank %d of zipfian(%d, %s)", k + 1, n, skew)
          .isBetween(expected - 4.5 * sigma, expected + 4.5 * sigma);
    }
    List<long[]> bins = new ArrayList<>();
    for (long lo = 1; lo <= n; lo *= 2) {
      bins.add(new long[] {lo, Math.min(n, 2 * lo - 1)});
    }
    double chi2 = 0;
    int usable = 0;
    for (long[] bin : bins) {
      double expected = 0;
      long observed = 0;
      for (long k = bin[0]; k <= bin[1]; k++) {
        expected += samples * mass[(int) (k - 1)];
        observed += counts[(int) (k - 1)];
      }
      if (expected >= 5) {
        chi2 += (observed - expected) * (observed - expected) / expected;
        usable++;
      }
    }
    assertThat(usable).isGreaterThan(3);
    assertThat(chi2).as("chi-square over %d bins", usable)
        .isLessThan(chiSquareQuantile999(usable - 1));
  }

  @Test
  void zipfian_higherSkew_concentratesOnHotKeys() {
    double lowShare = topShare(KeyFeeder.zipfian(10_000, 0.5), 100);
    double highShare = topShare(KeyFeeder.zipfian(10_000, 1.2), 100);
    assertThat(highShare).isGreaterThan(lowShare + 0.3);
  }

  @Test
  void sequential_wrapsAfterLastKey() {
    KeyFeeder feeder = KeyFeeder.sequential(3);
    SplittableRandom random = new SplittableRandom(SEED);
    List<String> keys = new ArrayList<>();
    for (long s = 0; s < 7; s++) {
      keys.add(feeder.next(random, s));
    }
    assertThat(keys).containsExactly("key:0", "key:1", "key:2", "key:0", "key:1", "key:2",
        "key:0");
  }

  @Test
  void hotSet_hotKeysGetTheirShare_coldKeysUniform() {
    KeyFeeder feeder = KeyFeeder.hotSet(1_000, 0.1, 0.9);
    SplittableRandom random = new SplittableRandom(SEED);
    int samples = 200_000;
    long hot = 0;
    long coldLowHalf = 0;
    for (int i = 0; i < samples; i++) {
      long index = feeder.nextIndex(random, i);
      assertThat(index).isBetween(0L, 999L);
      if (index < 100) {
        hot++;
      } else if (index < 550) {
        coldLowHalf++;
      }
    }
    double sigma = Math.sqrt(samples * 0.9 * 0.1);
    assertThat((double) hot).isBetween(samples * 0.9 - 4.5 * sigma, samples * 0.9 + 4.5 * sigma);
    long cold = samples - hot;
    double coldSigma = Math.sqrt(cold * 0.25);
    assertThat((double) coldLowHalf).isBetween(cold / 2.0 - 4.5 * coldSigma,
        cold / 2.0 + 4.5 * coldSigma);
  }

  @Test
  void uniform_staysInRange_meanNearMiddle() {
    KeyFeeder feeder = KeyFeeder.uniform(1_000);
    SplittableRandom random = new SplittableRandom(SEED);
    int samples = 100_000;
    double sum = 0;
    for (int i = 0; i < samples; i++) {
      long index = feeder.nextIndex(random, i);
      assertThat(index).isBetween(0L, 999L);
      sum += index;
    }
    double sigmaOfMean = Math.sqrt((1_000.0 * 1_000 - 1) / 12 / samples);
    assertThat(sum / samples).isBetween(499.5 - 4.5 * sigmaOfMean, 499.5 + 4.5 * sigmaOfMean);
  }

  @Test
  void feeders_sameSeed_sameKeys() {
    KeyFeeder feeder = KeyFeeder.zipfian(1_000, 0.99);
    SplittableRandom a = new SplittableRandom(7);
    SplittableRandom b = new SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      assertThat(feeder.next(a, i)).isEqualTo(feeder.next(b, i));
    }
  }

  @Test
  void invalidArguments_messagesNameValueAndLimit() {
    assertThatThrownBy(() -> KeyFeeder.zipfian(0, 0.99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0").hasMessageContaining("between 1 and");
    assertThatThrownBy(() -> KeyFeeder.zipfian(10, 0))
        .hasMessageContaining("skew was 0.0").hasMessageContaining("above 0");
    assertThatThrownBy(() -> KeyFeeder.hotSet(100, 1.5, 0.5))
        .hasMessageContaining("hotFraction was 1.5").hasMessageContaining("below 1");
    assertThatThrownBy(() -> KeyFeeder.hotSet(100, 0.5, -0.1))
        .hasMessageContaining("hotShare was -0.1");
    assertThatThrownBy(() -> KeyFeeder.uniform(-5)).hasMessageContaining("was -5");
  }

  /** Wilson-Hilferty approximation of the 0.999 quantile of chi-square with {@code df} df. */
  private static double chiSquareQuantile999(int df) {
    double z = 3.090;
    double a = 2.0 / (9 * df);
    return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
  }

  private static double topShare(KeyFeeder feeder, long top) {
    SplittableRandom random = new SplittableRandom(SEED);
    int samples = 100_000;
    long hits = 0;
    for (int i = 0; i < samples; i++) {
      if (feeder.nextIndex(random, i) < top) {
        hits++;
      }
    }
    return (double) hits / samples;
  }
}
