package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.Status;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void forbiddenAndClockOffset_areRejections_neverRetried() {
    for (Status s : new Status[] {Status.FORBIDDEN, Status.CLOCK_OFFSET}) {
      assertThat(Errors.of(s, "why")).as(s.name()).isInstanceOf(CacheRejectedException.class);
      assertThat(Errors.notApplied(s)).as(s.name()).isFalse();
      assertThat(Errors.transientAmbiguous(s)).as(s.name()).isFalse();
      assertThat(Errors.suggestsNewLayout(s)).as(s.name()).isFalse();
    }
  }
}
