package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * REPLICATE_BATCH on the wire: entries announce their write id by a flag (a single REPLICATE does
 * it by the bytes left, which a batch cannot), counts are bounded before anything is allocated,
 * and every malformed batch is a non-fatal BAD_REQUEST addressed to its frame.
 */
class ReplicateBatchCodecTest {

  private static final ProtocolLimits LIMITS = ProtocolLimits.defaults();
  private static final FrameCodec CODEC = new FrameCodec(LIMITS);
  private static final WriteId ID = new WriteId(5, 6);

  private static Request.Replicate entry(String key, long version) {
    return new Request.Replicate(Key.of(key), version, -1, false, Buffer.buffer("v" + version));
  }

  private static Buffer entryBody(String key, int flags, Buffer tail) {
    Buffer b = Buffer.buffer().appendUnsignedShort(key.length()).appendString(key)
        .appendLong(3).appendLong(-1).appendUnsignedByte((short) flags).appendInt(0);
    return b.appendBuffer(tail);
  }

  private static ProtocolException reject(Opcode op, Buffer body) {
    Frame frame = Samples.parseOne(Samples.rawFrame(op.code(), 0, 0, 77, 1, body), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeRequest(frame));
    assertThat(e).as("decoding should fail").isNotNull();
    assertThat(e.isFatal()).isFalse();
    assertThat(e.requestId()).isEqualTo(77);
    return e;
  }

  @Test
  void batch_entryWithWriteIdFollowedByAnother_roundTrips() {
    Request.ReplicateBatch batch = new Request.ReplicateBatch(List.of(
        new Request.Replicate(Key.of("a"), 1, -1, false, Buffer.buffer("x"), ID,
            Request.WriteOutcome.STORED),
        entry("b", 2)));

    Frame frame = Samples.parseOne(CODEC.encodeRequest(9, 4, 0, batch), LIMITS);

    assertThat(CODEC.decodeRequest(frame)).isEqualTo(batch);
  }

  @Test
  void batch_layout_countThenEntriesWithWriteIdFlag() {
    Request.ReplicateBatch batch = new Request.ReplicateBatch(List.of(
        new Request.Replicate(Key.of("a"), 1, -1, true, Buffer.buffer(), ID,
            Request.WriteOutcome.DELETED)));
    Buffer body = Samples.parseOne(CODEC.encodeRequest(9, 4, 0, batch), LIMITS).body();

    assertThat(body.getInt(0)).isEqualTo(1);
    assertThat(body.getUnsignedByte(4 + 3 + 16)).as("flags: tombstone | has write id")
        .isEqualTo((short) 3);
    assertThat(body.length()).isEqualTo(4 + CODEC.replicateEntryBytes(batch.entries().get(0)));
  }

  @Test
  void outcomes_eachEntryKeepsItsStatusVersionAndMessage() {
    Response.ReplicaOutcomes answer = new Response.ReplicaOutcomes(List.of(new Response.Ok(),
        new Response.Stale(99), new Response.Failure(Status.CLOCK_OFFSET, "too far ahead")));
    Buffer wire = CODEC.encodeResponse(Opcode.REPLICATE_BATCH, 3, 8, 0, answer);

    assertThat(CODEC.decodeResponse(Samples.parseOne(wire, LIMITS))).isEqualTo(answer);
  }

  @Test
  void outcomes_longEntryMessage_isCut() {
    Response.ReplicaOutcomes answer = new Response.ReplicaOutcomes(
        List.of(new Response.Failure(Status.INTERNAL, "x".repeat(5000))));
    Buffer wire = CODEC.encodeResponse(Opcode.REPLICATE_BATCH, 3, 8, 0, answer);
    Response.ReplicaOutcomes back =
        (Response.ReplicaOutcomes) CODEC.decodeResponse(Samples.parseOne(wire, LIMITS));

    assertThat(((Response.Failure) back.outcomes().get(0)).message())
        .hasSize(FrameCodec.MAX_ENTRY_MESSAGE_CHARS);
  }

  @Test
  void encode_moreEntriesThanBatchLimit_refusedWithMessage() {
    List<Request.Replicate> many = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      many.add(entry("k" + i, i + 1));
    }
    FrameCodec small = new FrameCodec(LIMITS.withMaxBatchEntries(2));
    Buffer out = Buffer.buffer();

    assertThatThrownBy(() -> small.encodeRequest(out, 1, 1, 0, new Request.ReplicateBatch(many)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("batch has 3 entries, limit is 2 (maxBatchEntries)");
    assertThat(out.length()).isZero();
  }

  @Test
  void emptyBatch_rejected() {
    assertThat(reject(Opcode.REPLICATE_BATCH, Buffer.buffer().appendInt(0)).getMessage())
        .isEqualTo("REPLICATE_BATCH has no entries, needs at least 1");
    assertThatThrownBy(() -> new Request.ReplicateBatch(List.of()))
        .hasMessage("a REPLICATE_BATCH has at least 1 entry, got 0");
  }

  @Test
  void countOverBatchLimit_rejectedBeforeReading() {
    ProtocolException e = reject(Opcode.REPLICATE_BATCH, Buffer.buffer().appendInt(5000));

    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage())
        .isEqualTo("REPLICATE_BATCH has 5000 entries, limit is 1024 (maxBatchEntries)");
  }

  @Test
  void countLargerThanBody_rejectedWithoutAllocating() {
    Buffer body = Buffer.buffer().appendInt(1000).appendBuffer(entryBody("k", 0, Buffer.buffer()));

    assertThat(reject(Opcode.REPLICATE_BATCH, body).getMessage())
        .isEqualTo("REPLICATE_BATCH count 1000 needs at least 24000 bytes, 24 left in the body");
  }

  @Test
  void countSmallerThanEntries_rejectedAsTrailingBytes() {
    Buffer body = Buffer.buffer().appendInt(1)
        .appendBuffer(entryBody("k", 0, Buffer.buffer()))
        .appendBuffer(entryBody("j", 0, Buffer.buffer()));

    assertThat(reject(Opcode.REPLICATE_BATCH, body).getMessage())
        .isEqualTo("24 trailing bytes after the REPLICATE_BATCH body");
  }

  @Test
  void entryWithUnknownFlag_rejected() {
    Buffer body = Buffer.buffer().appendInt(1).appendBuffer(entryBody("k", 4, Buffer.buffer()));

    assertThat(reject(Opcode.REPLICATE_BATCH, body).getMessage())
        .isEqualTo("unknown REPLICATE flags 0x04");
  }

  @Test
  void writeIdFlagOnSingleReplicate_rejected() {
    Buffer body = entryBody("k", 2, Buffer.buffer());

    assertThat(reject(Opcode.REPLICATE, body).getMessage())
        .isEqualTo("unknown REPLICATE flags 0x02");
  }

  @Test
  void entryCutInsideWriteId_rejected() {
    Buffer body = Buffer.buffer().appendInt(1)
        .appendBuffer(entryBody("k", 2, Buffer.buffer().appendLong(5)));

    assertThat(reject(Opcode.REPLICATE_BATCH, body).getMessage())
        .isEqualTo("write id sequence needs 8 bytes, 0 left in the body");
  }

  @Test
  void answerWithVersionMismatchEntry_rejected() {
    Buffer body = Buffer.buffer().appendInt(1).appendUnsignedByte((short) 3).appendLong(1)
        .appendUnsignedShort(0);
    Frame frame = Samples.parseOne(
        Samples.rawFrame(Opcode.REPLICATE_BATCH.code(), Flags.RESPONSE, 0, 1, 0, body), LIMITS);
    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> CODEC.decodeResponse(frame));

    assertThat(e.getMessage())
        .isEqualTo("VERSION_MISMATCH does not answer a REPLICATE_BATCH entry");
  }

  @Test
  void writeOutcomes_roundTrip_andBadBodiesRejected() {
    Request.WriteOutcomes sent = new Request.WriteOutcomes(List.of(
        new Request.LoggedWrite(new WriteId(7, 8), -5, Request.WriteOutcome.COUNTED, 99, 42)));
    Buffer wire = CODEC.encodeRequest(3, 4, 0, sent);
    assertThat(CODEC.decodeRequest(Samples.parseOne(wire, LIMITS))).isEqualTo(sent);

    assertThat(reject(Opcode.WRITE_OUTCOMES, Buffer.buffer().appendInt(0)).getMessage())
        .isEqualTo("WRITE_OUTCOMES has no outcomes, needs at least 1");
    Buffer noOutcome = Buffer.buffer().appendInt(1).appendLong(7).appendLong(8).appendLong(-5)
        .appendUnsignedByte((short) 0).appendLong(99).appendLong(42);
    assertThat(reject(Opcode.WRITE_OUTCOMES, noOutcome).getMessage())
        .contains("needs a write id and an outcome 1..4");
    assertThat(reject(Opcode.WRITE_OUTCOMES, Buffer.buffer().appendInt(2).appendLong(1))
        .getMessage()).contains("needs at least 82 bytes");
    assertThatThrownBy(() -> new FrameCodec(LIMITS.withMaxBatchEntries(1)).encodeRequest(
        Buffer.buffer(), 1, 1, 0, new Request.WriteOutcomes(List.of(sent.writes().get(0),
            sent.writes().get(0)))))
        .hasMessage("batch has 2 entries, limit is 1 (maxBatchEntries)");
  }
}
