package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.WriteId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * One single-key call, from routing through retries to its result; the call is its own future
 * and its own first attempt's {@link Reply}.
 *
 * <h2>Design</h2>
 * Each attempt routes by the topology installed when it starts: a read to the first live read
 * replica (then the next ones, with ANY_OWNER), a write to the key's coordinating owner. The
 * outcome of an attempt is one of: an answer the caller wants (including NOT_FOUND, EXISTS and
 * VERSION_MISMATCH, which {@code result} turns into values or typed exceptions); a failure a retry
 * may cure; or a failure it cannot (rejections, a closed client). Only one attempt is active at a
 * time, and an attempt's reply is ignored once a later attempt started.
 *
 * <p>A call that succeeds at its first attempt allocates this object, its request and what the
 * connection writes: the call is the {@link CompletableFuture} handed to the caller and the
 * first attempt's {@link Reply} (later attempts get a small reply object each, which drops a
 * stale answer), and it is registered with the router only while it waits outside a connection.
 * A profile of {@code ClientBench} had shown a future, an anonymous reply, two lambdas and a
 * concurrent-set entry per call.
 *
 * <h2>Retry policy</h2>
 * NOT_OWNER, BUSY and a connection that never opened mean the node did not apply the request:
 * every kind of call is resent. A lost connection, a timeout, UNAVAILABLE and TIMEOUT answers are
 * ambiguous for writes (the owner may have applied and failed to replicate). They are resent for
 * reads, for idempotent writes ({@link Kind#WRITE}) and for {@link Kind#CONDITIONAL} ones that
 * carry a {@link WriteId}: every attempt sends the same id, and the owner answers a resend of a
 * write it applied with the first outcome instead of applying it again. A conditional write
 * without an id is not resent after an ambiguous failure, since its retry could report its own
 * earlier success as a conflict (or count twice).
 * Writes wait for a topology fetch before retrying, since they have exactly one correct target;
 * reads move on to the next replica at once. Further retries back off exponentially with jitter.
 * At most {@code 1 + maxRetries} attempts are made, each bounded by the request timeout.
 *
 * <h2>Failure</h2>
 * Every call completes: with the result, with the error of its last attempt, or with
 * {@link CacheClosedException} when the client closes (through the connection that holds its
 * request, or through the router's registry while it waits for a fetch or a retry timer).
 */
final class SingleCall<T> extends CompletableFuture<T> implements LiveCall, Reply {

  enum Kind {
    READ,
    /**
     * Applying it twice equals applying it once (SET ALWAYS; GET_TOUCH, whose second application
     * leaves the entry as a later touch would).
     */
    WRITE,
    /**
     * Applying it twice differs from applying it once (IF_ABSENT, IF_PRESENT, CAS, INCREMENT, and
     * DELETE's "was it there"): resent after an ambiguous failure only with a {@link WriteId}.
     */
    CONDITIONAL
  }

  private final Router router;
  private final Kind kind;
  private final Key key;
  private final Request request;
  /** Whether an attempt that may have been applied can be resent. */
  private final boolean resendAmbiguous;
  /** Maps an answer to the result; may throw a {@link CacheException}. */
  private final Function<Response, T> result;
  private volatile int attempt;
  private volatile boolean registered;
  private volatile HostPort lastAddress;

  SingleCall(Router router, Kind kind, Key key, Request request, Function<Response, T> result) {
    this.router = router;
    this.kind = kind;
    this.key = key;
    this.request = request;
    this.resendAmbiguous = kind != Kind.CONDITIONAL
        || request instanceof Request.Write w && !w.writeId().isNone();
    this.result = result;
  }

  CompletableFuture<T> start() {
    run();
    return this;
  }

  @Override
  public void abort(CacheException error) {
    finish(error);
  }

  private void run() {
    if (isDone()) {
      return;
    }
    if (router.isClosed()) {
      finish(new CacheClosedException("the client is closed"));
      return;
    }
    Router.Installed now = router.installed();
    if (now.routable()) {
      route(now);
      return;
    }
    if (!track()) {
      return;
    }
    router.ready().whenComplete((installed, error) -> {
      if (error != null) {
        CacheException e = unwrap(error);
        if (e instanceof CacheRejectedException || e instanceof CacheClosedException) {
          finish(e);
        } else {
          retry(e, false);
        }
      } else {
        route(installed);
      }
    });
  }

  /**
   * Registers the call with the router before it waits outside a connection; fails it and
   * answers false when the client is closed.
   */
  private boolean track() {
    if (registered) {
      return true;
    }
    registered = true;
    if (!router.register(this)) {
      finish(new CacheClosedException("the client is closed"));
      return false;
    }
    return true;
  }

  private void route(Router.Installed installed) {
    int current = attempt;
    Destination target = kind == Kind.READ
        ? router.readTarget(installed, key.position(), current)
        : router.writeTarget(installed, key.position());
    if (target == null) {
      retry(new CacheUnavailableException(Status.UNAVAILABLE, String.format(
          "no owner of '%s' in topology epoch %d", key, installed.topology().epoch()), null),
          true);
      return;
    }
    lastAddress = target.address();
    router.send(target, request, installed.topology().epoch(),
        current == 0 ? this : new AttemptReply(current));
  }

  // The first attempt's reply. A later attempt starts only after this one's outcome arrived, so
  // the check only guards against a reply delivered twice.
  @Override
  public void answered(Response response) {
    if (attempt == 0) {
      onAnswer(response);
    }
  }

  @Override
  public void failed(CacheException error, boolean maybeApplied) {
    if (attempt == 0) {
      onFailure(error, maybeApplied);
    }
  }

  /** The reply of attempt {@code number} > 0: ignored once a later attempt started. */
  private final class AttemptReply implements Reply {
    private final int number;

    AttemptReply(int number) {
      this.number = number;
    }

    @Override
    public void answered(Response response) {
      if (number == attempt) {
        onAnswer(response);
      }
    }

    @Override
    public void failed(CacheException error, boolean maybeApplied) {
      if (number == attempt) {
        onFailure(error, maybeApplied);
      }
    }
  }

  private void onAnswer(Response response) {
    if (response instanceof Response.Failure f) {
      Status s = f.status();
      if (s != Status.NOT_FOUND && s != Status.EXISTS) {
        CacheException error = Errors.of(f, describe());
        if (Errors.suggestsNewLayout(s)) {
          router.refresh(lastAddress);
        }
        if (Errors.notApplied(s)) {
          retry(error, true);
        } else if (Errors.transientAmbiguous(s) && resendAmbiguous) {
          retry(error, true);
        } else {
          finish(error);
        }
        return;
      }
    }
    T value;
    try {
      value = result.apply(response);
    } catch (RuntimeException e) {
      finish(e);
      return;
    }
    if (registered) {
      router.unregister(this);
    }
    complete(value);
  }

  private void onFailure(CacheException error, boolean maybeApplied) {
    if (error instanceof CacheRejectedException || error instanceof CacheClosedException) {
      finish(error);
    } else if (maybeApplied && !resendAmbiguous) {
      finish(error);
    } else {
      retry(error, true);
    }
  }

  /**
   * Starts the next attempt, or fails with {@code error} when none is left.
   *
   * @param layoutSuspect whether the failure may come from stale routing
   */
  private void retry(CacheException error, boolean layoutSuspect) {
    int done = attempt;
    if (done >= router.settings.maxRetries() || isDone()) {
      finish(error);
      return;
    }
    if (!track()) {
      return;
    }
    int next = done + 1;
    attempt = next;
    if (kind == Kind.READ) {
      // Fail over to the next replica at once; back off only when going round again. The
      // round is the key's live read replicas, fewer than the factor while an owner is DOWN.
      Router.Installed now = router.installed();
      int replicas = Math.max(1, now.topology().readReplicas(key.position()).size());
      long delay = next % replicas == 0 ? router.backoffMillis(next / replicas) : 0;
      router.schedule(delay, this::run);
      return;
    }
    long delay = router.backoffMillis(next);
    if (layoutSuspect && error.protocolStatus() != Status.BUSY) {
      router.refresh(lastAddress).whenComplete((i, e) -> router.schedule(delay, this::run));
    } else {
      router.schedule(delay, this::run);
    }
  }

  private void finish(Throwable error) {
    if (registered) {
      router.unregister(this);
    }
    completeExceptionally(error);
  }

  private String describe() {
    return request.opcode() + " '" + key + "'";
  }

  static CacheException unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c instanceof CacheException ce ? ce
        : new CacheUnavailableException(Status.INTERNAL, String.valueOf(c.getMessage()), c);
  }
}
