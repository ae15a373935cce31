package io.ringcache.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringcache.ring.KeyHash;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TopologyTest {

  private static List<NodeAddress> addresses(String... names) {
    return java.util.Arrays.stream(names)
        .map(n -> new NodeAddress(n, "127.0.0.1", 7000, 8080, NodeAddress.State.UP))
        .collect(Collectors.toList());
  }

  @RepeatedTest(10)
  void codec_transferTopology_roundTrips(RepetitionInfo info) {
    SplittableRandom rnd = new SplittableRandom(info.getCurrentRepetition());
    Topology t = Samples.topology(rnd, 6, 64);

    Topology back = TopologyCodec.decode(TopologyCodec.encode(t));

    assertThat(back).isEqualTo(t);
    assertThat(back.readRing().members()).extracting(Member::zone).contains("zone-0", "zone-2");
    assertThat(back.readRing().members()).extracting(Member::weight).contains(0.5, 5.5);
    assertThat(back.readRing().tokensOf("node-3")).isEqualTo(t.readRing().tokensOf("node-3"));
    assertThat(back.writeRing().tokenCount()).isEqualTo(7 * 64);
  }

  @Test
  void codec_stableTopology_sendsRingOnce() {
    SplittableRandom rnd = new SplittableRandom(3);
    Topology transfer = Samples.topology(rnd, 4, 64);
    Topology stable = Topology.stable(9, 3, transfer.nodes(), transfer.readRing());

    Buffer encoded = TopologyCodec.encode(stable);

    assertThat(TopologyCodec.decode(encoded)).isEqualTo(stable);
    assertThat(encoded.length()).isLessThan(TopologyCodec.encode(transfer).length() / 2);
  }

  @Test
  void codec_clusterId_roundTrips_andATopologyWithoutOneDecodesWithZero() {
    Topology t = Samples.topology(new SplittableRandom(5), 3, 16).withClusterId(0x5eed_cafe_f00dL);

    Buffer encoded = TopologyCodec.encode(t);
    Topology back = TopologyCodec.decode(encoded);
    assertThat(back).isEqualTo(t);
    assertThat(back.clusterId()).isEqualTo(0x5eed_cafe_f00dL);
    assertThat(back).isNotEqualTo(t.withClusterId(1));

    // An older node's encoding ends before the cluster id.
    Topology old = TopologyCodec.decode(encoded.getBuffer(0, encoded.length() - 8));
    assertThat(old.clusterId()).isZero();
    assertThat(old).isEqualTo(t.withClusterId(0));
  }

  @Test
  void codec_initialTopology_roundTrips() {
    Topology t = Topology.initial(2);
    assertThat(TopologyCodec.decode(TopologyCodec.encode(t))).isEqualTo(t);
  }

  @Test
  void codec_unknownFormatVersion_rejected() {
    Buffer encoded = TopologyCodec.encode(Topology.initial(2));
    encoded.setUnsignedByte(0, (short) 9);

    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> TopologyCodec.decode(encoded));
    assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(e.getMessage()).isEqualTo("topology format version is 9, this decoder reads "
        + TopologyCodec.FORMAT_VERSION);
  }

  @RepeatedTest(5)
  void codec_everyTruncation_rejectedWithBadRequest(RepetitionInfo info) {
    Buffer encoded = TopologyCodec.encode(
        Samples.topology(new SplittableRandom(info.getCurrentRepetition()), 2, 3));
    for (int cut = 0; cut < encoded.length(); cut++) {
      if (cut == encoded.length() - 8) {
        // Without its trailing cluster id a topology is an older node's, and valid.
        continue;
      }
      Buffer truncated = encoded.getBuffer(0, cut);
      ProtocolException e =
          catchThrowableOfType(ProtocolException.class, () -> TopologyCodec.decode(truncated));
      assertThat(e).as("cut at %d", cut).isNotNull();
      assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    }
  }

  @Test
  void codec_duplicateMemberNames_rejectedAsBadRequest() {
    Buffer b = Buffer.buffer().appendUnsignedByte((short) TopologyCodec.FORMAT_VERSION)
        .appendLong(1)
        .appendUnsignedByte((short) 1).appendUnsignedByte((short) 0).appendUnsignedShort(1);
    BodyWriter.string(b, "a", "n");
    BodyWriter.string(b, "h", "n");
    b.appendUnsignedShort(1).appendUnsignedShort(0).appendUnsignedByte((short) 1);
    BodyWriter.string(b, "incarnation-1", "i");
    b.appendUnsignedShort(2);
    for (int i = 0; i < 2; i++) {
      BodyWriter.string(b, "a", "n");
      b.appendDouble(1.0);
      BodyWriter.string(b, "", "z");
      b.appendInt(1).appendLong(i);
    }
    b.appendUnsignedByte((short) 1);

    ProtocolException e =
        catchThrowableOfType(ProtocolException.class, () -> TopologyCodec.decode(b));
    assertThat(e.getMessage()).isEqualTo("invalid topology: duplicate member name 'a'");
  }

  @Test
  void stable_withDifferentRings_rejected() {
    Ring r1 = Ring.builder().add(Member.of("a"), 1L).build();
    Ring r2 = Ring.builder().add(Member.of("a"), 2L).build();

    assertThatThrownBy(() -> new Topology(4, 2, Topology.Phase.STABLE, addresses("a"), r1, r2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch 4 is STABLE but its read and write rings differ");
  }

  @Test
  void ringMemberWithoutAddress_rejected() {
    Ring r = Ring.builder().add(Member.of("a"), 1L).add(Member.of("b"), 2L).build();

    assertThatThrownBy(() -> Topology.stable(1, 2, addresses("a"), r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("read ring member 'b' has no node address");
  }

  @Test
  void writeReplicas_readReplicasFirst_thenNewOwners() {
    // Tokens at 100, 200, 300 (a, b, c); the write ring adds d at 150.
    Ring read = Ring.builder().add(Member.of("a"), 100L).add(Member.of("b"), 200L)
        .add(Member.of("c"), 300L).build();
    Ring write = read.with(Member.of("d"), 150L);
    Topology t = new Topology(5, 2, Topology.Phase.TRANSFER, addresses("a", "b", "c", "d"),
        read, write);

    // Position 120: read ring walks b, c; write ring walks d, b.
    assertThat(names(t.readReplicas(120L))).containsExactly("b", "c");
    assertThat(names(t.writeReplicas(120L))).containsExactly("b", "c", "d");
    // Position 50: read a, b; write a, d.
    assertThat(names(t.writeReplicas(50L))).containsExactly("a", "b", "d");
  }

  @Test
  void replicas_byKey_matchRingByKeyHash() {
    Topology t = Samples.topology(new SplittableRandom(5), 5, 64);
    byte[] key = "user:42".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(t.readReplicas(key)).isEqualTo(t.readRing().replicas(KeyHash.of(key), 2));
    assertThat(t.writeReplicas(key)).startsWith(t.readReplicas(key).toArray(new Member[0]));
    assertThat(t.writeReplicas(key)).doesNotHaveDuplicates();
  }

  @Test
  void stable_writeReplicasEqualReadReplicas() {
    Topology t = Topology.stable(1, 2, addresses("a", "b", "c"),
        Ring.builder().add(Member.of("a"), 1L).add(Member.of("b"), 2L).add(Member.of("c"), 3L)
            .build());

    assertThat(t.writeReplicas(2L)).isEqualTo(t.readReplicas(2L)).hasSize(2);
  }

  @Test
  void initial_hasNoReplicas() {
    assertThat(Topology.initial(2).readReplicas(7L)).isEmpty();
    assertThat(Topology.initial(2).writeReplicas(7L)).isEmpty();
  }

  @Test
  void node_findsByName() {
    Topology t = Samples.topology(new SplittableRandom(2), 3, 4);

    assertThat(t.node("node-new")).get().extracting(NodeAddress::state)
        .isEqualTo(NodeAddress.State.JOINING);
    assertThat(t.node("nope")).isEmpty();
  }

  private static List<String> names(List<Member> members) {
    return members.stream().map(Member::name).collect(Collectors.toList());
  }
}
