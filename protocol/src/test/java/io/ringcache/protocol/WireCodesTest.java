package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Golden values: the numeric codes are the wire contract and must never change. */
class WireCodesTest {

  @Test
  void opcodes_haveStableCodes() {
    assertThat(Arrays.stream(Opcode.values()).mapToInt(Opcode::code).toArray())
        .containsExactly(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
            0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x40, 0x41, 0x42, 0x43,
            0x44, 0x45);
    assertThat(Opcode.CLEAR_PEER.isPeerOnly()).isTrue();
    assertThat(Opcode.CACHE_CLEAR.isPeerOnly()).isFalse();
    assertThat(Opcode.REPLICATE.isPeerOnly()).isTrue();
    assertThat(Opcode.REPLICATE_BATCH.isPeerOnly()).isTrue();
    assertThat(Opcode.DIGEST_RANGES.isPeerOnly()).isTrue();
    assertThat(Opcode.RECONCILE_RANGE.isPeerOnly()).isTrue();
    assertThat(Opcode.WRITE_OUTCOMES.isPeerOnly()).isTrue();
    assertThat(Opcode.GET.isPeerOnly()).isFalse();
  }

  @Test
  void statuses_haveStableCodes() {
    for (Status s : Status.values()) {
      assertThat(s.code()).as(s.name()).isEqualTo(s.ordinal());
    }
    assertThat(Status.NOT_OWNER.code()).isEqualTo(15);
    assertThat(Status.WRONG_EPOCH.code()).isEqualTo(14);
    assertThat(Status.FORBIDDEN.code()).isEqualTo(16);
    assertThat(Status.CLOCK_OFFSET.code()).isEqualTo(17);
    assertThat(Status.STALE.code()).isEqualTo(18);
    assertThat(Status.NO_SUCH_CACHE.code()).isEqualTo(19);
    assertThat(Status.NOT_PRIMARY.code()).isEqualTo(20);
    assertThat(Status.NO_QUORUM.code()).isEqualTo(21);
  }

  @Test
  void fromCode_unknown_returnsNullWithoutThrowing() {
    assertThat(Opcode.fromCode(0)).isNull();
    assertThat(Opcode.fromCode(0x46)).isNull();
    assertThat(Opcode.fromCode(0x16)).isNull();
    assertThat(Opcode.fromCode(-1)).isNull();
    assertThat(Opcode.fromCode(256)).isNull();
    assertThat(Status.fromCode(99)).isNull();
    for (Opcode op : Opcode.values()) {
      assertThat(Opcode.fromCode(op.code())).isSameAs(op);
    }
    for (Status s : Status.values()) {
      assertThat(Status.fromCode(s.code())).isSameAs(s);
    }
  }

  @Test
  void flags_haveStableBits() {
    assertThat(new int[] {Flags.RESPONSE, Flags.FORWARDED, Flags.ANY_OWNER})
        .containsExactly(1, 2, 4);
  }

  @Test
  void limits_defaults() {
    ProtocolLimits d = ProtocolLimits.defaults();
    assertThat(d.maxKeyBytes()).isEqualTo(1024);
    assertThat(d.maxValueBytes()).isEqualTo(1 << 20);
    assertThat(d.maxFrameBytes()).isEqualTo((1 << 20) + 1024 + 65536);
    assertThat(d.maxBatchEntries()).isEqualTo(1024);
  }

  @Test
  void limits_frameTooSmallForOneSet_rejectedWithMessage() {
    assertThatThrownBy(() -> new ProtocolLimits(100, 1000, 1100, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameBytes is 1100, must be at least 1152 (maxKeyBytes + maxValueBytes"
            + " + 52) so that one maximal SET fits");
    assertThatThrownBy(() -> ProtocolLimits.of(70_000, 10))
        .hasMessage("maxKeyBytes is 70000, must be within 1..65535");
  }

  @RepeatedTest(20)
  void utf8Validator_agreesWithStrictJdkDecoder(RepetitionInfo info) {
    SplittableRandom rnd = new SplittableRandom(info.getCurrentRepetition());
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[rnd.nextInt(1, 8)];
      for (int j = 0; j < b.length; j++) {
        // Bias towards the bytes that start and continue multi-byte sequences.
        b[j] = (byte) (rnd.nextBoolean() ? 0x80 + rnd.nextInt(0x80) : rnd.nextInt(256));
      }
      assertThat(Utf8.invalidOffset(b) < 0).as(Arrays.toString(b)).isEqualTo(jdkAccepts(b));
    }
  }

  private static boolean jdkAccepts(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void key_validatesAndComparesByContent() {
    assertThat(Key.of("é")).isEqualTo(Key.of(new byte[] {(byte) 0xC3, (byte) 0xA9}));
    assertThat(Key.of("a").hashCode()).isEqualTo(Key.of("a".getBytes(StandardCharsets.UTF_8))
        .hashCode());
    assertThat(Key.of("k").position()).isEqualTo(io.ringcache.ring.KeyHash.of("k"));
    assertThatThrownBy(() -> Key.of("")).hasMessage("key must not be empty");
    assertThatThrownBy(() -> Key.of("a\uD800"))
        .hasMessage("key has an unpaired surrogate at index 1");
    assertThatThrownBy(() -> Key.of(new byte[] {'a', (byte) 0xFF}))
        .hasMessage("key is not valid UTF-8 (byte offset 1 of 2)");
  }

  @Test
  void key_copiesInput() {
    byte[] b = {'a', 'b'};
    Key k = Key.of(b);
    b[0] = 'z';

    assertThat(k.asString()).isEqualTo("ab");
  }
}
