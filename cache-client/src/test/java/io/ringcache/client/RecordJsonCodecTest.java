package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordJsonCodecTest {

  enum Color { RED, GREEN }

  record Point(int x, int y) {}

  record Everything(String s, int i, long l, double d, float f, short sh, byte b, boolean bool,
      char c, Integer boxed, BigDecimal money, BigInteger big, Color color, Instant at,
      List<Point> points, Set<String> tags, Map<String, List<Integer>> nested, Point origin) {}

  record Validated(int positive) {
    Validated {
      if (positive <= 0) {
        throw new IllegalArgumentException("positive must be > 0, was " + positive);
      }
    }
  }

  record WithObject(Object anything) {}

  record WithIntKeys(Map<Integer, String> byId) {}

  @Test
  void roundTrip_everySupportedType() {
    ValueCodec<Everything> codec = ValueCodec.json(Everything.class);
    Everything e = new Everything("héllo", -7, Long.MAX_VALUE, 0.1, 1.5f, (short) 3, (byte) -1,
        true, 'x', null, new BigDecimal("12345678901234567890.000000001"),
        new BigInteger("123456789012345678901234567890"), Color.GREEN,
        Instant.parse("2024-05-06T07:08:09.123456789Z"), List.of(new Point(1, 2)),
        Set.of("a"), Map.of("k", List.of(1, 2, 3)), new Point(0, 0));
    byte[] bytes = codec.encode(e);
    assertThat(codec.decode(bytes)).isEqualTo(e);
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .startsWith("{\"s\":\"héllo\",\"i\":-7,")
        .contains("\"money\":\"12345678901234567890.000000001\"");
  }

  @Test
  void decode_missingPropertyOfPrimitive_fails_andRecordValidationRuns() {
    ValueCodec<Point> points = ValueCodec.json(Point.class);
    assertThatThrownBy(() -> points.decode("{\"x\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Point.y");
    assertThat(points.decode("{\"x\":1,\"y\":2,\"z\":3}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Point(1, 2));
    ValueCodec<Validated> validated = ValueCodec.json(Validated.class);
    assertThatThrownBy(() -> validated.decode("{\"positive\":0}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("positive must be > 0");
    assertThatThrownBy(() -> points.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
  }

  @Test
  void unsupportedComponent_failsWhenTheCodecIsMade() {
    assertThatThrownBy(() -> ValueCodec.json(WithObject.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WithObject.anything").hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> ValueCodec.json(WithIntKeys.class))
        .hasMessageContaining("keys are not String");
  }
}
