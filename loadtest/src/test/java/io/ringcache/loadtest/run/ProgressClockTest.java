package io.ringcache.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressClockTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "12000  | 30000   | [00:12/00:30, ETA 00:18]",
      "0      | 30000   | [00:00/00:30, ETA 00:30]",
      "12999  | 30000   | [00:12/00:30, ETA 00:17]",
      "30000  | 30000   | [00:30/00:30, ETA 00:00]",
      "31500  | 30000   | [00:31/00:30, ETA 00:00]",
      "65000  | 600000  | [01:05/10:00, ETA 08:55]",
      "5000   | 7200000 | [00:05/2:00:00, ETA 1:59:55]",
      "-10    | 1000    | [00:00/00:01, ETA 00:01]",
  })
  void elapsedOfTotal_showsElapsedTotalAndWhatIsLeft(long elapsed, long total, String expected) {
    assertThat(ProgressClock.elapsedOfTotal(elapsed, total)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 00:00", "999, 00:00", "59999, 00:59", "60000, 01:00", "3599999, 59:59",
      "3600000, 1:00:00", "90061000, 25:01:01"})
  void time_minutesAndSeconds_hoursFromOneHour(long millis, String expected) {
    assertThat(ProgressClock.time(millis)).isEqualTo(expected);
  }
}
