package io.ringcache.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.client.ScriptedIo.Answer;
import io.ringcache.client.ScriptedIo.ClientTimeout;
import io.ringcache.client.ScriptedIo.LostAfterSend;
import io.ringcache.client.ScriptedIo.Malformed;
import io.ringcache.client.ScriptedIo.NotOpened;
import io.ringcache.client.ScriptedIo.Outcome;
import io.ringcache.client.ScriptedIo.Overloaded;
import io.ringcache.client.ScriptedIo.Sent;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retry matrix of single-key calls: every {@link Status} a node can answer, and every way an
 * attempt can fail without an answer, for every single-key operation, against the contract in
 * {@code docs/client.md} ("Retries and failures", "Exceptions", "Routing"). The expected decision
 * is written out here from that table, not derived from {@link Errors}, so a changed decision in
 * the code fails a case.
 *
 * <p>Calls run through the real {@link CacheOps} / {@link NamedCacheOps}, {@link SingleCall} and
 * {@link Router}; only the connections, timers and clock are {@link ScriptedIo}'s.
 */
class RetryMatrixTest {

  private static final int MAX_RETRIES = 4;
  private static final long BACKOFF_MILLIS = 20;
  private static final int RF = 2;
  private static final String KEY = "k";
  private static final byte[] VALUE = {1, 2, 3};

  /** The columns of the doc's retry table, and the lease request it names below the table. */
  enum Column {
    /** "reads, getAndTouch, put, remove, putAll": resent after every retryable failure. */
    PLAIN,
    /** "putIfAbsent, replace, compareAndSet, increment": resent with the same write id. */
    WITH_ID,
    /** "getOrLoad's lease request ... is not resent after an ambiguous failure". */
    NO_ID
  }

  /** One single-key operation: how to call it, its kind of write, and its answers. */
  enum Op {
    GET(Column.PLAIN, false, c -> c.plain.get(KEY),
        new Response.Value(5, -1, Buffer.buffer(VALUE))),
    PUT(Column.PLAIN, true, c -> c.plain.put(KEY, VALUE), new Response.Stored(5)),
    REMOVE(Column.PLAIN, true, c -> c.plain.remove(KEY), new Response.Ok()),
    PUT_IF_ABSENT(Column.WITH_ID, true,
        c -> c.plain.putIfAbsent(KEY, VALUE, Duration.ZERO), new Response.Stored(5)),
    REPLACE(Column.WITH_ID, true, c -> c.plain.replace(KEY, VALUE, Duration.ZERO),
        new Response.Stored(5)),
    COMPARE_AND_SET(Column.WITH_ID, true, c -> c.plain.compareAndSet(KEY, 4, VALUE),
        new Response.Stored(5)),
    INCREMENT(Column.WITH_ID, true, c -> c.plain.increment(KEY, 1), new Response.Counter(9, 5)),
    GET_AND_TOUCH(Column.PLAIN, true, c -> c.named.getAndTouch(KEY, Duration.ofSeconds(1)),
        new Response.Value(5, 1000, Buffer.buffer(VALUE))),
    /** The LEASE request of getOrLoad, as NamedCacheOps sends it and checks its answer. */
    LEASE(Column.NO_ID, true, c -> new SingleCall<>(c.router, SingleCall.Kind.CONDITIONAL,
        Key.of("c", KEY), new Request.Lease(Key.of("c", KEY), false, 0, 10_000, 1_000), r -> {
          if (!(r instanceof Response.LeaseAnswer)) {
            throw CacheOps.unexpected(r);
          }
          return r;
        }).start(),
        new Response.LeaseAnswer(Response.LeaseState.GRANTED, 11, 0, 0, null));

    final Column column;
    /** Whether it goes to the coordinating owner (else: read replicas). */
    final boolean write;
    final Function<Client, CompletionStage<?>> call;
    final Response ok;

    Op(Column column, boolean write, Function<Client, CompletionStage<?>> call, Response ok) {
      this.column = column;
      this.write = write;
      this.call = call;
      this.ok = ok;
    }

    /** What the call completes with when the node answers {@link #ok}. */
    void assertOkValue(Object value) {
      switch (this) {
        case GET, GET_AND_TOUCH -> assertThat(value).isInstanceOfSatisfying(Optional.class,
            o -> assertThat(((Versioned<?>) o.orElseThrow()).version()).isEqualTo(5));
        case PUT, COMPARE_AND_SET -> assertThat(value).isEqualTo(5L);
        case REMOVE -> assertThat(value).isEqualTo(true);
        case PUT_IF_ABSENT, REPLACE -> assertThat(value).isEqualTo(OptionalLong.of(5));
        case INCREMENT -> assertThat(value).isEqualTo(9L);
        case LEASE -> assertThat(value).isSameAs(ok);
        default -> throw new AssertionError(this);
      }
    }

    /** The key as this call sends it. */
    Key key() {
      return this == GET_AND_TOUCH || this == LEASE ? Key.of("c", KEY) : Key.of(KEY);
    }
  }

  /** The doc's decision for one attempt's outcome. */
  sealed interface Expect {}

  /** The call completes with this value at once ("Expected outcomes are results"). */
  record Value(Object value) implements Expect {}

  /** The call fails at once with exactly this type (and this status, unless null). */
  record Fails(Class<? extends Throwable> type, FailureStatus status) implements Expect {}

  /** The attempt is retried; after the last one the call fails with this type and status. */
  record Retried(Class<? extends Throwable> type, FailureStatus status) implements Expect {}

  /** The answer the node sends for {@code s}, as the codec would decode it. */
  static Response answer(Op op, Status s, int attempt) {
    return switch (s) {
      case OK -> op.ok;
      case VERSION_MISMATCH -> new Response.Mismatch(7);
      case STALE -> new Response.Stale(7);
      default -> new Response.Failure(s, "attempt " + attempt);
    };
  }

  /** docs/client.md, "Retries and failures" and "Exceptions", for an answer of {@code s}. */
  static Expect expected(Op op, Status s) {
    return switch (s) {
      case OK -> new Value(op.ok);
      case NOT_FOUND -> switch (op) {
        case GET, GET_AND_TOUCH -> new Value(Optional.empty());
        case REMOVE -> new Value(false);
        case REPLACE -> new Value(OptionalLong.empty());
        case COMPARE_AND_SET ->
            new Fails(VersionMismatchException.class, FailureStatus.NOT_FOUND);
        default -> new Fails(CacheRejectedException.class, FailureStatus.NOT_FOUND);
      };
      case EXISTS -> op == Op.PUT_IF_ABSENT ? new Value(OptionalLong.empty())
          : new Fails(CacheRejectedException.class, FailureStatus.EXISTS);
      case VERSION_MISMATCH -> op == Op.COMPARE_AND_SET
          ? new Fails(VersionMismatchException.class, FailureStatus.VERSION_MISMATCH)
          : new Fails(CacheRejectedException.class, null);
      // Node to node only: a client that gets one talks to a broken node.
      case STALE -> new Fails(CacheRejectedException.class, null);
      // "node did not apply": every call, every column. NOT_PRIMARY is not in the table;
      // protocol.md: "refresh the topology and ask again". The routing answers are one client
      // status ("Failure statuses").
      case NOT_OWNER, WRONG_EPOCH, NOT_PRIMARY ->
          new Retried(CacheUnavailableException.class, FailureStatus.LAYOUT_CHANGING);
      case BUSY -> new Retried(CacheUnavailableException.class, FailureStatus.BUSY);
      // A node on the minority side of a partition refuses without applying (rebalancing.md).
      case NO_QUORUM -> new Retried(CacheNoQuorumException.class, FailureStatus.NO_QUORUM);
      case UNAVAILABLE -> op.column == Column.NO_ID
          ? new Fails(CacheUnavailableException.class, FailureStatus.UNAVAILABLE)
          : new Retried(CacheUnavailableException.class, FailureStatus.UNAVAILABLE);
      case TIMEOUT -> op.column == Column.NO_ID
          ? new Fails(CacheTimeoutException.class, FailureStatus.TIMEOUT)
          : new Retried(CacheTimeoutException.class, FailureStatus.TIMEOUT);
      // Rejections: KEY_TOO_LARGE, AUTH_FAILED, ... , FORBIDDEN, CLOCK_OFFSET, NO_SUCH_CACHE,
      // each reported under its own name ("Failure statuses").
      default -> new Fails(CacheRejectedException.class, FailureStatus.valueOf(s.name()));
    };
  }

  /** The same for an attempt that got no answer. */
  static Expect expected(Op op, Outcome o) {
    boolean resendsAmbiguous = op.column != Column.NO_ID;
    if (o instanceof NotOpened) {
      return new Retried(CacheUnavailableException.class, FailureStatus.UNAVAILABLE);
    } else if (o instanceof LostAfterSend) {
      return resendsAmbiguous
          ? new Retried(CacheUnavailableException.class, FailureStatus.UNAVAILABLE)
          : new Fails(CacheUnavailableException.class, FailureStatus.UNAVAILABLE);
    } else if (o instanceof ClientTimeout) {
      return resendsAmbiguous ? new Retried(CacheTimeoutException.class, FailureStatus.TIMEOUT)
          : new Fails(CacheTimeoutException.class, FailureStatus.TIMEOUT);
    } else if (o instanceof Overloaded) {
      return new Fails(CacheOverloadedException.class, FailureStatus.BUSY);
    } else if (o instanceof Malformed) {
      return new Fails(CacheRejectedException.class, FailureStatus.INTERNAL);
    }
    throw new AssertionError(o);
  }

  /**
   * "The topology is fetched again when ... a node answers NOT_OWNER, UNAVAILABLE or WRONG_EPOCH,
   * or when a connection fails", and "a write first waits for a topology fetch, then backs off"
   * (not after BUSY, which is load shedding). NOT_PRIMARY as NOT_OWNER (protocol.md).
   */
  static boolean fetchesTopology(Op op, Status s, Expect e) {
    boolean hinted = s == Status.NOT_OWNER || s == Status.UNAVAILABLE
        || s == Status.WRONG_EPOCH || s == Status.NOT_PRIMARY || s == Status.NO_QUORUM;
    return hinted || op.write && e instanceof Retried && s != Status.BUSY;
  }

  // ------------------------------------------------------------------ the matrix

  static Stream<Arguments> statusByOp() {
    List<Arguments> out = new ArrayList<>();
    for (Op op : Op.values()) {
      for (Status s : Status.values()) {
        out.add(Arguments.of(op, s));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> retriedStatusByOp() {
    return statusByOp().filter(a -> expected((Op) a.get()[0], (Status) a.get()[1])
        instanceof Retried);
  }

  static Stream<Arguments> outcomeByOp() {
    List<Arguments> out = new ArrayList<>();
    for (Op op : Op.values()) {
      for (Supplier<Outcome> o : List.<Supplier<Outcome>>of(NotOpened::new, LostAfterSend::new,
          ClientTimeout::new, Overloaded::new, Malformed::new)) {
        out.add(Arguments.of(op, o.get().getClass().getSimpleName(), o));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> retriedOutcomeByOp() {
    return outcomeByOp().filter(a -> expected((Op) a.get()[0],
        (Outcome) ((Supplier<?>) a.get()[2]).get()) instanceof Retried);
  }

  @ParameterizedTest(name = "{0} answered {1} every time")
  @MethodSource("statusByOp")
  void everyAttemptAnswered_status_decidedAsTheDocSays(Op op, Status status) {
    Client c = new Client(MAX_RETRIES);
    c.io.script = s -> new Answer(answer(op, status, s.index()));

    Object result = c.run(op);

    Expect e = expected(op, status);
    c.assertCompleted(result, e, op);
    if (e instanceof Retried) {
      assertThat(c.io.sent).hasSize(1 + MAX_RETRIES);
      // The last attempt's error, not the first one's.
      assertThat(((Throwable) result).getMessage()).contains("attempt " + MAX_RETRIES);
      c.assertAttemptsAgree(op);
      c.assertBackoff(op);
    } else {
      assertThat(c.io.sent).hasSize(1);
      assertThat(c.io.scheduled).isEmpty();
    }
    c.assertTarget(op, 0);
    assertThat(c.io.topologyAsks.isEmpty()).isEqualTo(!fetchesTopology(op, status, e));
  }

  @ParameterizedTest(name = "{0} answered {1} once, then OK")
  @MethodSource("retriedStatusByOp")
  void firstAttemptAnswered_retriedStatus_secondAttemptSucceeds(Op op, Status status) {
    Client c = new Client(MAX_RETRIES);
    c.io.script = s -> new Answer(s.index() == 0 ? answer(op, status, 0) : op.ok);
    // A fetch slower than the first backoff, so a write that did not wait for it would show.
    c.io.topologyMillis = 10 * BACKOFF_MILLIS;

    Object result = c.run(op);

    op.assertOkValue(result);
    assertThat(c.io.sent).hasSize(2);
    c.assertAttemptsAgree(op);
    c.assertTarget(op, 0);
    c.assertTarget(op, 1);
    boolean fetch = fetchesTopology(op, status, expected(op, status));
    assertThat(c.io.topologyAsks).hasSize(fetch ? 1 : 0);
    if (fetch && op.write) {
      // A write waits for the fetch before its next attempt: one target only.
      assertThat(c.io.log.indexOf(c.io.log.stream().filter(l -> l.startsWith("topology"))
          .findFirst().orElseThrow())).isLessThan(c.io.log.lastIndexOf(c.lastSendLine()));
    }
  }

  @ParameterizedTest(name = "{0}: {1} on every attempt")
  @MethodSource("outcomeByOp")
  void everyAttemptFailed_withoutAnswer_decidedAsTheDocSays(Op op, String name,
      Supplier<Outcome> outcome) {
    Client c = new Client(MAX_RETRIES);
    Outcome o = outcome.get();
    c.io.script = s -> o;

    Object result = c.run(op);

    Expect e = expected(op, o);
    c.assertCompleted(result, e, op);
    if (e instanceof Retried) {
      assertThat(c.io.sent).hasSize(1 + MAX_RETRIES);
      c.assertAttemptsAgree(op);
    } else {
      assertThat(c.io.sent).hasSize(1);
      assertThat(c.io.scheduled).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}: {1} once, then OK")
  @MethodSource("retriedOutcomeByOp")
  void firstAttemptFailed_withoutAnswer_retriedAndSucceeds(Op op, String name,
      Supplier<Outcome> outcome) {
    Client c = new Client(MAX_RETRIES);
    Outcome o = outcome.get();
    c.io.script = s -> s.index() == 0 ? o : new Answer(op.ok);

    Object result = c.run(op);

    op.assertOkValue(result);
    assertThat(c.io.sent).hasSize(2);
    c.assertAttemptsAgree(op);
    c.assertTarget(op, 0);
    c.assertTarget(op, 1);
    // A lost or unopened connection makes the client refetch; a timeout makes only a write do.
    boolean fetch = !(o instanceof ClientTimeout) || op.write;
    assertThat(c.io.topologyAsks).hasSize(fetch ? 1 : 0);
  }

  @ParameterizedTest(name = "{0} answered {1} with maxRetries 0")
  @MethodSource("retriedStatusByOp")
  void noRetries_retriedStatus_failsAfterOneAttempt(Op op, Status status) {
    Client c = new Client(0);
    c.io.script = s -> new Answer(answer(op, status, s.index()));

    Object result = c.run(op);

    Retried e = (Retried) expected(op, status);
    assertThat(result).isExactlyInstanceOf(e.type());
    assertThat(((CacheException) result).status()).isEqualTo(e.status());
    assertThat(c.io.sent).hasSize(1);
    assertThat(c.io.scheduled).isEmpty();
  }

  /** "Doubles per retry with jitter (×0.5..1), capped at 50×." */
  @ParameterizedTest(name = "retry {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3, 6, 7, 12, 30, 100})
  void backoff_doublesPerRetry_jitterHalfToWhole_cappedAtFiftyTimes(int retry) {
    ClientSettings settings = ScriptedIo.settings(100, Duration.ofMillis(BACKOFF_MILLIS));
    long full = Math.min(50 * BACKOFF_MILLIS, BACKOFF_MILLIS * (1L << Math.min(retry - 1, 20)));
    assertThat(settings.backoffMillis(retry, 0.0)).isEqualTo(full / 2);
    assertThat(settings.backoffMillis(retry, 0.999_999)).isBetween(full - 1, full);
    assertThat(ScriptedIo.settings(100, Duration.ZERO).backoffMillis(retry, 0.5)).isZero();
  }

  // ------------------------------------------------------------------ the client under test

  /** A router over scripted nodes a, b, c (replication factor 2), with a default and a named view. */
  static final class Client {
    final ScriptedIo io = new ScriptedIo(ScriptedIo.threeNodes(3, RF));
    final Router router;
    final CacheOps<byte[]> plain;
    final NamedCacheOps<byte[]> named;

    Client(int maxRetries) {
      router = io.bootstrap(ScriptedIo.settings(maxRetries, Duration.ofMillis(BACKOFF_MILLIS)));
      plain = new CacheOps<>(router, ValueCodec.bytes());
      named = new NamedCacheOps<>(router, ValueCodec.bytes(), "c");
    }

    /** Starts the call, runs the event queue dry, and returns its value or its failure. */
    Object run(Op op) {
      CompletableFuture<?> f = op.call.apply(this).toCompletableFuture();
      io.runUntilIdle();
      assertThat(f).as("the call completed").isDone();
      try {
        return f.join();
      } catch (CompletionException e) {
        return e.getCause();
      }
    }

    void assertCompleted(Object result, Expect e, Op op) {
      if (e instanceof Value v) {
        if (v.value() == op.ok) {
          op.assertOkValue(result);
        } else {
          assertThat(result).isEqualTo(v.value());
        }
      } else {
        Class<? extends Throwable> type = e instanceof Fails f ? f.type() : ((Retried) e).type();
        FailureStatus status = e instanceof Fails f ? f.status() : ((Retried) e).status();
        assertThat(result).isExactlyInstanceOf(type);
        if (status != null) {
          assertThat(((CacheException) result).status()).isEqualTo(status);
        }
      }
    }

    /**
     * Every attempt sends the call's one request: the same write id (none for a plain put, one
     * for every other write) and the installed epoch.
     */
    void assertAttemptsAgree(Op op) {
      Request first = io.sent.get(0).request();
      for (Sent s : io.sent) {
        assertThat(s.request()).isSameAs(first);
        assertThat(s.epoch()).isEqualTo(3);
      }
      if (first instanceof Request.Write w) {
        assertThat(w.writeId().isNone()).as("write id of %s", op)
            .isEqualTo(op == Op.PUT || op == Op.GET_AND_TOUCH);
      } else {
        assertThat(op).as("%s sends a write request", op).isIn(Op.GET, Op.LEASE);
      }
    }

    /**
     * A write goes to the key's coordinating owner on every attempt; a read walks its replicas,
     * primary first, the others with ANY_OWNER.
     */
    void assertTarget(Op op, int attempt) {
      Sent s = io.sent.get(attempt);
      Topology t = io.topology;
      long position = op.key().position();
      if (op.write) {
        assertThat(s.to()).isEqualTo(address(t.writeReplicas(position).get(0)));
        assertThat(s.flags()).isZero();
      } else {
        List<Member> replicas = t.readReplicas(position);
        Member m = replicas.get(attempt % replicas.size());
        assertThat(s.to()).isEqualTo(address(m));
        assertThat(s.flags()).isEqualTo(m == replicas.get(0) ? 0 : Flags.ANY_OWNER);
      }
    }

    /**
     * "Doubles per retry with jitter (×0.5..1), capped at 50×"; a read "backs off only after it
     * has tried every replica", a write before every retry.
     */
    void assertBackoff(Op op) {
      int replicas = io.topology.readReplicas(op.key().position()).size();
      List<Long> delays = io.scheduled;
      assertThat(delays).hasSize(MAX_RETRIES);
      for (int retry = 1; retry <= delays.size(); retry++) {
        long d = delays.get(retry - 1);
        if (!op.write && retry % replicas != 0) {
          assertThat(d).as("read retry %d goes to the next replica at once", retry).isZero();
          continue;
        }
        int round = op.write ? retry : retry / replicas;
        long full = Math.min(50 * BACKOFF_MILLIS, BACKOFF_MILLIS << (round - 1));
        assertThat(d).as("backoff before retry %d", retry).isBetween(full / 2, full);
        // Respected: the retry went out no sooner (on the virtual clock).
        long gap = io.sent.get(retry).atNanos() - io.sent.get(retry - 1).atNanos();
        assertThat(gap).as("time before retry %d", retry).isGreaterThanOrEqualTo(d * 1_000_000L);
      }
    }

    String lastSendLine() {
      Sent s = io.sent.get(io.sent.size() - 1);
      return "send " + s.to() + " " + s.request().opcode();
    }

    static HostPort address(Member m) {
      return ScriptedIo.address(m.name());
    }
  }
}
