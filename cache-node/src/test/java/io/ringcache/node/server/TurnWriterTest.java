package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TurnWriterTest {

  @ParameterizedTest(name = "after {0} bytes: {1}")
  @CsvSource({
      "0, 256",        // an idle turn: the smallest buffer
      "80, 256",       // 16 SET answers
      "255, 256",
      "256, 512",      // exactly full: room to grow next time
      "1700, 2048",    // 16 GET answers of 100 bytes
      "40000, 65536",
      "65536, 65536",
      "70000, 65536",  // never above the flush threshold
      "2147483647, 65536"})
  void nextCapacity_isThePowerOfTwoAboveTheLastTurnWithinBounds(int lastLength, int expected) {
    assertThat(TurnWriter.nextCapacity(lastLength)).isEqualTo(expected);
  }
}
