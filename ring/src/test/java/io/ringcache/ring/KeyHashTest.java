package io.ringcache.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Pins key positions across releases: if one of these values changes, every deployed cluster
 * would look for its keys in the wrong place after an upgrade.
 */
class KeyHashTest {

  @Test
  void of_stringKeys_matchGoldenPositions() {
    assertThat(KeyHash.of("")).isEqualTo(6997219191196166367L);
    assertThat(KeyHash.of("a")).isEqualTo(558384441552575740L);
    assertThat(KeyHash.of("user:42")).isEqualTo(6709984827002850099L);
    assertThat(KeyHash.of("ringcache")).isEqualTo(-4086083148304319786L);
    assertThat(KeyHash.of("\u00e9t\u00e9-\u6771\u4eac")).isEqualTo(3946824504360139327L);
  }

  @Test
  void of_rawBytes_matchGoldenPosition() {
    assertThat(KeyHash.of(new byte[] {0, 1, 2, 3})).isEqualTo(70292827110622927L);
  }

  @Test
  void of_string_equalsHashOfItsUtf8Bytes() {
    String key = "\u00e9t\u00e9-\u6771\u4eac";
    assertThat(KeyHash.of(key)).isEqualTo(KeyHash.of(key.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void of_slice_equalsHashOfCopiedBytes() {
    byte[] frame = "xxuser:42yy".getBytes(StandardCharsets.UTF_8);
    assertThat(KeyHash.of(frame, 2, 7)).isEqualTo(KeyHash.of("user:42"));
  }

  /** Bit-for-bit Guava's murmur3_128 over every length from 0 to 200 and random contents. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
  void of_equalsGuavaMurmur3_128(long seed) {
    com.google.common.hash.HashFunction guava =
        com.google.common.hash.Hashing.murmur3_128(KeyHash.SEED);
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int length = 0; length <= 200; length++) {
      byte[] key = new byte[length];
      for (int i = 0; i < length; i++) {
        key[i] = (byte) random.nextInt(256);
      }
      assertThat(KeyHash.of(key)).as("length %d", length)
          .isEqualTo(guava.hashBytes(key).asLong());
      StringBuilder ascii = new StringBuilder();
      for (int i = 0; i < length; i++) {
        ascii.append((char) random.nextInt(128));
      }
      String s = ascii.toString();
      assertThat(KeyHash.of(s)).isEqualTo(guava.hashBytes(s.getBytes(StandardCharsets.UTF_8))
          .asLong());
      byte[] framed = new byte[length + 7];
      System.arraycopy(key, 0, framed, 3, length);
      assertThat(KeyHash.of(framed, 3, length)).isEqualTo(KeyHash.of(key));
    }
  }

  @Test
  void seed_isFixed() {
    assertThat(KeyHash.SEED).isEqualTo(0x52494E47);
  }
}
