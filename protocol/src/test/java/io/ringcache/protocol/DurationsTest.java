package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "2s, 2000", "1m, 60000", "1h, 3600000", "2S, 2000", "' 0 s ', 0",
      "90s, 90000"})
  void parse_aNumberAndAUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  /** A bare number once meant milliseconds in the node and seconds in the loadtest. */
  @ParameterizedTest
  @CsvSource({"250", "0", "' 30 '"})
  void parse_bareNumber_refusedNamingBothReadings(String text) {
    String n = text.strip();
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'%s' has no unit; write %ss or %sms (units: ms, s, m, h)", n, n, n);
  }

  @ParameterizedTest
  @CsvSource({"2x", "-1s", "1.5s", "s", "PT30S", "''"})
  void parse_notANumberAndAUnit_refusedNamingTheForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a duration, a whole number and a unit: ms, s, m or h (500ms, 2s,"
            + " 1m, 1h), was '" + text + "'");
  }

  @Test
  void parse_beyondLong_refused() {
    assertThatThrownBy(() -> Durations.parse("9223372036854775807h"))
        .hasMessage("duration is too long, was '9223372036854775807h'");
  }

  @Test
  void format_roundTripsThroughParse() {
    for (long ms : new long[] {0, 1, 999, 1000, 1500, 60_000, 90_000, 3_600_000}) {
      Duration d = Duration.ofMillis(ms);
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
  }
}
