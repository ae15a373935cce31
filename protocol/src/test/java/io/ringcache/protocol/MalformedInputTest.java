package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.buffer.Buffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bodies the encoder would never produce, decoded as a node would decode a hostile client's. */
class MalformedInputTest {

  private static final ProtocolLimits LIMITS = ProtocolLimits.defaults();
  private static final FrameCodec CODEC = new FrameCodec(LIMITS);

  private static ProtocolException rejectRequest(int opcode, Buffer body) {
    Frame frame = Samples.parseOne(Samples.rawFrame(opcode, 0, 0, 606, 1, body), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeRequest(frame));
    assertThat(e).as("decoding should fail").isNotNull();
    assertThat(e.isFatal()).isFalse();
    assertThat(e.requestId()).isEqualTo(606);
    assertThat(e.opcodeCode()).isEqualTo(opcode);
    return e;
  }

  private static Buffer keyBody(byte[] key) {
    return Buffer.buffer().appendUnsignedShort(key.length).appendBytes(key);
  }

  @Test
  void unknownOpcode_rejectedWithUnknownOp() {
    ProtocolException e = rejectRequest(0x3F, Buffer.buffer());

    assertThat(e.status()).isEqualTo(Status.UNKNOWN_OP);
    assertThat(e.getMessage()).isEqualTo("unknown opcode 0x3f");
  }

  static Stream<Arguments> badUtf8Keys() {
    return Stream.of(
        Arguments.of("lone continuation", new byte[] {'a', (byte) 0x80}),
        Arguments.of("overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF}),
        Arguments.of("overlong 3-byte", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}),
        Arguments.of("surrogate D800", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
        Arguments.of("above U+10FFFF",
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
        Arguments.of("truncated 3-byte", new byte[] {'x', (byte) 0xE2, (byte) 0x82}),
        Arguments.of("0xFF inside", new byte[] {'a', (byte) 0xFF}),
        Arguments.of("bad UTF-8 after a cache name",
            new byte[] {(byte) 0xFF, 'c', (byte) 0xFF, (byte) 0xC0, (byte) 0xAF}));
  }

  static Stream<Arguments> badQualifiers() {
    return Stream.of(
        Arguments.of("0xFF alone", new byte[] {(byte) 0xFF}),
        Arguments.of("no closing mark", new byte[] {(byte) 0xFF, 'c', 'k'}),
        Arguments.of("empty name", new byte[] {(byte) 0xFF, (byte) 0xFF, 'k'}),
        Arguments.of("empty key", new byte[] {(byte) 0xFF, 'c', (byte) 0xFF}),
        Arguments.of("name not UTF-8", new byte[] {(byte) 0xFF, (byte) 0xC0, (byte) 0xFF, 'k'}),
        Arguments.of("names the default cache", new byte[] {(byte) 0xFF, 'd', 'e', 'f', 'a', 'u',
            'l', 't', (byte) 0xFF, 'k'}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badQualifiers")
  void keyWithMalformedCacheName_rejectedWithBadRequest(String name, byte[] key) {
    ProtocolException e = rejectRequest(Opcode.GET.code(), keyBody(key));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).startsWith("key opens a cache name");
  }

  @org.junit.jupiter.api.Test
  void qualifiedKey_limitCountsTheKeyOnly() {
    FrameCodec codec = new FrameCodec(ProtocolLimits.of(4, 1024));
    Key fits = Key.of("a-rather-long-cache-name", "abcd");
    Buffer wire = codec.encodeRequest(1, 0, 0, new Request.Get(fits));
    assertThat(codec.decodeRequest(Samples.parseOne(wire, codec.limits())))
        .isEqualTo(new Request.Get(fits));
    assertThat(fits.cacheName()).isEqualTo("a-rather-long-cache-name");
    assertThat(fits.asString()).isEqualTo("abcd");
    assertThat(fits).isNotEqualTo(Key.of("abcd"));
    assertThat(fits.position()).isNotEqualTo(Key.of("abcd").position());
    assertThatThrownBy(() -> codec.encodeRequest(1, 0, 0,
        new Request.Get(Key.of("c", "abcde"))))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("key is 5 bytes, limit is 4 (maxKeyBytes)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUtf8Keys")
  void keyNotUtf8_rejectedWithBadRequest(String name, byte[] key) {
    ProtocolException e = rejectRequest(Opcode.GET.code(), keyBody(key));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).startsWith("key is not valid UTF-8");
  }

  @Test
  void keyOverLimit_rejectedWithKeyTooLarge() {
    ProtocolException e = rejectRequest(Opcode.GET.code(), keyBody(new byte[2048]));

    assertThat(e.status()).isEqualTo(Status.KEY_TOO_LARGE);
    assertThat(e.getMessage()).isEqualTo("key is 2048 bytes, limit is 1024 (maxKeyBytes)");
  }

  @Test
  void keyOverLimit_reportedBeforeShortBody() {
    ProtocolException e = rejectRequest(Opcode.GET.code(),
        Buffer.buffer().appendUnsignedShort(5000).appendString("short"));

    assertThat(e.status()).isEqualTo(Status.KEY_TOO_LARGE);
  }

  @Test
  void emptyKey_rejected() {
    ProtocolException e = rejectRequest(Opcode.DELETE.code(), keyBody(new byte[0]));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).isEqualTo("key is empty");
  }

  @Test
  void keyLengthPastEnd_rejected() {
    ProtocolException e = rejectRequest(Opcode.GET.code(),
        Buffer.buffer().appendUnsignedShort(10).appendString("abc"));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage())
        .isEqualTo("key length 10 points past the end of the body (3 bytes left)");
  }

  private static Buffer setBody(int declaredValueLength, int actualValueBytes) {
    return keyBody(new byte[] {'k'}).appendLong(0).appendUnsignedByte((short) 0)
        .appendInt(declaredValueLength).appendBytes(new byte[actualValueBytes]);
  }

  @Test
  void valueOverLimit_rejectedWithValueTooLarge() {
    ProtocolException e = rejectRequest(Opcode.SET.code(), setBody(LIMITS.maxValueBytes() + 1, 8));

    assertThat(e.status()).isEqualTo(Status.VALUE_TOO_LARGE);
    assertThat(e.getMessage())
        .isEqualTo("value is 1048577 bytes, limit is 1048576 (maxValueBytes)");
  }

  @Test
  void valueLengthPastEnd_rejected() {
    ProtocolException e = rejectRequest(Opcode.SET.code(), setBody(100, 99));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage())
        .isEqualTo("value length 100 points past the end of the body (99 bytes left)");
  }

  @Test
  void negativeValueLength_rejected() {
    ProtocolException e = rejectRequest(Opcode.SET.code(), setBody(-4, 0));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).isEqualTo("value length -4 is negative");
  }

  @Test
  void negativeTtl_rejected() {
    Buffer body = keyBody(new byte[] {'k'}).appendLong(-2).appendUnsignedByte((short) 0)
        .appendInt(0);
    ProtocolException e = rejectRequest(Opcode.SET.code(), body);

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage())
        .isEqualTo("invalid SET request: ttlMillis is -2, must be 0 (none) or positive");
  }

  @Test
  void unknownSetMode_rejected() {
    Buffer body = keyBody(new byte[] {'k'}).appendLong(0).appendUnsignedByte((short) 9)
        .appendInt(0);

    assertThat(rejectRequest(Opcode.SET.code(), body).getMessage())
        .isEqualTo("unknown SET mode 9");
  }

  @Test
  void truncatedFixedField_rejected() {
    Buffer body = keyBody(new byte[] {'k'}).appendInt(7);   // CAS needs 8 bytes of version
    ProtocolException e = rejectRequest(Opcode.CAS.code(), body);

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).isEqualTo("expected version needs 8 bytes, 4 left in the body");
  }

  @Test
  void trailingBytes_rejected() {
    ProtocolException e = rejectRequest(Opcode.PING.code(), Buffer.buffer("junk"));

    assertThat(e.getMessage()).isEqualTo("4 trailing bytes after the PING body");
  }

  @Test
  void negativeBatchCount_rejected() {
    ProtocolException e = rejectRequest(Opcode.MULTI_GET.code(), Buffer.buffer().appendInt(-1));

    assertThat(e.getMessage()).isEqualTo("MULTI_GET count -1 is negative");
  }

  @Test
  void batchOverLimit_rejected() {
    ProtocolException e = rejectRequest(Opcode.MULTI_GET.code(),
        Buffer.buffer().appendInt(LIMITS.maxBatchEntries() + 1));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage())
        .isEqualTo("MULTI_GET has 1025 entries, limit is 1024 (maxBatchEntries)");
  }

  @Test
  void batchCountPastEnd_rejectedBeforeAllocating() {
    ProtocolException e = rejectRequest(Opcode.MULTI_SET.code(),
        Buffer.buffer().appendInt(1000).appendBytes(new byte[20]));

    assertThat(e.getMessage())
        .isEqualTo("MULTI_SET count 1000 needs at least 15000 bytes, 20 left in the body");
  }

  @Test
  void tombstoneWithValue_rejected() {
    Buffer body = keyBody(new byte[] {'k'}).appendLong(5).appendLong(-1)
        .appendUnsignedByte((short) 1).appendInt(2).appendString("xy");

    assertThat(rejectRequest(Opcode.REPLICATE.code(), body).getMessage())
        .isEqualTo("invalid REPLICATE request: a tombstone has no value, got 2 bytes");
  }

  @Test
  void helloWithBadUtf8Token_rejected() {
    Buffer body = Buffer.buffer().appendUnsignedShort(1)
        .appendUnsignedShort(1).appendByte((byte) 0xC3)
        .appendUnsignedShort(0);

    assertThat(rejectRequest(Opcode.HELLO.code(), body).getMessage())
        .isEqualTo("auth token is not valid UTF-8 (byte offset 0 of 1)");
  }

  @Test
  void responseFrameGivenToRequestDecoder_rejected() {
    Frame frame = Samples.parseOne(
        Samples.rawFrame(Opcode.PING.code(), Flags.RESPONSE, 0, 1, 0, Buffer.buffer()), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeRequest(frame));

    assertThat(e.getMessage()).isEqualTo("expected a request, got a PING answer");
  }

  @Test
  void answerWithUnknownStatus_rejected() {
    Frame frame = Samples.parseOne(
        Samples.rawFrame(Opcode.GET.code(), Flags.RESPONSE, 200, 1, 0, Buffer.buffer()), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeResponse(frame));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).isEqualTo("unknown status code 200");
  }

  @Test
  void getAnswerWithValuePastEnd_rejected() {
    Buffer body = Buffer.buffer().appendLong(1).appendLong(-1).appendInt(50).appendString("x");
    Frame frame = Samples.parseOne(
        Samples.rawFrame(Opcode.GET.code(), Flags.RESPONSE, 0, 1, 0, body), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeResponse(frame));

    assertThat(e.getMessage())
        .isEqualTo("value length 50 points past the end of the body (1 bytes left)");
  }

  @Test
  void versionMismatchOnNonCas_rejected() {
    Frame frame = Samples.parseOne(Samples.rawFrame(Opcode.SET.code(), Flags.RESPONSE,
        Status.VERSION_MISMATCH.code(), 1, 0, Buffer.buffer().appendLong(3)), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeResponse(frame));

    assertThat(e.getMessage()).isEqualTo("VERSION_MISMATCH does not answer SET");
  }

  @Test
  void staleOnNonReplicate_rejected() {
    Frame frame = Samples.parseOne(Samples.rawFrame(Opcode.SET.code(), Flags.RESPONSE,
        Status.STALE.code(), 1, 0, Buffer.buffer().appendLong(3)), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeResponse(frame));

    assertThat(e.getMessage()).isEqualTo("STALE does not answer SET");
  }
}
