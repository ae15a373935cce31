package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.ScriptedIo.Answer;
import io.ringcache.client.ScriptedIo.LostAfterSend;
import io.ringcache.client.ScriptedIo.NotOpened;
import io.ringcache.client.ScriptedIo.Sent;
import io.ringcache.client.ScriptedIo.Silent;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Router}'s routing decisions against docs/client.md ("Routing", "Retries and failures"):
 * where a write and a read go, how a read fails over and skips a node that recently failed, when
 * and from whom the topology is fetched again. Over {@link ScriptedIo}: no socket, no sleep.
 */
class RouterRoutingTest {

  private static final Duration BACKOFF = Duration.ofMillis(20);
  private static final byte[] VALUE = {7};
  private static final Response VALUE_ANSWER = new Response.Value(5, -1, Buffer.buffer(VALUE));

  private static List<String> keys(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("key-" + Long.toHexString(r.nextLong()));
    }
    return out;
  }

  /** Runs {@code io} dry and returns the call's value or failure. */
  private static Object join(ScriptedIo io, java.util.concurrent.CompletionStage<?> call) {
    io.runUntilIdle();
    return join(call.toCompletableFuture());
  }

  private static Object join(CompletableFuture<?> f) {
    assertThat(f).as("the call completed").isDone();
    try {
      return f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  private static HostPort at(Member m) {
    return ScriptedIo.address(m.name());
  }

  // ------------------------------------------------------------------ owner selection

  @ParameterizedTest(name = "replication factor {0}")
  @ValueSource(ints = {1, 2, 3})
  void put_everyKey_goesToItsCoordinatingOwnerWithoutFlags(int rf) {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, rf));
    CacheOps<byte[]> cache = new CacheOps<>(io.bootstrap(ScriptedIo.settings(2, BACKOFF)),
        ValueCodec.bytes());
    io.script = s -> new Answer(new Response.Stored(5));
    Set<HostPort> owners = new HashSet<>();
    for (String k : keys(17, 300)) {
      cache.put(k, VALUE);
      io.runUntilIdle();
      Sent s = io.sent.get(io.sent.size() - 1);
      HostPort owner = at(io.topology.writeReplicas(Key.of(k).position()).get(0));
      assertThat(s.to()).as(k).isEqualTo(owner);
      assertThat(s.flags()).isZero();
      assertThat(s.epoch()).isEqualTo(3);
      owners.add(owner);
    }
    // The keys spread over every node, so a router that sent everything to one would fail.
    assertThat(owners).hasSize(3);
  }

  @Test
  void put_duringTransfer_goesToTheReadRingsPrimary_notTheJoiningNode() {
    List<NodeAddress> nodes = List.of(ScriptedIo.node("a"), ScriptedIo.node("b"),
        ScriptedIo.node("c"), ScriptedIo.node("d"));
    Topology transfer = new Topology(4, 2, Topology.Phase.TRANSFER, nodes,
        ScriptedIo.ring("a", "b", "c"), ScriptedIo.ring("a", "b", "c", "d"));
    ScriptedIo io = new ScriptedIo(transfer);
    CacheOps<byte[]> cache = new CacheOps<>(io.bootstrap(ScriptedIo.settings(2, BACKOFF)),
        ValueCodec.bytes());
    io.script = s -> new Answer(new Response.Stored(5));
    for (String k : keys(18, 200)) {
      cache.put(k, VALUE);
      io.runUntilIdle();
      long position = Key.of(k).position();
      assertThat(io.sent.get(io.sent.size() - 1).to())
          .isEqualTo(at(transfer.readReplicas(position).get(0)));
    }
    assertThat(io.sent).extracting(Sent::to).doesNotContain(ScriptedIo.address("d"));
  }

  @Test
  void get_everyKey_goesToItsPrimaryWithoutAnyOwner() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 3));
    CacheOps<byte[]> cache = new CacheOps<>(io.bootstrap(ScriptedIo.settings(2, BACKOFF)),
        ValueCodec.bytes());
    io.script = s -> new Answer(VALUE_ANSWER);
    for (String k : keys(19, 300)) {
      cache.get(k);
      io.runUntilIdle();
      Sent s = io.sent.get(io.sent.size() - 1);
      assertThat(s.to()).isEqualTo(at(io.topology.readReplicas(Key.of(k).position()).get(0)));
      assertThat(s.flags()).isZero();
    }
  }

  // ------------------------------------------------------------------ read failover

  /**
   * "A read that fails moves straight on to the next replica. It backs off only after it has
   * tried every replica", and "a node whose connection failed is skipped for reads for 1 s": a
   * read whose primary's connection was lost tries every other replica, at once, before it goes
   * back to the primary.
   */
  @ParameterizedTest(name = "replication factor {0}")
  @ValueSource(ints = {2, 3})
  void get_primaryConnectionLost_triesEveryOtherReplicaAtOnce(int rf) {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, rf));
    CacheOps<byte[]> cache = new CacheOps<>(io.bootstrap(ScriptedIo.settings(10, BACKOFF)),
        ValueCodec.bytes());
    String k = keys(20, 1).get(0);
    List<Member> replicas = io.topology.readReplicas(Key.of(k).position());
    HostPort primary = at(replicas.get(0));
    HostPort last = at(replicas.get(rf - 1));
    // The primary is gone; the other replicas answer BUSY except the last one.
    io.script = s -> s.to().equals(primary) ? new LostAfterSend()
        : s.to().equals(last) ? new Answer(VALUE_ANSWER)
        : new Answer(new Response.Failure(Status.BUSY, ""));

    Object result = join(io, cache.get(k));

    assertThat(result).isNotInstanceOf(Throwable.class);
    List<HostPort> tried = io.sent.stream().map(Sent::to).toList();
    List<HostPort> expected = new ArrayList<>();
    for (Member m : replicas) {
      expected.add(at(m));
    }
    assertThat(tried).as("one attempt per replica, primary first").isEqualTo(expected);
    assertThat(io.sent.subList(1, rf)).allMatch(s -> s.flags() == Flags.ANY_OWNER);
    assertThat(io.scheduled).as("no backoff before every replica was tried").containsOnly(0L);
  }

  @Test
  void get_afterPrimaryFailed_skipsItForOneSecond_thenReadsItAgain_whileWritesStillGoThere() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(3, BACKOFF));
    CacheOps<byte[]> cache = new CacheOps<>(router, ValueCodec.bytes());
    String k = keys(21, 1).get(0);
    List<Member> replicas = io.topology.readReplicas(Key.of(k).position());
    HostPort primary = at(replicas.get(0));
    HostPort second = at(replicas.get(1));
    // The primary's connection cannot be opened once; everything else is answered.
    io.script = s -> s.index() == 0 ? new NotOpened()
        : s.request() instanceof Request.Get ? new Answer(VALUE_ANSWER)
        : new Answer(new Response.Stored(5));
    join(io, cache.get(k));
    assertThat(io.sent).extracting(Sent::to).containsExactly(primary, second);

    io.advanceMillis(Router.DOWN_MILLIS - 10);
    cache.get(k);
    cache.put(k, VALUE);
    io.runUntilIdle();
    assertThat(io.sent.get(2).to()).as("read while the primary is marked down").isEqualTo(second);
    assertThat(io.sent.get(2).flags()).isEqualTo(Flags.ANY_OWNER);
    assertThat(io.sent.get(3).to()).as("write: one correct target").isEqualTo(primary);

    io.advanceMillis(20);
    cache.get(k);
    io.runUntilIdle();
    assertThat(io.sent.get(4).to()).as("read after the mark expired").isEqualTo(primary);
    assertThat(io.sent.get(4).flags()).isZero();
  }

  /**
   * "It backs off only after it has tried every replica": with a node DOWN in the topology a key
   * has fewer live replicas than the replication factor, and a read goes round them faster.
   */
  @Test
  void get_fewerLiveReplicasThanFactor_backsOffAfterEachRoundOfThem() {
    List<NodeAddress> nodes = List.of(ScriptedIo.node("a"), ScriptedIo.node("b"),
        new NodeAddress("c", ScriptedIo.address("c").host(), 7000, 8000,
            NodeAddress.State.DOWN));
    Topology t = Topology.stable(3, 3, nodes, ScriptedIo.ring("a", "b", "c"));
    ScriptedIo io = new ScriptedIo(t);
    CacheOps<byte[]> cache = new CacheOps<>(io.bootstrap(ScriptedIo.settings(4, BACKOFF)),
        ValueCodec.bytes());
    io.script = s -> new Answer(new Response.Failure(Status.BUSY, ""));

    Object result = join(io, cache.get("k"));

    assertThat(result).isInstanceOf(CacheUnavailableException.class);
    assertThat(t.readReplicas(Key.of("k").position())).hasSize(2);
    assertThat(io.sent).extracting(Sent::to).doesNotContain(ScriptedIo.address("c"));
    List<Long> d = io.scheduled;
    assertThat(d).hasSize(4);
    assertThat(d.get(0)).isZero();
    assertThat(d.get(1)).isBetween(10L, 20L);
    assertThat(d.get(2)).isZero();
    assertThat(d.get(3)).isBetween(20L, 40L);
  }

  // ------------------------------------------------------------------ topology fetches

  @Test
  void put_notOwner_refetchesAndResendsToTheNewOwnerWithTheNewEpoch() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 1));
    CacheOps<byte[]> cache = new CacheOps<>(io.bootstrap(ScriptedIo.settings(3, BACKOFF)),
        ValueCodec.bytes());
    String k = keys(22, 1).get(0);
    long position = Key.of(k).position();
    HostPort oldOwner = at(io.topology.writeReplicas(position).get(0));
    // Epoch 4: the old owner left; someone else owns the key now.
    String gone = io.topology.writeReplicas(position).get(0).name();
    List<String> rest = new ArrayList<>(List.of("a", "b", "c"));
    rest.remove(gone);
    Topology next = Topology.stable(4, 1,
        rest.stream().map(ScriptedIo::node).toList(), ScriptedIo.ring(rest.toArray(String[]::new)));
    io.topology = next;
    io.script = s -> s.to().equals(oldOwner)
        ? new Answer(new Response.Failure(Status.NOT_OWNER, "not mine"))
        : new Answer(new Response.Stored(5));

    Object result = join(io, cache.put(k, VALUE));

    assertThat(result).isEqualTo(5L);
    assertThat(io.sent).hasSize(2);
    assertThat(io.topologyAsks).as("asks the node that answered NOT_OWNER first")
        .containsExactly(oldOwner);
    assertThat(io.sent.get(1).to()).isEqualTo(at(next.writeReplicas(position).get(0)));
    assertThat(io.sent.get(1).epoch()).isEqualTo(4);
  }

  @Test
  void answer_withHigherEpoch_refetchesFromTheNodeThatHintedFirst() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(3, BACKOFF));
    CacheOps<byte[]> cache = new CacheOps<>(router, ValueCodec.bytes());
    io.topology = ScriptedIo.threeNodes(5, 2);
    io.answerEpoch = 5L;
    io.script = s -> new Answer(VALUE_ANSWER);

    join(io, cache.get("k"));

    assertThat(io.topologyAsks).containsExactly(io.sent.get(0).to());
    assertThat(router.installed().topology().epoch()).isEqualTo(5);
  }

  /** A lagging node (or a restarted cluster): looked into at most once a second. */
  @Test
  void answers_withLowerEpoch_refetchAtMostOncePerSecond() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(3, BACKOFF));
    CacheOps<byte[]> cache = new CacheOps<>(router, ValueCodec.bytes());
    io.answerEpoch = 2L;
    io.script = s -> new Answer(VALUE_ANSWER);

    join(io, cache.get("k"));
    assertThat(io.topologyAsks).as("the first lower epoch").hasSize(1);
    for (int i = 0; i < 10; i++) {
      io.advanceMillis(99);
      join(io, cache.get("k"));
    }
    assertThat(io.topologyAsks).as("990 ms later").hasSize(1);
    io.advanceMillis(20);
    join(io, cache.get("k"));
    assertThat(io.topologyAsks).as("just over a second later").hasSize(2);
    assertThat(router.installed().topology().epoch()).isEqualTo(3);
  }

  @Test
  void refresh_whileAFetchRuns_sharesIt() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(3, BACKOFF));
    io.topology = ScriptedIo.threeNodes(4, 2);

    CompletableFuture<Router.Installed> first = router.refresh(ScriptedIo.address("b"));
    CompletableFuture<Router.Installed> second = router.refresh(ScriptedIo.address("c"));
    io.runUntilIdle();

    assertThat(second).isSameAs(first);
    assertThat(io.topologyAsks).containsExactly(ScriptedIo.address("b"));
    assertThat(first.join().topology().epoch()).isEqualTo(4);
    router.refresh(null);
    io.runUntilIdle();
    assertThat(io.topologyAsks).as("a fetch after the first ended is a new one").hasSize(2);
  }

  /** "It asks the node that hinted first, then the other members, then the seeds; down last." */
  @Test
  void refresh_nobodyAnswers_asksHintedNodeThenMembersThenSeeds_downNodesLast() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    HostPort seed = new HostPort("10.0.0.9", 7000);
    Router router = io.bootstrap(ScriptedIo.settings(3, BACKOFF, seed));
    io.topologyRefusal = Status.UNAVAILABLE;
    // b's connection failed: it is marked down, and that starts a fetch of its own.
    router.connectionFailed(ScriptedIo.address("b"));
    io.runUntilIdle();
    assertThat(io.topologyAsks).hasSize(4);
    assertThat(io.topologyAsks.subList(0, 2))
        .containsExactlyInAnyOrder(ScriptedIo.address("a"), ScriptedIo.address("c"));
    assertThat(io.topologyAsks.subList(2, 4)).containsExactly(seed, ScriptedIo.address("b"));

    io.topologyAsks.clear();
    router.refresh(ScriptedIo.address("c"));
    io.runUntilIdle();
    assertThat(io.topologyAsks.get(0)).as("the hinted node first").isEqualTo(ScriptedIo.address("c"));

    io.topologyAsks.clear();
    router.refresh(ScriptedIo.address("b"));
    io.runUntilIdle();
    assertThat(io.topologyAsks.get(io.topologyAsks.size() - 1)).as("a down node, even hinted, last")
        .isEqualTo(ScriptedIo.address("b"));
    assertThat(router.installed().topology().epoch()).isEqualTo(3);
  }

  /** "Until it has one, calls wait for that fetch"; the fetch's failure is the attempt's. */
  @Test
  void get_beforeAnyTopology_waitsForTheFetch_retriesWhileNoNodeHasOne() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    io.topologyRefusal = Status.UNAVAILABLE;
    CacheOps<byte[]> cache = new CacheOps<>(new Router(ScriptedIo.settings(3, BACKOFF), io),
        ValueCodec.bytes());
    io.script = s -> new Answer(VALUE_ANSWER);

    Object result = join(io, cache.get("k"));

    assertThat(result).isExactlyInstanceOf(CacheUnavailableException.class);
    assertThat(io.topologyAsks).as("one fetch per attempt, from the seed").hasSize(4)
        .containsOnly(ScriptedIo.address("a"));
    assertThat(io.sent).isEmpty();

    io.topologyRefusal = null;
    io.topologyAsks.clear();
    assertThat(join(io, cache.get("k"))).isNotInstanceOf(Throwable.class);
    assertThat(io.topologyAsks).hasSize(1);
    assertThat(io.sent).hasSize(1);
  }

  @Test
  void get_beforeAnyTopology_authFailedFetch_failsAtOnce() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    io.topologyRefusal = Status.AUTH_FAILED;
    CacheOps<byte[]> cache = new CacheOps<>(new Router(ScriptedIo.settings(3, BACKOFF), io),
        ValueCodec.bytes());

    Object result = join(io, cache.get("k"));

    assertThat(result).isExactlyInstanceOf(CacheRejectedException.class);
    assertThat(((CacheException) result).status()).isEqualTo(FailureStatus.AUTH_FAILED);
    assertThat(io.topologyAsks).hasSize(1);
    assertThat(io.scheduled).isEmpty();
  }

  // ------------------------------------------------------------------ close

  @Test
  void close_whileACallBacksOff_failsItWithCacheClosedException() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(5, BACKOFF));
    CacheOps<byte[]> cache = new CacheOps<>(router, ValueCodec.bytes());
    io.script = s -> new Answer(new Response.Failure(Status.BUSY, ""));
    CompletableFuture<Long> call = cache.put("k", VALUE).toCompletableFuture();
    io.runWhile(() -> io.scheduled.isEmpty());
    assertThat(call).isNotDone();

    router.close();
    io.runUntilIdle();

    assertThat(join(call)).isInstanceOf(CacheClosedException.class);
    assertThat(io.sent).hasSize(1);
  }

  @Test
  void close_whileARequestWaitsForItsAnswer_failsItWithCacheClosedException() {
    ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, 2));
    Router router = io.bootstrap(ScriptedIo.settings(5, BACKOFF));
    CacheOps<byte[]> cache = new CacheOps<>(router, ValueCodec.bytes());
    io.script = s -> new Silent();
    CompletableFuture<Long> call = cache.increment("k", 1).toCompletableFuture();
    io.runUntilIdle();
    assertThat(call).isNotDone();

    router.close();
    io.runUntilIdle();

    assertThat(join(call)).isInstanceOf(CacheClosedException.class);
    assertThat(io.sent).hasSize(1);
  }
}
