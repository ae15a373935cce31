package io.ringcache.protocol;

import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Sample messages and topologies for tests, built from seeded randomness. */
final class Samples {

  private Samples() {}

  static Buffer bytes(SplittableRandom rnd, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return Buffer.buffer(b);
  }

  /** A key mixing ASCII, 2-, 3- and 4-byte UTF-8 characters. */
  static Key key(SplittableRandom rnd) {
    String[] parts = {"a", "Z", "0", ":", "é", "ß", "€", "漢", "😀"};
    StringBuilder sb = new StringBuilder();
    int n = 1 + rnd.nextInt(20);
    for (int i = 0; i < n; i++) {
      sb.append(parts[rnd.nextInt(parts.length)]);
    }
    return Key.of(sb.toString());
  }

  /** One request of every opcode. */
  static List<Request> requests(SplittableRandom rnd) {
    List<Request> all = new ArrayList<>();
    all.add(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "s3cret-ü", "loadtest-7"));
    byte[] peerSecret = new byte[32];
    for (int i = 0; i < peerSecret.length; i++) {
      peerSecret[i] = (byte) rnd.nextInt(256);
    }
    all.add(new Request.Hello(FrameCodec.PROTOCOL_VERSION, "", "peer:node-1", peerSecret));
    all.add(new Request.Ping());
    all.add(new Request.Get(key(rnd)));
    all.add(new Request.Set(key(rnd), bytes(rnd, rnd.nextInt(300)), 0, SetMode.ALWAYS));
    all.add(new Request.Set(key(rnd), bytes(rnd, 0), 60_000, SetMode.IF_ABSENT));
    all.add(new Request.Set(key(rnd), bytes(rnd, 17), 1, SetMode.IF_PRESENT));
    all.add(new Request.Delete(key(rnd)));
    all.add(new Request.MultiGet(List.of(key(rnd), key(rnd), key(rnd))));
    all.add(new Request.MultiGet(List.of()));
    all.add(new Request.MultiSet(List.of(
        new Request.MultiSet.Entry(key(rnd), bytes(rnd, 5), 0),
        new Request.MultiSet.Entry(key(rnd), bytes(rnd, 0), 1000))));
    all.add(new Request.Cas(key(rnd), rnd.nextLong(), bytes(rnd, 40), 5));
    all.add(new Request.Increment(key(rnd), -rnd.nextLong(1, Long.MAX_VALUE), 0));
    all.add(new Request.GetTopology());
    all.add(new Request.GetStats());
    all.add(new Request.Get(Key.of("orders-ü", "k" + rnd.nextInt())));
    all.add(new Request.PutIfVersion(key(rnd), 0, bytes(rnd, 4), -1, WriteId.NONE));
    all.add(new Request.PutIfVersion(key(rnd), rnd.nextLong(1, Long.MAX_VALUE), bytes(rnd, 9),
        rnd.nextLong(0, 1 << 30), new WriteId(rnd.nextLong(), 3)));
    all.add(new Request.GetTouch(Key.of("c", "k"), rnd.nextLong(0, Long.MAX_VALUE),
        WriteId.NONE));
    all.add(new Request.DeleteIf(key(rnd), rnd.nextLong(), rnd.nextBoolean(), WriteId.NONE));
    all.add(new Request.Lease(key(rnd), false, 0, 5_000, 1_000));
    all.add(new Request.Lease(Key.of("c", "k"), true, rnd.nextLong(), 1, 0));
    all.add(new Request.CacheAdmin("{\"op\":\"list\"}"));
    all.add(new Request.CacheSize("orders"));
    all.add(new Request.CacheClear("orders", rnd.nextBoolean()));
    all.add(new Request.ClearPeer("orders", rnd.nextLong(0, Long.MAX_VALUE), true));
    all.add(new Request.WriteOutcomes(List.of(
        new Request.LoggedWrite(new WriteId(rnd.nextLong(), 1), rnd.nextLong(),
            Request.WriteOutcome.COUNTED, rnd.nextLong(1, Long.MAX_VALUE), -12),
        new Request.LoggedWrite(new WriteId(-3, Long.MAX_VALUE), Long.MIN_VALUE,
            Request.WriteOutcome.DELETED_NOTHING, 9, 0))));
    all.add(new Request.CacheScan("orders", rnd.nextLong(), rnd.nextBoolean(),
        rnd.nextInt(1, 5000)));
    all.add(new Request.Subscribe("default", rnd.nextInt(), rnd.nextBoolean(),
        rnd.nextBoolean()));
    all.add(new Request.Replicate(key(rnd), Long.MAX_VALUE - 3, -1, false, bytes(rnd, 33)));
    all.add(new Request.Replicate(key(rnd), 42, 1500, true, Buffer.buffer()));
    WriteId id = new WriteId(rnd.nextLong(), rnd.nextLong(1, Long.MAX_VALUE));
    all.add(new Request.Set(key(rnd), bytes(rnd, 9), 0, SetMode.IF_ABSENT, id));
    all.add(new Request.Cas(key(rnd), rnd.nextLong(), bytes(rnd, 3), 0, id));
    all.add(new Request.Delete(key(rnd), id));
    all.add(new Request.Increment(key(rnd), 1, 500, id));
    all.add(new Request.Replicate(key(rnd), 7, -1, false, Buffer.buffer("12"), id,
        Request.WriteOutcome.COUNTED));
    all.add(new Request.Replicate(key(rnd), 8, 0, true, Buffer.buffer(), id,
        Request.WriteOutcome.DELETED_NOTHING));
    all.add(new Request.ReplicateBatch(List.of(
        new Request.Replicate(key(rnd), 9, -1, false, bytes(rnd, 21)),
        new Request.Replicate(key(rnd), 10, 2500, false, bytes(rnd, 0), id,
            Request.WriteOutcome.STORED),
        new Request.Replicate(key(rnd), 11, 0, true, Buffer.buffer(), id,
            Request.WriteOutcome.DELETED),
        new Request.Replicate(key(rnd), 12, 5, true, Buffer.buffer()))));
    all.add(new Request.DigestRanges(List.of(PositionRange.ALL,
        new PositionRange(-rnd.nextLong(1, Long.MAX_VALUE), rnd.nextLong(0, Long.MAX_VALUE)))));
    all.add(new Request.DigestRanges(List.of(new PositionRange(-3, 9)), true));
    all.add(new Request.ReconcileRange(new PositionRange(5, 5), List.of()));
    all.add(new Request.ReconcileRange(new PositionRange(Long.MIN_VALUE, 0), List.of(
        new Request.ReconcileRange.Held(key(rnd), rnd.nextLong(1, Long.MAX_VALUE), false),
        new Request.ReconcileRange.Held(Key.of("c", "k"), 3, true))));
    return all;
  }

  /** Answers of every opcode, paired with the opcode they answer. */
  static List<Answer> answers(SplittableRandom rnd) {
    List<Answer> all = new ArrayList<>();
    all.add(new Answer(Opcode.HELLO, new Response.Hello("node-ä-1", 1)));
    all.add(new Answer(Opcode.PING, new Response.Ok()));
    all.add(new Answer(Opcode.GET, new Response.Value(rnd.nextLong(), -1, bytes(rnd, 100))));
    all.add(new Answer(Opcode.GET, new Response.Value(7, 0, bytes(rnd, 0))));
    all.add(new Answer(Opcode.GET, Response.Failure.of(Status.NOT_FOUND)));
    all.add(new Answer(Opcode.SET, new Response.Stored(rnd.nextLong())));
    all.add(new Answer(Opcode.SET, Response.Failure.of(Status.EXISTS)));
    all.add(new Answer(Opcode.DELETE, new Response.Ok()));
    all.add(new Answer(Opcode.MULTI_GET, new Response.Values(List.of(
        new Response.Values.Entry(Status.OK, 9, bytes(rnd, 12)),
        Response.Values.Entry.missing(Status.NOT_FOUND),
        new Response.Values.Entry(Status.OK, 10, bytes(rnd, 0))))));
    all.add(new Answer(Opcode.MULTI_SET, new Response.StoredAll(List.of(
        new Response.StoredAll.Entry(Status.OK, 11),
        new Response.StoredAll.Entry(Status.VALUE_TOO_LARGE, 0)))));
    all.add(new Answer(Opcode.CAS, new Response.Stored(12)));
    all.add(new Answer(Opcode.CAS, new Response.Mismatch(rnd.nextLong())));
    all.add(new Answer(Opcode.INCREMENT, new Response.Counter(-5, 13)));
    all.add(new Answer(Opcode.TOPOLOGY, new Response.CurrentTopology(topology(rnd, 4, 8))));
    all.add(new Answer(Opcode.STATS, new Response.Stats("{\"gets\":12,\"name\":\"nœud\"}")));
    all.add(new Answer(Opcode.CACHE_ADMIN, new Response.Stats("{\"caches\":[]}")));
    all.add(new Answer(Opcode.CACHE_SIZE, new Response.Counter(12, 3)));
    all.add(new Answer(Opcode.CACHE_CLEAR, new Response.Counter(0, rnd.nextLong())));
    all.add(new Answer(Opcode.CLEAR_PEER, new Response.Counter(5, 77)));
    all.add(new Answer(Opcode.WRITE_OUTCOMES, new Response.Counter(2, 0)));
    all.add(new Answer(Opcode.SUBSCRIBE, new Response.Counter(1, 0)));
    all.add(new Answer(Opcode.GET_TOUCH, new Response.Value(9, 1000, bytes(rnd, 3))));
    all.add(new Answer(Opcode.DELETE_IF, new Response.Ok()));
    all.add(new Answer(Opcode.LEASE, new Response.LeaseAnswer(Response.LeaseState.VALUE, 0, 7,
        -1, bytes(rnd, 12))));
    all.add(new Answer(Opcode.LEASE, new Response.LeaseAnswer(Response.LeaseState.GRANTED,
        rnd.nextLong(), 0, 0, null)));
    all.add(new Answer(Opcode.LEASE, new Response.LeaseAnswer(Response.LeaseState.HELD, 0, 0,
        1500, null)));
    all.add(new Answer(Opcode.PUT_IF_VERSION, new Response.Stored(rnd.nextLong())));
    all.add(new Answer(Opcode.PUT_IF_VERSION, new Response.Mismatch(rnd.nextLong())));
    all.add(new Answer(Opcode.DELETE_IF, new Response.Mismatch(rnd.nextLong())));
    all.add(new Answer(Opcode.CACHE_SCAN, new Response.Entries(List.of(
        new Response.Entries.Entry(Key.of("c", "a"), 4, -1, bytes(rnd, 10)),
        new Response.Entries.Entry(key(rnd), 5, 300, bytes(rnd, 0))), rnd.nextLong())));
    all.add(new Answer(Opcode.CACHE_SCAN, Response.Failure.of(Status.NOT_PRIMARY)));
    all.add(new Answer(Opcode.SET, new Response.Failure(Status.NO_QUORUM,
        "this node sees 1 of the 3 members of the last stable topology")));
    all.add(new Answer(Opcode.EVENT, new Response.Event(Response.EventType.UPDATED,
        Key.of("c", "k"), 8, bytes(rnd, 6), bytes(rnd, 2), "")));
    all.add(new Answer(Opcode.EVENT, new Response.Event(Response.EventType.REMOVED, key(rnd), 9,
        null, null, "")));
    all.add(new Answer(Opcode.EVENT, new Response.Event(Response.EventType.MISSED, null, 0,
        null, null, "too slow")));
    all.add(new Answer(Opcode.EVENT, new Response.Event(Response.EventType.HEARTBEAT,
        rnd.nextLong(1, Long.MAX_VALUE), null, 0, null, null, "")));
    all.add(new Answer(Opcode.EVENT, new Response.Event(Response.EventType.CREATED, 17,
        key(rnd), 5, bytes(rnd, 3), null, "")));
    all.add(new Answer(Opcode.REPLICATE, new Response.Ok()));
    all.add(new Answer(Opcode.REPLICATE, new Response.Stale(rnd.nextLong())));
    all.add(new Answer(Opcode.SET, new Response.Failure(Status.BUSY, "queue full: 1024 of 1024")));
    all.add(new Answer(Opcode.REPLICATE, new Response.Failure(Status.WRONG_EPOCH, "mine is 8")));
    all.add(new Answer(Opcode.REPLICATE_BATCH, new Response.ReplicaOutcomes(List.of(
        new Response.Ok(), new Response.Stale(rnd.nextLong()),
        new Response.Failure(Status.CLOCK_OFFSET, "ahead by 900 ms, limit is 500"),
        Response.Failure.of(Status.BAD_REQUEST)))));
    all.add(new Answer(Opcode.REPLICATE_BATCH,
        new Response.Failure(Status.WRONG_EPOCH, "mine is 9")));
    all.add(new Answer(Opcode.DIGEST_RANGES, new Response.Digests(List.of(
        new Response.Digests.Entry(rnd.nextLong(), 12), new Response.Digests.Entry(0, 0)))));
    all.add(new Answer(Opcode.DIGEST_RANGES, new Response.Failure(Status.WRONG_EPOCH, "on 4")));
    all.add(new Answer(Opcode.RECONCILE_RANGE, new Response.Reconciled(List.of(key(rnd)),
        List.of(new Request.Replicate(key(rnd), 9, -1, false, bytes(rnd, 7)),
            new Request.Replicate(key(rnd), 10, 0, true, Buffer.buffer())), true)));
    all.add(new Answer(Opcode.RECONCILE_RANGE,
        new Response.Reconciled(List.of(), List.of(), false)));
    return all;
  }

  record Answer(Opcode opcode, Response response) {}

  /**
   * A TRANSFER topology: the read ring has {@code members} zoned, weighted members with
   * {@code tokens} random tokens each; the write ring adds one more member.
   */
  static Topology topology(SplittableRandom rnd, int members, int tokens) {
    Ring.Builder read = Ring.builder();
    List<NodeAddress> nodes = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      String name = "node-" + m;
      read.add(new Member(name, 0.5 + m, "zone-" + (m % 3)), randomTokens(rnd, tokens));
      nodes.add(new NodeAddress(name, "10.0.0." + m, 7000 + m, m % 2 == 0 ? 8080 : 0,
          NodeAddress.State.UP));
    }
    Ring readRing = read.build();
    Ring writeRing = readRing.with(new Member("node-new", 1.0, "zone-0"),
        randomTokens(rnd, tokens));
    nodes.add(new NodeAddress("node-new", "host.example", 7100, 8100,
        NodeAddress.State.JOINING));
    return new Topology(rnd.nextLong(1, Long.MAX_VALUE), 2, Topology.Phase.TRANSFER, nodes,
        readRing, writeRing);
  }

  static long[] randomTokens(SplittableRandom rnd, int n) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = rnd.nextLong();
    }
    return t;
  }

  /** A frame assembled by hand, for inputs the encoder refuses to produce. */
  static Buffer rawFrame(int opcode, int flags, int status, int requestId, long epoch,
      Buffer body) {
    Buffer b = Buffer.buffer();
    b.appendInt(Frame.MIN_LENGTH + body.length());
    b.appendUnsignedByte((short) opcode);
    b.appendUnsignedByte((short) flags);
    b.appendUnsignedByte((short) status);
    b.appendUnsignedByte((short) 0);
    b.appendInt(requestId);
    b.appendLong(epoch);
    b.appendBuffer(body);
    return b;
  }

  /** Parses {@code bytes} as one complete frame, failing if it is not exactly one. */
  static Frame parseOne(Buffer bytes, ProtocolLimits limits) {
    List<Frame> frames = new ArrayList<>();
    List<ProtocolException> errors = new ArrayList<>();
    FrameParser p = new FrameParser(limits, frames::add, errors::add);
    p.handle(bytes);
    if (!errors.isEmpty() || frames.size() != 1 || p.buffered() != 0) {
      throw new AssertionError("expected one frame, got " + frames + " errors " + errors
          + " buffered " + p.buffered());
    }
    return frames.get(0);
  }
}
