package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A {@link Router.Io} for unit tests of routing and retries: nodes that answer what the test
 * scripts, a virtual clock, and a timer queue the test runs by hand. No socket, thread, sleep or
 * wall clock is involved, so a test is deterministic and takes microseconds of virtual backoff.
 *
 * <p>Every request a router sends lands in {@link #sent} (TOPOLOGY asks in {@link #topologyAsks}),
 * and its outcome is delivered like a {@link Connection} delivers it: on a later turn of the
 * (single, virtual) event loop, an answer after its header epoch was reported, a lost connection's
 * replies before {@code connectionFailed}. TOPOLOGY is answered with {@link #topology}; a data
 * request with what {@link #script} says for it.
 */
final class ScriptedIo implements Router.Io {

  /** One data request as a node received it. */
  record Sent(int index, HostPort to, Request request, int flags, long epoch, long atNanos) {}

  /** What happens to one data request. */
  sealed interface Outcome {}

  /** The node answers {@code response}. */
  record Answer(Response response) implements Outcome {}

  /** The connection could not be opened: nothing was sent. */
  record NotOpened() implements Outcome {}

  /** The connection was lost after the request went out: maybe applied. */
  record LostAfterSend() implements Outcome {}

  /** The sweep found no answer within the request timeout: maybe applied. */
  record ClientTimeout() implements Outcome {}

  /** The connection's queue is full: refused at once, unsent. */
  record Overloaded() implements Outcome {}

  /** The answer cannot be decoded: the connection reports it as a malformed answer. */
  record Malformed() implements Outcome {}

  /** No answer ever (for tests that close the client meanwhile). */
  record Silent() implements Outcome {}

  private record Timer(long dueNanos, long seq, Runnable task) {}

  private final PriorityQueue<Timer> timers = new PriorityQueue<>((x, y) -> x.dueNanos != y.dueNanos
      ? Long.compare(x.dueNanos, y.dueNanos) : Long.compare(x.seq, y.seq));
  private long seq;
  private boolean closed;
  /** The virtual clock; starts far from 0 so that no code can mistake it for "unset". */
  long nanos = 1_000_000_000_000L;
  /** Every data request, in the order sent. */
  final List<Sent> sent = new ArrayList<>();
  /** Every TOPOLOGY ask, by address, in the order sent. */
  final List<HostPort> topologyAsks = new ArrayList<>();
  /** What happened, in order: "send NODE OPCODE", "ask NODE", "topology NODE EPOCH". */
  final List<String> log = new ArrayList<>();
  /** Every delay the router asked {@link #schedule} for, in order. */
  final List<Long> scheduled = new ArrayList<>();
  /** What every node answers TOPOLOGY with. */
  Topology topology;
  /** What nodes answer TOPOLOGY with instead of {@link #topology}; null: the topology. */
  Status topologyRefusal;
  /** How long a TOPOLOGY answer takes (data answers take no time). */
  long topologyMillis;
  /** The epoch in the header of data answers; the topology's when not set. */
  Long answerEpoch;
  /** The outcome of each data request. */
  Function<Sent, Outcome> script = s -> new Answer(new Response.Ok());
  /** Unanswered requests of {@link Silent} outcomes, failed by {@link FakeLink#fail}. */
  private final List<Reply> silent = new ArrayList<>();

  ScriptedIo(Topology topology) {
    this.topology = topology;
  }

  // ------------------------------------------------------------------ Router.Io

  @Override
  public NodeChannel.Link connect(HostPort address, Connection.Listener listener) {
    return new FakeLink(address, listener);
  }

  @Override
  public void schedule(long delayMillis, Runnable task) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    scheduled.add(delayMillis);
    at(Math.max(0, delayMillis) * 1_000_000L, task);
  }

  @Override
  public long every(long millis, Runnable task) {
    return -1;
  }

  @Override
  public void cancel(long timer) {}

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public boolean isClientThread() {
    return false;
  }

  /** As closing Vert.x: timers that did not fire never will, and no new work is taken. */
  @Override
  public CompletableFuture<Void> close() {
    closed = true;
    timers.clear();
    return CompletableFuture.completedFuture(null);
  }

  // ------------------------------------------------------------------ the test's side

  /** Runs every due task, advancing the clock to each, until none is left. */
  void runUntilIdle() {
    runWhile(() -> true);
  }

  /** Runs tasks in due order, advancing the clock to each, while {@code condition} holds. */
  void runWhile(BooleanSupplier condition) {
    for (int steps = 0; !timers.isEmpty() && condition.getAsBoolean(); steps++) {
      if (steps > 100_000) {
        throw new AssertionError("the event queue never drained: a retry loop?");
      }
      Timer t = timers.poll();
      nanos = Math.max(nanos, t.dueNanos);
      t.task.run();
    }
  }

  /** Moves the clock forward without running anything. */
  void advanceMillis(long millis) {
    nanos += millis * 1_000_000L;
  }

  private void at(long delayNanos, Runnable task) {
    timers.add(new Timer(nanos + delayNanos, seq++, task));
  }

  /** One connection to one node. */
  private final class FakeLink implements NodeChannel.Link {
    private final HostPort address;
    private final Connection.Listener listener;
    private boolean failed;

    FakeLink(HostPort address, Connection.Listener listener) {
      this.address = address;
      this.listener = listener;
    }

    @Override
    public void send(Request request, int flags, long epoch, Reply reply) {
      if (failed) {
        reply.failed(new CacheUnavailableException(Status.UNAVAILABLE,
            "connection to " + address + " is down", null), false);
        return;
      }
      if (request instanceof Request.GetTopology) {
        topologyAsks.add(address);
        log.add("ask " + address);
        Topology t = topology;
        at(topologyMillis * 1_000_000L, () -> {
          if (topologyRefusal != null) {
            reply.answered(new Response.Failure(topologyRefusal, "refused"));
            return;
          }
          log.add("topology " + address + " " + t.epoch());
          listener.epochSeen(t.epoch(), address);
          reply.answered(new Response.CurrentTopology(t));
        });
        return;
      }
      Sent s = new Sent(sent.size(), address, request, flags, epoch, nanos);
      sent.add(s);
      log.add("send " + address + " " + request.opcode());
      Outcome outcome = script.apply(s);
      if (outcome instanceof Answer a) {
        at(0, () -> {
          listener.epochSeen(answerEpoch != null ? answerEpoch : topology.epoch(), address);
          reply.answered(a.response());
        });
      } else if (outcome instanceof NotOpened) {
        at(0, () -> lose(reply, false, "cannot connect to " + address));
      } else if (outcome instanceof LostAfterSend) {
        at(0, () -> lose(reply, true, "connection to " + address + " closed (attempt "
            + s.index() + ")"));
      } else if (outcome instanceof ClientTimeout) {
        at(0, () -> reply.failed(new CacheTimeoutException(
            address + " did not answer (attempt " + s.index() + ")"), true));
      } else if (outcome instanceof Overloaded) {
        reply.failed(new CacheOverloadedException(address + ": queue full"), false);
      } else if (outcome instanceof Malformed) {
        at(0, () -> reply.failed(new CacheRejectedException(Status.INTERNAL,
            "malformed answer from " + address), true));
      } else {
        silent.add(reply);
      }
    }

    /** As {@link Connection#fail}: replies first, then the listener. */
    private void lose(Reply reply, boolean maybeApplied, String why) {
      failed = true;
      reply.failed(new CacheUnavailableException(Status.UNAVAILABLE, why, null), maybeApplied);
      listener.connectionFailed(address);
    }

    @Override
    public boolean isFailed() {
      return failed;
    }

    @Override
    public void fail(CacheException error) {
      failed = true;
      List<Reply> orphans = List.copyOf(silent);
      silent.clear();
      for (Reply r : orphans) {
        r.failed(error, true);
      }
    }
  }

  // ------------------------------------------------------------------ fixtures

  static HostPort address(String node) {
    return new HostPort("10.0.0." + (node.charAt(0) - 'a' + 1), 7000);
  }

  static NodeAddress node(String name) {
    HostPort a = address(name);
    return new NodeAddress(name, a.host(), a.port(), 8000, NodeAddress.State.UP);
  }

  /** A stable topology of nodes a, b, c (8 tokens each, spread evenly), with {@code rf}. */
  static Topology threeNodes(long epoch, int rf) {
    return Topology.stable(epoch, rf, List.of(node("a"), node("b"), node("c")), ring("a", "b", "c"));
  }

  /** A ring of {@code names}, 8 tokens each, interleaved round the ring. */
  static Ring ring(String... names) {
    Ring.Builder b = Ring.builder();
    int n = names.length;
    for (int m = 0; m < n; m++) {
      long[] tokens = new long[8];
      for (int t = 0; t < 8; t++) {
        tokens[t] = Long.MIN_VALUE + (Long.MAX_VALUE / (8L * n)) * 2 * (t * n + m) + 1;
      }
      b.add(Member.of(names[m]), tokens);
    }
    return b.build();
  }

  /** Client settings with seed a, no hot-key reads, and the given retry budget and backoff. */
  static ClientSettings settings(int maxRetries, Duration backoff) {
    return settings(maxRetries, backoff, address("a"));
  }

  static ClientSettings settings(int maxRetries, Duration backoff, HostPort seed) {
    return new ClientSettings(List.of(seed), Duration.ofSeconds(2), maxRetries, backoff,
        "", 1, ProtocolLimits.defaults(), "test", ClientTls.OFF, 65_536, Duration.ZERO, 1,
        Duration.ofSeconds(10), false, null);
  }

  /** A router over this io that has fetched {@link #topology} from its seed. */
  Router bootstrap(ClientSettings settings) {
    Router router = new Router(settings, this);
    CompletableFuture<Router.Installed> ready = router.refresh(null);
    runUntilIdle();
    if (!ready.isDone() || ready.isCompletedExceptionally()
        || router.installed().topology().epoch() != topology.epoch()) {
      throw new AssertionError("the router did not install epoch " + topology.epoch());
    }
    topologyAsks.clear();
    scheduled.clear();
    log.clear();
    return router;
  }
}
