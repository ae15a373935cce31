package io.ringcache.node.server;

import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreResult;
import io.ringcache.node.store.StoreStatus;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Request.WriteOutcome;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.protocol.WriteId;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A write's way from its coordinating owner to the other write owners.
 *
 * <h2>Design</h2>
 * The coordinating owner answers OK only after all of them applied the entry ({@code
 * writeAcks=all}, the default) or right away ({@code one}). A replica that fails or times out
 * turns the answer into {@code UNAVAILABLE} or {@code TIMEOUT}, never OK. A replica on another
 * epoch, or out of reach, does not fail the write at once: a topology change is under way, so the
 * entry is sent again to the owners of the newest topology once it is in, until the deadline.
 *
 * <p>A replica that already holds a newer entry for the key (a write another owner stamped with a
 * clock ahead of this one, typically during a join) keeps it and answers STALE with its version.
 * Acknowledging then would acknowledge a write that exists only here, so the coordinating owner
 * re-stamps the same outcome above that version ({@link
 * io.ringcache.node.store.LocalStore#restamp}: a write-too-old push, as in CockroachDB; an
 * increment is not counted again) and replicates the new entry to every write owner again. After
 * {@value #MAX_RESTAMPS} re-stamps the write fails with UNAVAILABLE (it may be applied on some
 * owners). A write that a later write coordinated here already replaced is not re-stamped: the
 * later one carries the key on.
 *
 * <p>A write that builds on the value it found (an increment, a conditional write) is resent
 * across a topology change only while this node still coordinates the key. Once the newest
 * topology names another coordinator, that owner may already have applied writes of its own on
 * top of the value it held (a join's SWITCH reaches the nodes a few milliseconds apart, and each
 * side refuses the other's epoch meanwhile), so pushing this node's result there would count an
 * increment over another, or pass a condition the other value fails. The write fails as
 * "maybe applied" instead: the client resends it with its write id to the new coordinator, which
 * applies it on the value it holds (or, if the first attempt reached it, answers its outcome).
 */
final class ReplicaFanOut {

  /** Longest pause between two sends of one replica write when no newer topology comes. */
  private static final long RETRY_PAUSE_MILLIS = 50;
  /** Re-stamps of one write above versions replicas held before the write fails. */
  static final int MAX_RESTAMPS = 3;

  private final RouteContext ctx;

  ReplicaFanOut(RouteContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Sends {@code entry} to every write owner but this node; completes, when the acks policy is
   * met, with the entry every owner holds: {@code entry} itself, or the re-stamped copy of it a
   * replica's STALE led to. A replica on another epoch, or one that cannot be reached, does not
   * fail the write at once: a topology change is under way, so the entry is sent again, to the
   * owners of the newest topology that have not acknowledged it yet, once that topology is in (or
   * after a short pause), until the replication deadline. Resending is safe: a replica applies an
   * entry by its version. With {@code writeAcks=one} it completes at once with {@code entry}
   * while replication (re-stamps included) goes on. With {@code buildsOnValue} the write fails
   * as "maybe applied" instead of being resent once another owner coordinates the key.
   */
  Future<ReplicaEntry> replicate(Topology t, Key key, ReplicaEntry entry,
      List<Member> owners, WriteId id, WriteOutcome kind, boolean buildsOnValue) {
    if (owners.size() <= 1) {
      return Future.succeededFuture(entry);
    }
    long budgetNanos = ctx.settings.requestTimeoutMillis() * 750_000L;
    Future<ReplicaEntry> all = new Replication(key, entry, id, kind, buildsOnValue,
        System.nanoTime() + budgetNanos).start(t, owners);
    return ctx.settings.writeAcksAll() ? all : Future.succeededFuture(entry);
  }

  private static Request.Replicate replicateMessage(Key key, ReplicaEntry entry, WriteId id,
      WriteOutcome kind) {
    return new Request.Replicate(key, entry.version(),
        entry.ttlMillis() == ReplicaEntry.NO_TTL ? -1 : Math.max(0, entry.ttlMillis()),
        entry.tombstone(), entry.tombstone() ? Buffer.buffer() : Buffer.buffer(entry.value()),
        id, kind);
  }

  /**
   * One write's way to every write owner, across the topology changes and the re-stamps it meets.
   * Runs on the router's event loop; one round of sends is answered in full before the next.
   */
  private final class Replication {
    private final Key key;
    private final WriteId id;
    private final WriteOutcome kind;
    private final boolean buildsOnValue;
    private final long deadlineNanos;
    private final Set<String> acked = new HashSet<>();
    private final Promise<ReplicaEntry> done = Promise.promise();
    /** The entry being replicated: the write's, or its latest re-stamp. */
    private ReplicaEntry entry;
    private Request.Replicate message;
    private int restamps;
    /** Highest version a replica answered STALE with in the current round, 0 for none. */
    private long heldAbove;

    Replication(Key key, ReplicaEntry entry, WriteId id, WriteOutcome kind,
        boolean buildsOnValue, long deadlineNanos) {
      this.key = key;
      this.id = id;
      this.kind = kind;
      this.buildsOnValue = buildsOnValue;
      this.entry = entry;
      this.message = replicateMessage(key, entry, id, kind);
      this.deadlineNanos = deadlineNanos;
    }

    Future<ReplicaEntry> start(Topology t, List<Member> owners) {
      attempt(t, owners);
      return done.future();
    }

    private void attempt(Topology t, List<Member> owners) {
      heldAbove = 0;
      List<Future<Void>> acks = new ArrayList<>(owners.size());
      for (Member m : owners) {
        if (!ctx.isSelf(t, m) && !acked.contains(m.name())) {
          acks.add(sendTo(t, m));
        }
      }
      if (acks.isEmpty()) {
        done.tryComplete(entry);
        return;
      }
      Future.join(acks).onComplete(ar -> {
        PeerException retryable = null;
        for (Future<Void> a : acks) {
          if (a.failed()) {
            PeerException e = a.cause() instanceof PeerException p ? p
                : new PeerException(Status.INTERNAL, String.valueOf(a.cause().getMessage()));
            if (!retryable(e.status())) {
              done.tryFail(e);
              return;
            }
            retryable = e;
          }
        }
        if (heldAbove != 0) {
          restamp();
          return;
        }
        if (retryable == null) {
          done.tryComplete(entry);
          return;
        }
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          done.tryFail(retryable);
          return;
        }
        ctx.stats.replicationRetries.increment();
        ctx.waits.newerThan(t.epoch(), Math.min(remainingMillis, RETRY_PAUSE_MILLIS))
            .onComplete(next -> resend(ctx.topology.current()));
      });
    }

    /**
     * A replica kept a newer entry: writes the same outcome again above it here and sends the new
     * entry to every write owner, those that acknowledged the old one included.
     */
    private void restamp() {
      if (restamps >= MAX_RESTAMPS || System.nanoTime() - deadlineNanos >= 0) {
        done.tryFail(new PeerException(Status.UNAVAILABLE, String.format(
            "replicas still held a newer version (%d) of the key than this write after %d"
                + " re-stamps; the write may be applied on some owners", heldAbove, restamps)));
        return;
      }
      StoreResult res = ctx.store.restamp(RouteContext.storeKey(key), entry, heldAbove);
      if (res.status() == StoreStatus.STALE) {
        // A later write coordinated here replaced this one; it answers for the key from now on.
        done.tryComplete(entry);
        return;
      }
      if (!res.ok()) {
        done.tryFail(new PeerException(Status.CLOCK_OFFSET,
            "a replica holds a newer version of the key than this write; re-stamping above it"
                + " failed, the write may be applied on this owner only: " + res.error()));
        return;
      }
      restamps++;
      ctx.stats.restamps.increment();
      entry = res.replica();
      message = replicateMessage(key, entry, id, kind);
      acked.clear();
      resend(ctx.topology.current());
    }

    /** Another round to the write owners of {@code now}, unless the key's coordination moved. */
    private void resend(Topology now) {
      List<Member> owners = now.writeReplicas(key.position());
      if (buildsOnValue && (owners.isEmpty() || !ctx.isSelf(now, owners.get(0)))) {
        done.tryFail(new PeerException(Status.UNAVAILABLE, String.format(
            "the key's coordination moved to %s in epoch %d while the write replicated; the"
                + " write may be applied on some owners; retry",
            owners.isEmpty() ? "no owner" : "'" + owners.get(0).name() + "'", now.epoch())));
        return;
      }
      attempt(now, owners);
    }

    private Future<Void> sendTo(Topology t, Member m) {
      NodeAddress address = t.node(m.name()).orElse(null);
      if (address == null) {
        return Future.failedFuture(new PeerException(Status.UNAVAILABLE,
            "owner '" + m.name() + "' has no address in epoch " + t.epoch()));
      }
      ctx.stats.replicationsSent.increment();
      return ctx.peers.send(address, 0, t.epoch(), message).<Void>compose(res -> {
        if (res.status() == Status.OK) {
          ctx.stats.replicationAcks.increment();
          acked.add(m.name());
          return Future.succeededFuture();
        }
        if (res instanceof Response.Stale stale) {
          heldAbove = Math.max(heldAbove, stale.heldVersion());
          return Future.succeededFuture();
        }
        String why = res instanceof Response.Failure f ? f.message() : res.status().toString();
        // The client must not read WRONG_EPOCH as "not applied": this node already applied the
        // write. UNAVAILABLE says "may or may not be applied; retry".
        Status status = res.status() == Status.WRONG_EPOCH ? Status.UNAVAILABLE : res.status();
        return Future.failedFuture(new PeerException(status,
            "replica '" + m.name() + "' refused the write: " + why));
      }).onFailure(e -> {
        ctx.stats.replicationFailures.increment();
        if (RequestRouter.statusOf(e) == Status.TIMEOUT) {
          ctx.stats.replicationTimeouts.increment();
        }
      });
    }
  }

  /** Failures a later topology (or a moment) may cure: resending the entry is worth it. */
  private static boolean retryable(Status s) {
    return s == Status.UNAVAILABLE || s == Status.WRONG_EPOCH || s == Status.BUSY
        || s == Status.TIMEOUT;
  }
}
