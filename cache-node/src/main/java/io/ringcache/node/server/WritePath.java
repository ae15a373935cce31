package io.ringcache.node.server;

import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoredValue;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.store.StoreStatus;
import io.ringcache.node.store.WriteLog;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Request.WriteOutcome;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * SET, CAS, DELETE and INCREMENT: the coordinating owner (the first write owner) applies the write
 * to its store, which stamps the version, records its outcome in the {@link WriteLog} when it
 * carries a write id, and answers once {@link ReplicaFanOut} has the entry on the other write
 * owners; a node that does not coordinate the key forwards it. A resent write (same write id) is
 * not applied again: the key's current entry is replicated once more and the first outcome is
 * answered.
 */
final class WritePath {

  private final RouteContext ctx;
  private final Forwarding forwarding;
  private final ReplicaFanOut fanOut;

  WritePath(RouteContext ctx, Forwarding forwarding, ReplicaFanOut fanOut) {
    this.ctx = ctx;
    this.forwarding = forwarding;
    this.fanOut = fanOut;
  }

  Future<Response> set(Request.Set r, int flags) {
    if (r.ttlMillis() == 0 && r.key().isQualified()) {
      // A named cache's expiry applies to writes without a TTL of their own.
      return write(flags, r, k -> {
        long[] ttl = CachePath.ttls(ctx, r.key(), 0);
        return ctx.store.set(k, RouteContext.bytesOf(r.value()), ttl[0], ttl[1],
            r.mode());
      }, WritePath::stored);
    }
    return write(flags, r,
        k -> ctx.store.set(k, RouteContext.bytesOf(r.value()), r.ttlMillis(), r.mode()),
        WritePath::stored);
  }

  /** PUT_IF_VERSION: a CAS where 0 means "only if absent" and the TTL may be kept. */
  Future<Response> putIfVersion(Request.PutIfVersion r, int flags) {
    return write(flags, r, k -> {
      long ttl = r.ttlMillis();
      if (ttl == 0 && r.key().isQualified()) {
        long[] ttls = CachePath.ttls(ctx, r.key(), 0);
        ttl = r.expectedVersion() == 0 ? ttls[0] : ttls[1];
      }
      return ctx.store.compareAndSet(k, r.expectedVersion(), RouteContext.bytesOf(r.value()),
          ttl);
    }, WritePath::stored);
  }

  Future<Response> getTouch(Request.GetTouch r, int flags) {
    return write(flags, r, k -> ctx.store.touch(k, r.ttlMillis()), res -> switch (res.status()) {
      case OK -> new Response.Value(res.version(), res.ttlMillis(),
          io.vertx.core.buffer.Buffer.buffer(res.value()));
      case NOT_FOUND -> Response.Failure.of(Status.NOT_FOUND);
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      default -> new Response.Failure(Status.INTERNAL, "unexpected store status " + res.status());
    });
  }

  Future<Response> deleteIf(Request.DeleteIf r, int flags) {
    return write(flags, r, k -> ctx.store.deleteIf(k, r.expectedVersion()),
        res -> switch (res.status()) {
          case OK -> new Response.Ok();
          case NOT_FOUND -> Response.Failure.of(Status.NOT_FOUND);
          case VERSION_MISMATCH -> new Response.Mismatch(res.version());
          case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
          default -> new Response.Failure(Status.INTERNAL, "unexpected store status "
              + res.status());
        });
  }

  Future<Response> cas(Request.Cas r, int flags) {
    return write(flags, r, k -> {
      if (r.expectedVersion() == 0) {
        // No entry has version 0: CAS keeps its protocol 1 answer and writes nothing
        // (PUT_IF_VERSION is the "only if absent" form).
        StoredValue live = ctx.store.peek(k);
        return live == null ? StoreResult.notFound()
            : StoreResult.mismatch(live.version());
      }
      long ttl = r.ttlMillis() == 0 ? CachePath.ttls(ctx, r.key(), 0)[1] : r.ttlMillis();
      return ctx.store.compareAndSet(k, r.expectedVersion(), RouteContext.bytesOf(r.value()),
          ttl);
    }, WritePath::stored);
  }

  Future<Response> delete(Request.Delete r, int flags) {
    return write(flags, r, ctx.store::delete, WritePath::deleted);
  }

  Future<Response> increment(Request.Increment r, int flags) {
    // TTL 0 keeps a counter's TTL; a counter it creates takes the cache's creation expiry.
    return write(flags, r, k -> ctx.store.increment(k, r.delta(),
        r.ttlMillis() == 0 ? CachePath.ttls(ctx, r.key(), 0)[0] : r.ttlMillis()),
        WritePath::counter);
  }

  private Future<Response> write(int flags, Request.Write request,
      Function<StoreKey, StoreResult> apply, Function<StoreResult, Response> answer) {
    Key key = request.key();
    Topology t = ctx.topology.current();
    List<Member> owners = t.writeReplicas(key.position());
    if (owners.isEmpty()) {
      return RouteContext.noTopology();
    }
    if (!ctx.isSelf(t, owners.get(0))) {
      return forwarding.forward(t, owners.get(0), flags, request);
    }
    WriteId id = request.writeId();
    WriteLog.Outcome first = ctx.writes.find(id, key.position());
    if (first != null) {
      return retried(t, key, id, first, owners);
    }
    StoreResult res = EventedWrite.apply(ctx, key, EventedWrite.kindOf(request), apply);
    if (res.replica() == null) {
      return Future.succeededFuture(answer.apply(res));
    }
    WriteOutcome kind = id.isNone() ? WriteOutcome.NONE : outcomeOf(request, res);
    // A touch records no outcome: its retry is a read again, not an answer to repeat.
    WriteId sent = kind == WriteOutcome.NONE ? WriteId.NONE : id;
    ctx.writes.record(sent, key.position(), kind, res.replica());
    if (owners.size() == 1) {
      // No other owner (RF=1): nothing to wait for, no futures to compose.
      return Future.succeededFuture(answer.apply(res));
    }
    return fanOut.replicate(t, key, res.replica(), owners, sent, kind, buildsOnValue(request))
        .map(held -> {
          if (held != res.replica()) {
            ctx.writes.restamped(sent, held.version());
          }
          return answer.apply(restamped(res, held));
        })
        .otherwise(RequestRouter::maybeApplied);
  }

  /**
   * A write this node (or the owner it took the key over from) already applied: the key's current
   * entry goes to every write owner again, since the first attempt may have reached only some of
   * them, and the answer is the first attempt's. The current entry is the write's own or a later
   * write's, which carries the key on (and an increment's count with it).
   */
  private Future<Response> retried(Topology t, Key key, WriteId id, WriteLog.Outcome first,
      List<Member> owners) {
    ctx.stats.writeRetriesAnswered.increment();
    ReplicaEntry current = ctx.store.replicaOf(RouteContext.storeKey(key));
    if (current == null) {
      // Expired or evicted since: nothing is left to replicate; the write did happen.
      return Future.succeededFuture(answerOf(first));
    }
    boolean own = current.version() == first.version();
    // The current entry may carry an increment's count: never pushed over a new coordinator's.
    return fanOut.replicate(t, key, current, owners, own ? id : WriteId.NONE,
        own ? first.kind() : WriteOutcome.NONE, true)
        .map(held -> {
          if (own && held != current) {
            ctx.writes.restamped(id, held.version());
            return answerOf(first.withVersion(held.version()));
          }
          return answerOf(first);
        })
        .otherwise(RequestRouter::maybeApplied);
  }

  /**
   * Whether the write's result depends on the value it found: an increment, a conditional write,
   * a touch. A plain SET or DELETE leaves the same entry whatever was there.
   */
  static boolean buildsOnValue(Request.Write request) {
    if (request instanceof Request.Set s) {
      return s.mode() != SetMode.ALWAYS;
    }
    return !(request instanceof Request.Delete);
  }

  private static WriteOutcome outcomeOf(Request.Write request, StoreResult res) {
    if (request instanceof Request.Increment) {
      return WriteOutcome.COUNTED;
    }
    if (request instanceof Request.GetTouch) {
      return WriteOutcome.NONE;
    }
    if (request instanceof Request.Delete || request instanceof Request.DeleteIf) {
      return res.status() == StoreStatus.OK ? WriteOutcome.DELETED : WriteOutcome.DELETED_NOTHING;
    }
    return WriteOutcome.STORED;
  }

  private static Response answerOf(WriteLog.Outcome o) {
    return switch (o.kind()) {
      case STORED -> new Response.Stored(o.version());
      case COUNTED -> new Response.Counter(o.counter(), o.version());
      case DELETED -> new Response.Ok();
      case DELETED_NOTHING -> Response.Failure.of(Status.NOT_FOUND);
      case NONE -> throw new IllegalStateException("a recorded outcome is never NONE");
    };
  }

  /** {@code res} with the version of the entry every owner ended up holding. */
  private static StoreResult restamped(StoreResult res, ReplicaEntry held) {
    if (held == res.replica()) {
      return res;
    }
    return new StoreResult(res.status(), held.version(), res.value(), held, res.error(),
        res.ttlMillis());
  }

  private static Response deleted(StoreResult res) {
    return switch (res.status()) {
      case OK -> new Response.Ok();
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      default -> Response.Failure.of(Status.NOT_FOUND);
    };
  }

  private static Response stored(StoreResult res) {
    return switch (res.status()) {
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      case OK -> new Response.Stored(res.version());
      case EXISTS -> Response.Failure.of(Status.EXISTS);
      case VERSION_MISMATCH -> new Response.Mismatch(res.version());
      case NOT_FOUND -> Response.Failure.of(Status.NOT_FOUND);
      default -> new Response.Failure(Status.INTERNAL, "unexpected store status " + res.status());
    };
  }

  private static Response counter(StoreResult res) {
    return switch (res.status()) {
      case OK -> new Response.Counter(
          Long.parseLong(new String(res.value(), StandardCharsets.US_ASCII)), res.version());
      case NOT_A_NUMBER, OVERFLOW -> new Response.Failure(Status.BAD_REQUEST, res.error());
      case CLOCK_OFFSET -> new Response.Failure(Status.CLOCK_OFFSET, res.error());
      default -> new Response.Failure(Status.INTERNAL, "unexpected store status " + res.status());
    };
  }
}
