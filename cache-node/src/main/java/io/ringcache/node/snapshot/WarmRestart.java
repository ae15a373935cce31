package io.ringcache.node.snapshot;

import io.ringcache.node.logging.NodeLog;
import io.ringcache.node.peer.NetPeerClient;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.topology.Self;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Topology;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Warm restart: a node with a {@code data-dir} writes what it holds to a snapshot when it stops
 * gracefully (or when asked), and at its next start checks that snapshot whole before it serves,
 * then replays it into the cluster once a STABLE topology names it.
 *
 * <h2>Design</h2>
 * Loading means: the file is read and checked whole ({@link SnapshotReader#verify}) before the
 * servers start, and a damaged file is reported, moved aside to {@value
 * SnapshotFile#CORRUPT_NAME} and skipped, so nothing of it is ever applied; the other replicas
 * hold its ranges. The entries are then replayed by {@link SnapshotReplay} to the write owners of
 * the first STABLE topology that names this node, where they merge by version. Writing them into
 * this node's store at start instead would not survive the rebalance: the ring after a
 * whole-cluster restart is rebuilt in join order, and every STABLE topology drops from a store
 * the keys it does not give that node, before the node could hand them to their new owners.
 *
 * <p>A snapshot whose cluster is still running (the topology's cluster id is the one in its
 * header: this node stopped alone and the others went on) is replayed only while it is younger
 * than the tombstone TTL: a key deleted meanwhile has lost its tombstone after that, and the
 * snapshot's copy would bring it back. After a whole-cluster restart the cluster id is new, and
 * the snapshot is the only copy of its data.
 *
 * <p>While a replay is pending no snapshot is written over the one loaded: the store does not
 * hold its entries yet, and a stop before the replay would otherwise lose them.
 *
 * <h2>Concurrency</h2>
 * Writes run on the node's maintenance thread, never on an event loop, after any drop of unowned
 * entries the last topology queued there, so a node that handed its ranges over writes what it
 * still holds. The replay runs on the context {@link #start} was called on (file reads on worker
 * threads); {@link #json} may be read from any thread.
 *
 * <h2>Failure</h2>
 * Every future returned completes: a write dropped from the maintenance queue by a close is
 * failed by {@link #abandonWrites}. A replay pass that fails for the network or a new epoch runs
 * again on the next STABLE topology; one that finds the file damaged after all (changed since it
 * was checked) stops for good, reported as {@code snapshot.corrupt}.
 *
 * <p>About 400 lines because loading, replaying and writing share one piece of state, the
 * snapshot loaded and not replayed yet, which no write may replace; the file format, its checks
 * and the replay's sending live in {@link SnapshotFile}, {@link SnapshotReader} and {@link
 * SnapshotReplay}.
 */
public final class WarmRestart {

  private static final Logger LOG = Logger.getLogger(WarmRestart.class.getName());
  private static final long RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final Path dir;
  private final Self me;
  private final LocalStore store;
  private final TopologyHolder holder;
  private final long tombstoneTtlMillis;
  private final Executor maintenance;
  private final ServerSettings server;
  private final PeerSecret peerSecret;

  private Context context;
  private NetPeerClient peers;
  private SnapshotReplay replay;
  private boolean running;
  private boolean closed;
  private volatile SnapshotReader.Verified pending;
  private volatile JsonObject loaded;
  private volatile JsonObject replayed;
  private volatile JsonObject written;
  private volatile String corrupt;
  /** Writes handed to the maintenance thread and not finished yet. */
  private final Set<Promise<JsonObject>> writes = ConcurrentHashMap.newKeySet();

  /**
   * @param dir the data directory, or null when warm restart is off
   * @param maintenance the node's single maintenance thread (writes run there)
   */
  public WarmRestart(Vertx vertx, Path dir, ServerSettings server, PeerSecret peerSecret,
      LocalStore store, TopologyHolder holder, Duration tombstoneTtl, Executor maintenance) {
    this.vertx = vertx;
    this.dir = dir;
    this.me = server.self();
    this.server = server;
    this.peerSecret = peerSecret;
    this.store = store;
    this.holder = holder;
    this.tombstoneTtlMillis = tombstoneTtl.toMillis();
    this.maintenance = maintenance;
  }

  /** Whether a data directory is set. */
  public boolean enabled() {
    return dir != null;
  }

  /**
   * Reads and checks the snapshot in the data directory, if any; blocks, so call it off the event
   * loop, before the servers start. A damaged file is logged, moved aside and skipped.
   *
   * @throws IllegalStateException when the data directory cannot be created: the node must not
   *     start without the place it will write its snapshot to
   */
  public void load() {
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(SnapshotFile.TEMP_NAME));
    } catch (IOException e) {
      throw new IllegalStateException("data-dir '" + dir + "' cannot be created or cleaned of a"
          + " half-written snapshot: " + e, e);
    }
    try {
      SnapshotReader.verify(dir).ifPresentOrElse(this::loaded, () -> LOG.info(() ->
          "node '" + me.name() + "': no snapshot in " + dir + "; starting empty"));
    } catch (SnapshotException e) {
      corrupt = e.getMessage();
      Path aside = dir.resolve(SnapshotFile.CORRUPT_NAME);
      String moved;
      try {
        Files.move(dir.resolve(SnapshotFile.FILE_NAME), aside,
            StandardCopyOption.REPLACE_EXISTING);
        moved = "moved to " + aside;
      } catch (IOException io) {
        moved = "could not be moved aside (" + io + ")";
      }
      NodeLog.event(LOG, Level.SEVERE, "snapshot.corrupt", me.name(), -1, String.format(
          "%s; it is skipped whole (nothing of it is loaded) and %s; this node's ranges come"
              + " from the other replicas", e.getMessage(), moved), "file", aside.toString());
    }
  }

  private void loaded(SnapshotReader.Verified v) {
    pending = v;
    loaded = new JsonObject().put("file", v.file().toString()).put("entries", v.entries())
        .put("bytes", v.bytes()).put("millis", v.nanos() / 1_000_000)
        .put("mbPerSecond", round(v.megabytesPerSecond()))
        .put("writtenBy", v.header().node()).put("writtenAt", v.header().writtenAtMillis())
        .put("clusterId", Long.toHexString(v.header().clusterId()));
    NodeLog.event(LOG, Level.INFO, "snapshot.loaded", me.name(), -1, String.format(
        "node '%s' read and checked its snapshot: %d entries, %d bytes in %d ms (%.1f MB/s);"
            + " they are replayed to their owners once a STABLE topology names this node",
        me.name(), v.entries(), v.bytes(), v.nanos() / 1_000_000, v.megabytesPerSecond()),
        "entries", v.entries(), "bytes", v.bytes(), "millis", v.nanos() / 1_000_000);
  }

  /** Starts watching topologies for the one to replay into. */
  public Future<Void> start() {
    if (dir == null) {
      return Future.succeededFuture();
    }
    context = vertx.getOrCreateContext();
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      try {
        peers = new NetPeerClient(vertx, context, new FrameCodec(server.limits()),
            server.requestTimeoutMillis(), new Request.Hello(FrameCodec.PROTOCOL_VERSION,
                server.authToken(), "replay:" + me.name(), peerSecret.bytes()),
            holder::epoch, server.tls());
        replay = new SnapshotReplay(context, peers, holder::epoch, System::currentTimeMillis);
        holder.onInstall(t -> context.runOnContext(x -> maybeReplay(t)));
        maybeReplay(holder.current());
        started.complete();
      } catch (RuntimeException e) {
        started.fail(e);
      }
    });
    return started.future();
  }

  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      if (peers == null) {
        stopped.complete();
        return;
      }
      peers.close().onComplete(x -> stopped.complete());
    });
    return stopped.future();
  }

  /** Whether a loaded snapshot still waits for its replay. */
  public boolean replayPending() {
    return pending != null;
  }

  private void maybeReplay(Topology t) {
    SnapshotReader.Verified v = pending;
    if (v == null || running || closed || t.epoch() != holder.epoch()
        || t.phase() != Topology.Phase.STABLE || !t.readRing().contains(me.name())
        || !me.is(t, me.name())) {
      return;
    }
    long age = System.currentTimeMillis() - v.header().writtenAtMillis();
    if (v.header().clusterId() != 0 && v.header().clusterId() == t.clusterId()
        && age >= tombstoneTtlMillis) {
      pending = null;
      replayed = new JsonObject().put("state", "skipped").put("ageMillis", age);
      NodeLog.event(LOG, Level.WARNING, "snapshot.skipped", me.name(), t.epoch(), String.format(
          "node '%s' does not replay its snapshot: the cluster kept running since it was"
              + " written %d ms ago, longer than the tombstone TTL (%d ms), so keys deleted"
              + " meanwhile could come back; the other owners hold the data",
          me.name(), age, tombstoneTtlMillis), "ageMillis", age);
      return;
    }
    running = true;
    long began = System.nanoTime();
    replay.run(v.file(), t).onComplete(ar -> {
      running = false;
      if (ar.succeeded()) {
        pending = null;
        SnapshotReplay.Outcome o = ar.result();
        long nanos = System.nanoTime() - began;
        double mbps = v.bytes() / 1e6 / (nanos / 1e9);
        replayed = new JsonObject().put("state", "done").put("epoch", t.epoch())
            .put("sent", o.sent()).put("applied", o.applied()).put("stale", o.stale())
            .put("expired", o.expired()).put("refused", o.refused())
            .put("millis", nanos / 1_000_000).put("mbPerSecond", round(mbps));
        NodeLog.event(LOG, Level.INFO, "snapshot.replayed", me.name(), t.epoch(), String.format(
            "node '%s' replayed its snapshot to the owners of epoch %d in %d ms (%.1f MB/s of"
                + " file): %d copies sent, %d applied or already held, %d older than the owner's"
                + " entry, %d expired, %d refused for clock offset", me.name(), t.epoch(),
            nanos / 1_000_000, mbps, o.sent(), o.applied(), o.stale(), o.expired(),
            o.refused()), "sent", o.sent(), "applied", o.applied(), "stale", o.stale(),
            "expired", o.expired());
        return;
      }
      if (closed) {
        // The node stops: its peer connections are closed, so the pass failed; nothing to retry.
        return;
      }
      if (ar.cause() instanceof SnapshotException damaged) {
        abandon(v, t, damaged);
        return;
      }
      Level level = holder.epoch() != t.epoch() ? Level.INFO : Level.WARNING;
      LOG.log(level, () -> String.format("node '%s': snapshot replay at epoch %d did not finish"
          + " (%s); it runs again on the next STABLE topology", me.name(), t.epoch(),
          ar.cause().getMessage()));
      vertx.setTimer(RETRY_MILLIS, id -> context.runOnContext(x -> maybeReplay(holder.current())));
    });
  }

  /**
   * The file changed or became unreadable after it was checked at start: another pass would meet
   * the same damage, so the replay stops. The blocks sent before the damaged one passed their
   * checksums and stay (owners merged them by version); nothing of the damaged block or after it
   * is sent, and the other replicas hold those ranges. The file stays where it is: the next
   * start checks it again, and the next snapshot written replaces it.
   */
  private void abandon(SnapshotReader.Verified v, Topology t, SnapshotException damaged) {
    pending = null;
    corrupt = damaged.getMessage();
    replayed = new JsonObject().put("state", "failed").put("epoch", t.epoch())
        .put("error", damaged.getMessage());
    NodeLog.event(LOG, Level.SEVERE, "snapshot.corrupt", me.name(), t.epoch(), String.format(
        "%s; found during the replay, after the check at start passed: the replay stops (blocks"
            + " already sent were checked and stay), and this node's ranges come from the other"
            + " replicas", damaged.getMessage()), "file", v.file().toString());
  }

  /**
   * Writes a snapshot of the store now, on the maintenance thread; the future completes on the
   * caller's context. Fails with an {@link IllegalStateException} when the write is refused (no
   * data directory, a loaded snapshot not replayed yet and kept, the node closing), and with an
   * {@link IOException} naming the file and the cause when it cannot be written (the previous
   * snapshot is kept).
   */
  public Future<JsonObject> write() {
    if (dir == null) {
      return Future.failedFuture(new IllegalStateException(
          "no data-dir is set: this node keeps no snapshot"));
    }
    SnapshotReader.Verified v = pending;
    if (v != null) {
      return Future.failedFuture(new IllegalStateException(String.format(
          "the snapshot loaded at start (%d entries) is not replayed yet; it is kept and not"
              + " written over", v.entries())));
    }
    Context caller = Vertx.currentContext();
    Promise<JsonObject> done = Promise.promise();
    writes.add(done);
    try {
      maintenance.execute(() -> {
        try {
          JsonObject report = writeNow();
          complete(caller, done, () -> done.tryComplete(report));
        } catch (IOException | RuntimeException e) {
          Path file = dir.resolve(SnapshotFile.FILE_NAME);
          // SnapshotFile's IOExceptions name the file and the step; anything else gets it here.
          String why = "node '" + me.name() + "' could not write its snapshot: "
              + (e instanceof IOException ? e.getMessage() : file + " (" + e + ")")
              + "; the previous snapshot, if any, is kept";
          NodeLog.event(LOG, Level.SEVERE, "snapshot.write_failed", me.name(), holder.epoch(),
              why, "file", file.toString());
          complete(caller, done, () -> done.tryFail(new IOException(why, e)));
        }
      });
    } catch (RejectedExecutionException e) {
      writes.remove(done);
      return Future.failedFuture(new IllegalStateException("node '" + me.name()
          + "' is closing: no snapshot is written now", e));
    }
    return done.future();
  }

  /**
   * Fails every write still waiting for the maintenance thread: call once that thread is shut
   * down, whose queued tasks are dropped, so that every future {@link #write} returned completes.
   */
  public void abandonWrites() {
    for (Promise<JsonObject> p : writes) {
      writes.remove(p);
      p.tryFail(new IllegalStateException("node '" + me.name() + "' closed before its snapshot"
          + " to " + dir + " was written; the previous snapshot, if any, is kept"));
    }
  }

  private void complete(Context caller, Promise<JsonObject> promise, Runnable action) {
    writes.remove(promise);
    if (caller == null) {
      action.run();
    } else {
      caller.runOnContext(v -> action.run());
    }
  }

  private JsonObject writeNow() throws IOException {
    Topology t = holder.current();
    long now = System.currentTimeMillis();
    SnapshotFile.Header header = new SnapshotFile.Header(me.name(), now, t.clusterId(),
        t.epoch());
    SnapshotFile.Written w = writeStore(dir, header, store, tombstoneTtlMillis);
    JsonObject report = new JsonObject().put("file", w.file().toString())
        .put("entries", w.entries()).put("bytes", w.bytes()).put("millis", w.nanos() / 1_000_000)
        .put("mbPerSecond", round(w.megabytesPerSecond())).put("epoch", t.epoch());
    written = report;
    NodeLog.event(LOG, Level.INFO, "snapshot.written", me.name(), t.epoch(), String.format(
        "node '%s' wrote its snapshot: %d entries, %d bytes in %d ms (%.1f MB/s) to %s",
        me.name(), w.entries(), w.bytes(), w.nanos() / 1_000_000, w.megabytesPerSecond(),
        w.file()), "entries", w.entries(), "bytes", w.bytes(), "millis", w.nanos() / 1_000_000);
    return report;
  }

  /**
   * Writes every live value and tombstone of {@code store} to a snapshot in {@code dir}, with
   * deadlines turned from the store's remaining TTLs into wall-clock time as of the header's
   * {@code writtenAtMillis}, read just before the scan: {@link LocalStore#forEach} reckons every
   * remaining TTL from the instant its scan begins, however long the scan takes. Blocks; a weakly
   * consistent scan, as for range transfers.
   */
  public static SnapshotFile.Written writeStore(Path dir, SnapshotFile.Header header,
      LocalStore store, long tombstoneTtlMillis) throws IOException {
    long now = header.writtenAtMillis();
    return SnapshotFile.write(dir, header, sink -> store.forEach(p -> true, (key, e) -> {
      long deadline;
      if (e.ttlMillis() != ReplicaEntry.NO_TTL) {
        deadline = now + e.ttlMillis();
      } else {
        deadline = e.tombstone() ? now + tombstoneTtlMillis : 0;
      }
      sink.put(key.bytes(), e.version(), e.tombstone(), deadline, e.value());
    }));
  }

  /** The data directory, the last snapshot loaded, replayed and written, and any damage found. */
  public JsonObject json() {
    JsonObject out = new JsonObject().put("dataDir", dir == null ? null : dir.toString());
    if (loaded != null) {
      out.put("loaded", loaded);
    }
    if (corrupt != null) {
      out.put("corrupt", corrupt);
    }
    out.put("replay", replayed != null ? replayed : new JsonObject().put("state",
        pending != null ? "pending" : "none"));
    if (written != null) {
      out.put("written", written);
    }
    return out;
  }

  private static double round(double mbps) {
    return Math.round(mbps * 10) / 10.0;
  }
}
