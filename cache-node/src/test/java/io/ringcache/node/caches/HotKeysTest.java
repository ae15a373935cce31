package io.ringcache.node.caches;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.Key;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The sketch finds the keys that take a large share of requests, and only those. */
class HotKeysTest {

  @RepeatedTest(5)
  void oneKeyAtAFifthOfRequests_isReportedHot_othersAreNot() {
    HotKeys hot = new HotKeys();
    SplittableRandom rnd = new SplittableRandom(42);
    Key blazing = Key.of("blazing");
    Key warm = Key.of("orders", "warm");
    for (int i = 0; i < 200_000; i++) {
      int draw = rnd.nextInt(100);
      if (draw < 20) {
        hot.record(blazing);
      } else if (draw < 25) {
        hot.record(warm);
      } else {
        hot.record(Key.of("k" + rnd.nextInt(100_000)));
      }
    }
    hot.roll();
    assertThat(hot.top()).isNotEmpty();
    HotKeys.Hot first = hot.top().get(0);
    assertThat(first.key()).isEqualTo(blazing);
    // 20% of requests, sampled 1 in 16 (about 2,500 samples): within a few points.
    assertThat(first.share()).isBetween(0.17, 0.23);
    assertThat(first.estimatedRequests()).isBetween(34_000L, 46_000L);
    assertThat(hot.hot()).extracting(HotKeys.Hot::key).contains(blazing, warm)
        .hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aWindowWithoutTheKey_forgetsIt() {
    HotKeys hot = new HotKeys();
    for (int i = 0; i < 50_000; i++) {
      hot.record(Key.of("once-hot"));
    }
    hot.roll();
    assertThat(hot.hot()).hasSize(1);
    for (int i = 0; i < 50_000; i++) {
      hot.record(Key.of("k" + i));
    }
    hot.roll();
    assertThat(hot.hot()).isEmpty();
  }

  /**
   * A hot key whose requests halve (clients spread its reads over its owners) stays hot while it
   * keeps a quarter of the bars; a key that never was hot needs the whole bar.
   */
  @Test
  void aHotKeyThatCoolsByHalf_staysHot_aNewKeyAtTheSameRateIsNot() {
    HotKeys hot = new HotKeys();
    Key spread = Key.of("spread");
    Key fresh = Key.of("fresh");
    for (int i = 0; i < 50_000; i++) {
      hot.record(spread);
      hot.record(Key.of("k" + i));
    }
    hot.roll();
    assertThat(hot.hot()).extracting(HotKeys.Hot::key).containsExactly(spread);
    // About 1,000 requests each: under the bar of 1,600, over a quarter of it.
    for (int i = 0; i < 1_000; i++) {
      hot.record(spread);
      hot.record(fresh);
    }
    for (int i = 0; i < 20_000; i++) {
      hot.record(Key.of("k" + i));
    }
    hot.roll();
    assertThat(hot.hot()).extracting(HotKeys.Hot::key).containsExactly(spread);
    // A window without it: forgotten, and the next one needs the whole bar again.
    for (int i = 0; i < 20_000; i++) {
      hot.record(Key.of("k" + i));
    }
    hot.roll();
    assertThat(hot.hot()).isEmpty();
  }

  @Test
  void uniformLoad_hasNoHotKey() {
    HotKeys hot = new HotKeys();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      hot.record(Key.of("k" + rnd.nextInt(10_000)));
    }
    hot.roll();
    assertThat(hot.hot()).isEmpty();
  }
}
