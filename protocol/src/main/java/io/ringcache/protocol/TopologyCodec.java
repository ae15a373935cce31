package io.ringcache.protocol;

import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binary form of a {@link Topology}, used in the TOPOLOGY answer and wherever a node stores or
 * announces one.
 *
 * <pre>
 *   u8  format version (1)
 *   i64 epoch
 *   u8  replication factor
 *   u8  phase
 *   u16 node count, then per node:
 *       str name, str host, u16 clientPort, u16 httpPort, u8 state, str incarnation
 *   ring readRing
 *   u8  1 if writeRing equals readRing (nothing follows), else 0 and then: ring writeRing
 *   ring = u16 member count, then per member (name order):
 *       str name, f64 weight, str zone ("" = none), i32 token count (at least 1), i64 tokens
 *   str = u16 byte length + UTF-8
 * </pre>
 *
 * <p>A decoder rejects a format version it does not know rather than guess; a new field means a
 * new version. Decoding validates every count against the bytes left before allocating, and any
 * content the records reject (duplicate names, STABLE with differing rings) is a
 * {@link Status#BAD_REQUEST}.
 */
public final class TopologyCodec {

  /** 2 added each node's incarnation. */
  public static final int FORMAT_VERSION = 2;

  /** Smallest encoded node: two empty strings, two ports, a state, an empty incarnation. */
  private static final int MIN_NODE_BYTES = 2 + 2 + 2 + 2 + 1 + 2;
  /** Smallest encoded member: empty name and zone, weight, count, one token. */
  private static final int MIN_MEMBER_BYTES = 2 + 8 + 2 + 4 + 8;

  private TopologyCodec() {}

  public static Buffer encode(Topology topology) {
    Buffer out = Buffer.buffer(64 + 16 * topology.readRing().tokenCount());
    encode(topology, out);
    return out;
  }

  /** Appends {@code topology} to {@code out}. */
  public static void encode(Topology topology, Buffer out) {
    out.appendUnsignedByte((short) FORMAT_VERSION);
    out.appendLong(topology.epoch());
    out.appendUnsignedByte((short) topology.replicationFactor());
    out.appendUnsignedByte((short) topology.phase().code());
    if (topology.nodes().size() > 0xFFFF) {
      throw new IllegalArgumentException(String.format(
          "topology has %d nodes, limit is 65535", topology.nodes().size()));
    }
    out.appendUnsignedShort(topology.nodes().size());
    for (NodeAddress n : topology.nodes()) {
      BodyWriter.string(out, n.name(), "node name");
      BodyWriter.string(out, n.host(), "node host");
      out.appendUnsignedShort(n.clientPort());
      out.appendUnsignedShort(n.httpPort());
      out.appendUnsignedByte((short) n.state().code());
      BodyWriter.string(out, n.incarnation(), "node incarnation");
    }
    encodeRing(topology.readRing(), out);
    boolean same = topology.readRing().equals(topology.writeRing());
    out.appendUnsignedByte((short) (same ? 1 : 0));
    if (!same) {
      encodeRing(topology.writeRing(), out);
    }
    out.appendLong(topology.clusterId());
  }

  private static void encodeRing(Ring ring, Buffer out) {
    if (ring.size() > 0xFFFF) {
      throw new IllegalArgumentException(
          String.format("ring has %d members, limit is 65535", ring.size()));
    }
    out.appendUnsignedShort(ring.size());
    for (Map.Entry<Member, long[]> e : ring.tokensByMember().entrySet()) {
      Member m = e.getKey();
      BodyWriter.string(out, m.name(), "member name");
      out.appendDouble(m.weight());
      BodyWriter.string(out, m.zone(), "member zone");
      out.appendInt(e.getValue().length);
      for (long t : e.getValue()) {
        out.appendLong(t);
      }
    }
  }

  /** Decodes a whole buffer holding exactly one encoded topology. */
  public static Topology decode(Buffer in) {
    BodyReader r = new BodyReader(in, ProtocolLimits.defaults(), null);
    Topology t = decode(r);
    r.end("topology");
    return t;
  }

  static Topology decode(BodyReader r) {
    int version = r.u8("topology format version");
    if (version != FORMAT_VERSION) {
      throw r.fail(Status.BAD_REQUEST, "topology format version is %d, this decoder reads %d",
          version, FORMAT_VERSION);
    }
    long epoch = r.i64("epoch");
    int factor = r.u8("replication factor");
    int phaseCode = r.u8("phase");
    Topology.Phase phase = Topology.Phase.fromCode(phaseCode);
    if (phase == null) {
      throw r.fail(Status.BAD_REQUEST, "unknown topology phase %d", phaseCode);
    }
    int nodeCount = r.u16("node count");
    if ((long) nodeCount * MIN_NODE_BYTES > r.remaining()) {
      throw r.fail(Status.BAD_REQUEST, "node count %d needs at least %d bytes, %d left",
          nodeCount, nodeCount * MIN_NODE_BYTES, r.remaining());
    }
    try {
      List<NodeAddress> nodes = new ArrayList<>(nodeCount);
      for (int i = 0; i < nodeCount; i++) {
        String name = r.string("node name");
        String host = r.string("node host");
        int clientPort = r.u16("client port");
        int httpPort = r.u16("http port");
        int stateCode = r.u8("node state");
        NodeAddress.State state = NodeAddress.State.fromCode(stateCode);
        if (state == null) {
          throw r.fail(Status.BAD_REQUEST, "unknown state %d of node '%s'", stateCode, name);
        }
        String incarnation = r.string("node incarnation");
        nodes.add(new NodeAddress(name, host, clientPort, httpPort, state, incarnation));
      }
      Ring read = decodeRing(r);
      int same = r.u8("write ring marker");
      Ring write;
      if (same == 1) {
        write = read;
      } else if (same == 0) {
        write = decodeRing(r);
      } else {
        throw r.fail(Status.BAD_REQUEST, "write ring marker is %d, must be 0 or 1", same);
      }
      // The cluster id came later: a topology without it (an older node's) decodes with 0.
      long clusterId = r.remaining() >= 8 ? r.i64("cluster id") : 0;
      return new Topology(epoch, factor, phase, nodes, read, write, clusterId);
    } catch (IllegalArgumentException e) {
      throw r.fail(Status.BAD_REQUEST, "invalid topology: %s", e.getMessage());
    }
  }

  private static Ring decodeRing(BodyReader r) {
    int memberCount = r.u16("member count");
    if ((long) memberCount * MIN_MEMBER_BYTES > r.remaining()) {
      throw r.fail(Status.BAD_REQUEST, "member count %d needs at least %d bytes, %d left",
          memberCount, memberCount * MIN_MEMBER_BYTES, r.remaining());
    }
    Ring.Builder b = Ring.builder();
    for (int i = 0; i < memberCount; i++) {
      String name = r.string("member name");
      double weight = r.f64("member weight");
      String zone = r.string("member zone");
      int tokenCount = r.i32("token count");
      if (tokenCount < 1 || (long) tokenCount * 8 > r.remaining()) {
        throw r.fail(Status.BAD_REQUEST,
            "token count %d of member '%s' must be at least 1 and fit the %d bytes left",
            tokenCount, name, r.remaining());
      }
      long[] tokens = new long[tokenCount];
      for (int t = 0; t < tokenCount; t++) {
        tokens[t] = r.i64("token");
      }
      b.add(new Member(name, weight, zone), tokens);
    }
    return b.build();
  }
}
