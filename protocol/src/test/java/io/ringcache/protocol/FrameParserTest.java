package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class FrameParserTest {

  private static final FrameCodec CODEC = new FrameCodec(ProtocolLimits.defaults());

  private final List<Frame> frames = new ArrayList<>();
  private final List<ProtocolException> errors = new ArrayList<>();

  private FrameParser parser(ProtocolLimits limits) {
    return new FrameParser(limits, frames::add, errors::add);
  }

  /** Every sample request and answer, back to back, plus one large value. */
  private static Buffer stream(SplittableRandom rnd) {
    Buffer all = Buffer.buffer();
    int id = 0;
    for (Request r : Samples.requests(rnd)) {
      CODEC.encodeRequest(all, id++, 3, 0, r);
    }
    for (Samples.Answer a : Samples.answers(rnd)) {
      CODEC.encodeResponse(all, a.opcode(), id++, 4, 0, a.response());
    }
    CODEC.encodeRequest(all, id, 5, 0, new Request.Set(Key.of("big"),
        Samples.bytes(rnd, 200_000), 0, SetMode.ALWAYS));
    return all;
  }

  private static List<String> describe(List<Frame> frames) {
    List<String> out = new ArrayList<>();
    for (Frame f : frames) {
      out.add(f.opcodeCode() + "/" + f.flags() + "/" + f.statusCode() + "/" + f.requestId() + "/"
          + f.epoch() + "/" + f.body().toString("ISO-8859-1"));
    }
    return out;
  }

  private List<String> parseWhole(Buffer all) {
    List<Frame> whole = new ArrayList<>();
    new FrameParser(CODEC.limits(), whole::add, errors::add).handle(all.copy());
    return describe(whole);
  }

  @RepeatedTest(25)
  void randomSplits_yieldSameFramesAsWholeStream(RepetitionInfo info) {
    SplittableRandom rnd = new SplittableRandom(info.getCurrentRepetition());
    Buffer all = stream(rnd);
    List<String> expected = parseWhole(all);
    FrameParser p = parser(CODEC.limits());

    int pos = 0;
    while (pos < all.length()) {
      // Mostly small chunks, sometimes large ones that span several frames.
      int size = rnd.nextInt(4) == 0 ? rnd.nextInt(1, 70_000) : rnd.nextInt(1, 64);
      int end = Math.min(all.length(), pos + size);
      p.handle(all.getBuffer(pos, end));
      pos = end;
    }

    assertThat(errors).isEmpty();
    assertThat(expected).hasSize(Samples.requests(new SplittableRandom(0)).size()
        + Samples.answers(new SplittableRandom(0)).size() + 1);
    assertThat(describe(frames)).isEqualTo(expected);
    assertThat(p.buffered()).isZero();
  }

  @Test
  void oneByteChunks_yieldSameFramesAsWholeStream() {
    Buffer all = stream(new SplittableRandom(99));
    List<String> expected = parseWhole(all);
    FrameParser p = parser(CODEC.limits());

    for (int i = 0; i < all.length(); i++) {
      p.handle(all.getBuffer(i, i + 1));
    }

    assertThat(errors).isEmpty();
    assertThat(describe(frames)).isEqualTo(expected);
  }

  @Test
  void splitFrames_decodeToSameMessages() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<Request> requests = Samples.requests(rnd);
    Buffer all = Buffer.buffer();
    for (int i = 0; i < requests.size(); i++) {
      CODEC.encodeRequest(all, i, 0, 0, requests.get(i));
    }
    FrameParser p = parser(CODEC.limits());
    for (int pos = 0; pos < all.length(); pos += 3) {
      p.handle(all.getBuffer(pos, Math.min(all.length(), pos + 3)));
    }

    List<Request> decoded = new ArrayList<>();
    for (Frame f : frames) {
      decoded.add(CODEC.decodeRequest(f));
    }
    assertThat(decoded).isEqualTo(requests);
  }

  @Test
  void lengthOverLimit_rejectedFromHeaderAlone_withRequestId() {
    ProtocolLimits limits = ProtocolLimits.defaults();
    Buffer header = Samples.rawFrame(Opcode.SET.code(), 0, 0, 4242, 1, Buffer.buffer())
        .setInt(0, limits.maxFrameBytes());   // 4 + length = one byte over the limit
    FrameParser p = parser(limits);

    p.handle(header.getBuffer(0, 10));
    assertThat(errors).isEmpty();   // request id not readable yet: wait for the header
    p.handle(header.getBuffer(10, Frame.HEADER_BYTES));

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(Status.FRAME_TOO_LARGE);
      assertThat(e.isFatal()).isTrue();
      assertThat(e.hasRequestId()).isTrue();
      assertThat(e.requestId()).isEqualTo(4242);
      assertThat(e.opcodeCode()).isEqualTo(Opcode.SET.code());
      assertThat(e.getMessage()).isEqualTo(String.format(
          "frame is %d bytes, limit is %d (maxFrameBytes)", limits.maxFrameBytes() + 4,
          limits.maxFrameBytes()));
    });
    assertThat(p.failed()).isTrue();
    assertThat(p.buffered()).isZero();
    assertThat(frames).isEmpty();
  }

  @Test
  void lengthAtLimit_isAccepted() {
    ProtocolLimits limits = ProtocolLimits.of(16, 100).withMaxFrameBytes(200);
    Buffer frame = Samples.rawFrame(Opcode.PING.code(), 0, 0, 1, 0, Buffer.buffer(new byte[180]));
    assertThat(frame.length()).isEqualTo(200);

    parser(limits).handle(frame);

    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
  }

  @Test
  void negativeLength_rejectedAsBelowHeader() {
    FrameParser p = parser(CODEC.limits());
    p.handle(Buffer.buffer().appendInt(-1));

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(e.isFatal()).isTrue();
      assertThat(e.hasRequestId()).isFalse();
      assertThat(e.getMessage()).isEqualTo("frame length -1 is below the header size 16");
    });
  }

  @Test
  void lengthBelowHeader_rejected_afterEarlierFramesEmitted_andLaterInputIgnored() {
    Buffer input = CODEC.encodeRequest(1, 0, 0, new Request.Ping());
    input.appendInt(15);
    input.appendBuffer(CODEC.encodeRequest(2, 0, 0, new Request.Ping()));
    FrameParser p = parser(CODEC.limits());

    p.handle(input);
    p.handle(CODEC.encodeRequest(3, 0, 0, new Request.Ping()));

    assertThat(frames).extracting(Frame::requestId).containsExactly(1);
    assertThat(errors).singleElement()
        .extracting(ProtocolException::getMessage)
        .isEqualTo("frame length 15 is below the header size 16");
    assertThat(p.failed()).isTrue();
  }

  @Test
  void truncatedFrame_emitsNothing_andEndReportsIt() {
    Buffer whole = CODEC.encodeRequest(31, 0, 0, new Request.Get(Key.of("abc")));
    FrameParser p = parser(CODEC.limits());

    p.handle(whole.getBuffer(0, whole.length() - 1));
    assertThat(frames).isEmpty();
    assertThat(errors).isEmpty();
    assertThat(p.buffered()).isEqualTo(whole.length() - 1);
    p.end();

    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
      assertThat(e.isFatal()).isTrue();
      assertThat(e.requestId()).isEqualTo(31);
      assertThat(e.getMessage()).isEqualTo("stream ended inside a frame: 24 of 25 bytes received");
    });
  }

  @Test
  void end_onFrameBoundary_reportsNothing() {
    FrameParser p = parser(CODEC.limits());
    p.handle(CODEC.encodeRequest(1, 0, 0, new Request.Ping()));
    p.end();

    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
  }

  @Test
  void unknownOpcode_isNotFatal_frameIsEmitted() {
    Buffer input = Samples.rawFrame(0x7E, 0, 0, 8, 0, Buffer.buffer("xyz"));
    input.appendBuffer(CODEC.encodeRequest(9, 0, 0, new Request.Ping()));
    parser(CODEC.limits()).handle(input);

    assertThat(errors).isEmpty();
    assertThat(frames).extracting(Frame::opcodeCode).containsExactly(0x7E, Opcode.PING.code());
    assertThat(frames.get(0).opcode()).isNull();
  }

  @Test
  void headerDeclaringMaximalFrame_reservesKilobytesNotTheFrame() {
    FrameParser p = parser(CODEC.limits());
    Buffer header = Buffer.buffer().appendInt(CODEC.limits().maxFrameBytes() - 4)
        .appendByte((byte) Opcode.SET.code()).appendByte((byte) 0).appendByte((byte) 0)
        .appendByte((byte) 0).appendInt(1).appendLong(0);
    p.handle(header);
    assertThat(p.buffered()).isEqualTo(Frame.HEADER_BYTES);
    assertThat(p.reservedBytes()).as("heap held for a header and no body")
        .isLessThanOrEqualTo(Frame.HEADER_BYTES + FrameParser.RESERVE_AHEAD_BYTES);
  }

  @Test
  void largeFrameArrivingInSmallChunks_growsAsItArrives_andIsEmittedWhole() {
    Buffer whole = CODEC.encodeRequest(9, 0, 0, new Request.Set(Key.of("big"),
        Samples.bytes(new SplittableRandom(3), 900_000), 0, SetMode.ALWAYS));
    FrameParser p = parser(CODEC.limits());
    for (int pos = 0; pos < whole.length(); pos += 1_000) {
      p.handle(whole.getBuffer(pos, Math.min(whole.length(), pos + 1_000)));
      if (p.buffered() > 0) {
        assertThat(p.reservedBytes()).as("reserved after %d bytes", p.buffered())
            .isLessThanOrEqualTo(2 * p.buffered() + FrameParser.RESERVE_AHEAD_BYTES);
      }
    }
    assertThat(errors).isEmpty();
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.requestId()).isEqualTo(9));
    Request.Set set = (Request.Set) CODEC.decodeRequest(frames.get(0));
    assertThat(set.value().length()).isEqualTo(900_000);
  }

  @Test
  void pause_holdsTheRestOfTheBuffer_resumeEmitsItInOrder() {
    Buffer all = Buffer.buffer();
    for (int id = 1; id <= 5; id++) {
      CODEC.encodeRequest(all, id, 0, 0, new Request.Get(Key.of("k" + id)));
    }
    List<Integer> ids = new ArrayList<>();
    FrameParser[] holder = new FrameParser[1];
    holder[0] = new FrameParser(CODEC.limits(), f -> {
      ids.add(f.requestId());
      holder[0].pause();
    }, errors::add);
    FrameParser p = holder[0];
    p.handle(all);
    assertThat(ids).containsExactly(1);
    assertThat(p.paused()).isTrue();
    Buffer later = CODEC.encodeRequest(6, 0, 0, new Request.Get(Key.of("k6")));
    p.handle(later);
    assertThat(ids).as("input arriving while paused is held").containsExactly(1);
    for (int expected = 2; expected <= 6; expected++) {
      p.resume();
      assertThat(ids).last().isEqualTo(expected);
    }
    assertThat(p.buffered()).isZero();
    assertThat(errors).isEmpty();
  }

  @Test
  void smallerFrameLimit_refusesFramesOverIt() {
    FrameParser p = parser(CODEC.limits());
    p.maxFrameBytes(1_024);
    p.handle(CODEC.encodeRequest(4, 0, 0, new Request.Set(Key.of("k"), Buffer.buffer(new byte[2_000]),
        0, SetMode.ALWAYS)));
    assertThat(frames).isEmpty();
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(Status.FRAME_TOO_LARGE);
      assertThat(e.getMessage()).contains("limit is 1024");
      assertThat(e.isFatal()).isTrue();
    });
  }
}
