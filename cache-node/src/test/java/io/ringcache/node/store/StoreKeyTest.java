package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.protocol.Key;
import io.ringcache.ring.KeyHash;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packed (up to 16 bytes) and array keys behave as their bytes, whatever the form. */
class StoreKeyTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomKeys_equalExactlyWhenBytesEqual_roundTripBytesAndPosition(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 2_000; i++) {
      byte[] a = new byte[random.nextInt(41)];
      random.nextBytes(a);
      byte[] b = random.nextInt(4) == 0 ? a.clone() : mutate(a, random);
      StoreKey ka = StoreKey.of(a);
      StoreKey kb = StoreKey.of(b);

      assertThat(ka.bytes()).isEqualTo(a);
      assertThat(ka.length()).isEqualTo(a.length);
      assertThat(ka.position()).isEqualTo(KeyHash.of(a));
      assertThat(ka.equals(kb)).as("%s vs %s", Arrays.toString(a), Arrays.toString(b))
          .isEqualTo(Arrays.equals(a, b));
      if (Arrays.equals(a, b)) {
        assertThat(ka.hashCode()).isEqualTo(kb.hashCode());
      }
    }
  }

  @Test
  void sixteenAndSeventeenBytes_switchForm_keepBehaviour() {
    byte[] sixteen = "0123456789abcdef".getBytes();
    byte[] seventeen = "0123456789abcdefg".getBytes();
    assertThat(StoreKey.wrap(sixteen)).isInstanceOf(StoreKey.Packed.class);
    assertThat(StoreKey.wrap(seventeen)).isInstanceOf(StoreKey.Array.class);
    assertThat(StoreKey.wrap(sixteen)).isNotEqualTo(StoreKey.wrap(seventeen));
    assertThat(StoreKey.wrap(seventeen).bytes()).isEqualTo(seventeen);
  }

  @Test
  void trailingZeroBytes_areNotPadding() {
    assertThat(StoreKey.of(new byte[] {1})).isNotEqualTo(StoreKey.of(new byte[] {1, 0}));
    assertThat(StoreKey.of(new byte[0])).isNotEqualTo(StoreKey.of(new byte[] {0}));
    assertThat(StoreKey.of(new byte[] {1, 0}).bytes()).containsExactly(1, 0);
  }

  @Test
  void bytes_isACopy_ofAnArrayKeyToo() {
    byte[] long17 = "0123456789abcdefg".getBytes();
    StoreKey key = StoreKey.of(long17);
    key.bytes()[0] = 'X';
    long17[1] = 'Y';
    assertThat(key.bytes()).isEqualTo("0123456789abcdefg".getBytes());
  }

  @Test
  void requestPathKey_equalsStoredKey_samePosition() {
    Key key = Key.of("user:42");
    StoreKey fromRequest = StoreKey.wrap(key.toBytes());
    assertThat(fromRequest).isEqualTo(StoreKey.of("user:42"));
    assertThat(fromRequest.position()).isEqualTo(key.position());
  }

  /** 100,000 similar packed keys spread over hash codes: few collisions. */
  @Test
  void similarKeys_spreadOverHashCodes() {
    Set<Integer> codes = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      codes.add(StoreKey.of(String.format("key:%08d", i)).hashCode());
    }
    assertThat(codes.size()).isGreaterThan(99_000);
  }

  private static byte[] mutate(byte[] a, SplittableRandom random) {
    byte[] b = Arrays.copyOf(a, random.nextInt(3) == 0 ? a.length + 1 : a.length);
    if (b.length > 0) {
      b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return b;
  }
}
