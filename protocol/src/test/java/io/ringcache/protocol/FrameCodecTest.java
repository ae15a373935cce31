package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

  private static final FrameCodec CODEC = new FrameCodec(ProtocolLimits.defaults());

  static Stream<Long> seeds() {
    return LongStream.range(0, 20).boxed();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void requests_everyOpcode_roundTripWithHeader(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (Request request : Samples.requests(rnd)) {
      int id = rnd.nextInt();
      long epoch = rnd.nextLong(0, Long.MAX_VALUE);
      int flags = rnd.nextBoolean() ? Flags.ANY_OWNER | Flags.FORWARDED : 0;
      Buffer wire = CODEC.encodeRequest(id, epoch, flags, request);

      Frame frame = Samples.parseOne(wire, CODEC.limits());

      assertThat(frame.opcode()).isEqualTo(request.opcode());
      assertThat(frame.requestId()).isEqualTo(id);
      assertThat(frame.epoch()).isEqualTo(epoch);
      assertThat(frame.flags()).isEqualTo(flags);
      assertThat(frame.isResponse()).isFalse();
      assertThat(frame.status()).isEqualTo(Status.OK);
      assertThat(CODEC.decodeRequest(frame)).isEqualTo(request);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void responses_everyOpcode_roundTripWithHeader(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (Samples.Answer a : Samples.answers(rnd)) {
      int id = rnd.nextInt();
      long epoch = rnd.nextLong(0, Long.MAX_VALUE);
      Buffer wire = CODEC.encodeResponse(a.opcode(), id, epoch, 0, a.response());

      Frame frame = Samples.parseOne(wire, CODEC.limits());

      assertThat(frame.opcode()).isEqualTo(a.opcode());
      assertThat(frame.isResponse()).isTrue();
      assertThat(frame.status()).isEqualTo(a.response().status());
      assertThat(frame.requestId()).isEqualTo(id);
      assertThat(frame.epoch()).isEqualTo(epoch);
      assertThat(CODEC.decodeResponse(frame)).isEqualTo(a.response());
    }
  }

  @Test
  void samples_coverEveryOpcode() {
    SplittableRandom rnd = new SplittableRandom(1);
    // EVENT is only ever pushed by a node: no request carries it.
    assertThat(Samples.requests(rnd).stream().map(Request::opcode).collect(Collectors.toSet()))
        .isEqualTo(EnumSet.complementOf(EnumSet.of(Opcode.EVENT)));
    assertThat(Samples.answers(rnd).stream().map(Samples.Answer::opcode)
        .collect(Collectors.toSet())).isEqualTo(EnumSet.allOf(Opcode.class));
  }

  @Test
  void get_layout_matchesSpecification() {
    Buffer wire = CODEC.encodeRequest(0x01020304, 9L, 0, new Request.Get(Key.of("ab")));

    Buffer expected = Buffer.buffer(new byte[] {
        0, 0, 0, 20,                // length: 16 header bytes + 4 body bytes
        0x03, 0, 0, 0,              // GET, no flags, status 0, reserved
        1, 2, 3, 4,                 // request id
        0, 0, 0, 0, 0, 0, 0, 9,     // epoch
        0, 2, 'a', 'b'});           // key
    assertThat(wire).isEqualTo(expected);
  }

  @Test
  void decode_set_valueIsSliceOfFrameNotCopy() {
    Buffer value = Buffer.buffer("payload");
    Buffer wire = CODEC.encodeRequest(1, 0, 0,
        new Request.Set(Key.of("k"), value, 0, SetMode.ALWAYS));
    Frame frame = Samples.parseOne(wire, CODEC.limits());
    Request.Set set = (Request.Set) CODEC.decodeRequest(frame);

    // Writing through the frame's buffer shows in the decoded value: it shares the bytes.
    wire.setByte(wire.length() - 1, (byte) '!');

    assertThat(set.value().toString()).isEqualTo("payloa!");
  }

  @Test
  void encodeResponse_setsResponseFlag_andKeepsOthers() {
    Buffer wire = CODEC.encodeResponse(Opcode.GET, 5, 3, Flags.ANY_OWNER,
        Response.Failure.of(Status.NOT_FOUND));
    Frame frame = Samples.parseOne(wire, CODEC.limits());

    assertThat(frame.isResponse()).isTrue();
    assertThat(frame.isAnyOwner()).isTrue();
    assertThat(frame.isForwarded()).isFalse();
  }

  @Test
  void encodeRequest_clearsResponseFlag() {
    Buffer wire = CODEC.encodeRequest(5, 3, Flags.RESPONSE | Flags.FORWARDED, new Request.Ping());
    Frame frame = Samples.parseOne(wire, CODEC.limits());

    assertThat(frame.isResponse()).isFalse();
    assertThat(frame.isForwarded()).isTrue();
  }

  @Test
  void encodeResponse_wrongTypeForOpcode_throws() {
    assertThatThrownBy(() -> CODEC.encodeResponse(Opcode.GET, 1, 0, 0, new Response.Stored(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Stored does not answer GET");
    assertThatThrownBy(() -> CODEC.encodeResponse(Opcode.SET, 1, 0, 0, new Response.Mismatch(3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodeRequest_keyOverLimit_failsAndLeavesBufferUntouched() {
    FrameCodec codec = new FrameCodec(ProtocolLimits.of(8, 64));
    Buffer out = Buffer.buffer("prefix");

    Request get = new Request.Get(Key.of("123456789"));
    assertThatThrownBy(() -> codec.encodeRequest(out, 1, 0, 0, get))
        .isInstanceOfSatisfying(ProtocolException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.KEY_TOO_LARGE);
          assertThat(e.getMessage()).isEqualTo("key is 9 bytes, limit is 8 (maxKeyBytes)");
        });
    assertThat(out.toString()).isEqualTo("prefix");
  }

  @Test
  void encodeRequest_valueOverLimitInBatch_failsWithValueTooLarge() {
    FrameCodec codec = new FrameCodec(ProtocolLimits.of(8, 64));
    Request batch = new Request.MultiSet(List.of(
        new Request.MultiSet.Entry(Key.of("a"), Buffer.buffer(new byte[64]), 0),
        new Request.MultiSet.Entry(Key.of("b"), Buffer.buffer(new byte[65]), 0)));

    assertThatThrownBy(() -> codec.encodeRequest(1, 0, 0, batch))
        .isInstanceOfSatisfying(ProtocolException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.VALUE_TOO_LARGE);
          assertThat(e.getMessage()).isEqualTo("value is 65 bytes, limit is 64 (maxValueBytes)");
        });
  }

  @Test
  void encodeRequest_batchOverFrameLimit_failsWithFrameTooLarge() {
    ProtocolLimits limits = ProtocolLimits.of(8, 64).withMaxFrameBytes(200);
    FrameCodec codec = new FrameCodec(limits);
    // 20 header + 4 count + 5 * (2 + 2 key + 8 ttl + 4 + 60 value) = 404 bytes.
    List<Request.MultiSet.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      entries.add(new Request.MultiSet.Entry(Key.of("k" + i), Buffer.buffer(new byte[60]), 0));
    }

    assertThatThrownBy(() -> codec.encodeRequest(1, 0, 0, new Request.MultiSet(entries)))
        .isInstanceOfSatisfying(ProtocolException.class, e -> {
          assertThat(e.status()).isEqualTo(Status.FRAME_TOO_LARGE);
          assertThat(e.getMessage()).isEqualTo("frame is 404 bytes, limit is 200 (maxFrameBytes)");
        });
  }

  @Test
  void encodeError_echoesUnknownOpcode_andDecodesAsFailure() {
    Buffer out = Buffer.buffer();
    CODEC.encodeError(out, 0x7F, 77, 5, Status.UNKNOWN_OP, "unknown opcode 0x7f");
    Frame frame = Samples.parseOne(out, CODEC.limits());

    assertThat(frame.opcodeCode()).isEqualTo(0x7F);
    assertThat(frame.opcode()).isNull();
    assertThat(frame.requestId()).isEqualTo(77);
    assertThat(CODEC.decodeResponse(frame))
        .isEqualTo(new Response.Failure(Status.UNKNOWN_OP, "unknown opcode 0x7f"));
  }

  @Test
  void encodeError_longMessage_isCut() {
    Buffer out = Buffer.buffer();
    CODEC.encodeError(out, Opcode.GET.code(), 1, 0, Status.INTERNAL, "x".repeat(5000));
    Response r = CODEC.decodeResponse(Samples.parseOne(out, CODEC.limits()));

    assertThat(((Response.Failure) r).message()).hasSize(FrameCodec.MAX_MESSAGE_CHARS);
  }

  @Test
  void requests_toString_redactsAuthToken() {
    assertThat(new Request.Hello(1, "hunter2", "c").toString()).doesNotContain("hunter2");
  }

  @Test
  void requests_toString_redactsPeerSecret() {
    Request.Hello hello = new Request.Hello(1, "", "peer:n", "hunter2".getBytes());

    assertThat(hello.toString()).doesNotContain("hunter2").contains("peerSecret=<redacted>");
  }

  @Test
  void hello_withoutPeerSecret_layoutIsUnchanged_andDecodesAsNoPeer() {
    // The HELLO layout every client (and every node before the peer secret) sends.
    Buffer old = Buffer.buffer(new byte[] {
        0, 0, 0, 27,                // length: 16 header bytes + 11 body bytes
        0x01, 0, 0, 0,              // HELLO, no flags, status 0, reserved
        0, 0, 0, 1,                 // request id
        0, 0, 0, 0, 0, 0, 0, 0,     // epoch
        0, 1,                       // protocol version
        0, 2, 't', 'k',             // auth token
        0, 3, 'c', 'l', 'i'});      // client name

    Request.Hello hello = (Request.Hello) CODEC.decodeRequest(Samples.parseOne(old,
        CODEC.limits()));

    assertThat(hello).isEqualTo(new Request.Hello(1, "tk", "cli"));
    assertThat(hello.claimsPeer()).isFalse();
    assertThat(CODEC.encodeRequest(1, 0, 0, new Request.Hello(1, "tk", "cli"))).isEqualTo(old);
  }

  @Test
  void hello_withPeerSecret_appendsLengthAndBytes() {
    Buffer wire = CODEC.encodeRequest(1, 0, 0,
        new Request.Hello(1, "", "n", new byte[] {7, 8, 9}));

    Buffer body = wire.slice(Frame.HEADER_BYTES, wire.length());
    assertThat(body).isEqualTo(Buffer.buffer(new byte[] {0, 1, 0, 0, 0, 1, 'n', 0, 3, 7, 8, 9}));
    Request.Hello back = (Request.Hello) CODEC.decodeRequest(Samples.parseOne(wire,
        CODEC.limits()));
    assertThat(back.peerSecret()).containsExactly(7, 8, 9);
  }

  @Test
  void delete_withoutWriteId_layoutIsUnchanged_withOneAppendsSixteenBytes() {
    Key key = Key.of("k");
    Buffer plain = CODEC.encodeRequest(1, 0, 0, new Request.Delete(key));
    Buffer withId = CODEC.encodeRequest(1, 0, 0, new Request.Delete(key, new WriteId(-2, 9)));

    assertThat(withId.length()).isEqualTo(plain.length() + WriteId.BYTES);
    assertThat(withId.getLong(withId.length() - 16)).isEqualTo(-2);
    assertThat(withId.getLong(withId.length() - 8)).isEqualTo(9);
    Request.Delete back = (Request.Delete) CODEC.decodeRequest(Samples.parseOne(plain,
        CODEC.limits()));
    assertThat(back.writeId()).isEqualTo(WriteId.NONE);
  }

  @Test
  void increment_truncatedWriteId_isBadRequest() {
    Buffer wire = CODEC.encodeRequest(1, 0, 0, new Request.Increment(Key.of("k"), 1, 0));
    wire.appendLong(5);
    wire.setInt(0, wire.length() - 4);

    assertThatThrownBy(() -> CODEC.decodeRequest(Samples.parseOne(wire, CODEC.limits())))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).status()).isEqualTo(Status.BAD_REQUEST));
  }

  @Test
  void replicate_writeIdWithoutOutcome_isRefusedByTheRecord() {
    assertThatThrownBy(() -> new Request.Replicate(Key.of("k"), 1, -1, false, Buffer.buffer(),
        new WriteId(1, 1), Request.WriteOutcome.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("write id needs an outcome");
  }

  @Test
  void hello_peerSecretOverLimit_isBadRequest() {
    Buffer wire = CODEC.encodeRequest(1, 0, 0, new Request.Hello(1, "", "n"));
    int secretLength = Request.Hello.MAX_PEER_SECRET_BYTES + 1;
    wire.appendUnsignedShort(secretLength).appendBytes(new byte[secretLength]);
    wire.setInt(0, wire.length() - 4);

    assertThatThrownBy(() -> CODEC.decodeRequest(Samples.parseOne(wire, CODEC.limits())))
        .isInstanceOfSatisfying(ProtocolException.class,
            e -> assertThat(e.status()).isEqualTo(Status.BAD_REQUEST))
        .hasMessageContaining("peer secret is 257 bytes, limit is 256");
    assertThatThrownBy(() -> new Request.Hello(1, "", "n", new byte[secretLength]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hello_peerSecret_isCopiedInAndOut() {
    byte[] secret = {1, 2};
    Request.Hello hello = new Request.Hello(1, "", "n", secret);
    secret[0] = 9;
    hello.peerSecret()[1] = 9;

    assertThat(hello.peerSecret()).containsExactly(1, 2);
  }
}
