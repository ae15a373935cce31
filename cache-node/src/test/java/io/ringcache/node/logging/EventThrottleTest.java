package io.ringcache.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventThrottleTest {

  @Test
  void pass_oncePerInterval_countsWhatItHeldBack() {
    AtomicLong nanos = new AtomicLong(1_000);
    EventThrottle throttle = new EventThrottle(10, nanos::get);

    assertThat(throttle.pass()).isZero();
    assertThat(throttle.pass()).isEqualTo(-1);
    assertThat(throttle.pass()).isEqualTo(-1);
    nanos.addAndGet(9_999_999);
    assertThat(throttle.pass()).isEqualTo(-1);
    nanos.addAndGet(1);
    assertThat(throttle.pass()).isEqualTo(3);
    assertThat(throttle.pass()).isEqualTo(-1);
  }
}
