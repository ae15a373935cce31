package io.ringcache.client;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A multi-key call (getAll or putAll): split by owner, sent in parallel, retried per key.
 *
 * <h2>Design</h2>
 * The call proceeds in rounds. A round groups the keys still to do by their target under the
 * installed topology (read replica or coordinating owner, as {@link SingleCall} routes one key),
 * cuts each group into batches that respect {@code maxBatchEntries} and {@code maxFrameBytes},
 * and sends every batch at once. Each key's outcome comes from its entry in the batch answer:
 * done (a value, an absence, a version), to retry (a status a retry may cure, or its batch got no
 * answer), or failed (a rejection, which fails the whole call). The keys to retry make the next
 * round after a topology fetch and a backoff, so a batch that straddled a layout change is split
 * anew. A round is one attempt: at most {@code 1 + maxRetries} rounds are made. Both operations
 * are idempotent (MULTI_SET stores unconditionally), so ambiguous failures are retried too.
 * A multi-get the node refuses because its answer would not fit one frame is split in halves
 * and sent again at once, within the same round, until every answer fits.
 *
 * <h2>Concurrency</h2>
 * Batch answers arrive on different event loops; the per-round bookkeeping is guarded by this
 * object's monitor. Results are written to per-key slots before the round count drops to zero.
 */
final class BulkCall implements LiveCall {

  /** Per-request overhead of a MULTI_SET entry beyond key and value bytes (u16, i64, i32). */
  private static final int SET_ENTRY_OVERHEAD = 14;
  private static final int GET_ENTRY_OVERHEAD = 2;
  private static final int BATCH_OVERHEAD = 64;

  private final Router router;
  private final Key[] keys;
  /** Values to store, or null for a get. */
  private final byte[][] values;
  private final long ttlMillis;
  final long[] versions;
  final byte[][] found;
  private final CompletableFuture<BulkCall> future = new CompletableFuture<>();
  private int round;
  private int outstanding;
  private List<Integer> retry;
  private CacheException lastError;
  private CacheException fatal;

  private BulkCall(Router router, Key[] keys, byte[][] values, long ttlMillis) {
    this.router = router;
    this.keys = keys;
    this.values = values;
    this.ttlMillis = ttlMillis;
    this.versions = new long[keys.length];
    this.found = values == null ? new byte[keys.length][] : null;
  }

  static BulkCall get(Router router, Key[] keys) {
    return new BulkCall(router, keys, null, 0);
  }

  static BulkCall put(Router router, Key[] keys, byte[][] values, long ttlMillis) {
    return new BulkCall(router, keys, values, ttlMillis);
  }

  int size() {
    return keys.length;
  }

  Key key(int i) {
    return keys[i];
  }

  CompletableFuture<BulkCall> start() {
    if (!router.register(this)) {
      future.completeExceptionally(new CacheClosedException("the client is closed"));
      return future;
    }
    List<Integer> all = new ArrayList<>(keys.length);
    for (int i = 0; i < keys.length; i++) {
      all.add(i);
    }
    if (all.isEmpty()) {
      router.unregister(this);
      future.complete(this);
      return future;
    }
    run(all);
    return future;
  }

  @Override
  public void abort(CacheException error) {
    router.unregister(this);
    future.completeExceptionally(error);
  }

  private boolean reading() {
    return values == null;
  }

  private void run(List<Integer> items) {
    if (future.isDone()) {
      return;
    }
    Router.Installed now = router.installed();
    if (now.routable()) {
      send(now, items);
      return;
    }
    router.ready().whenComplete((installed, error) -> {
      if (error != null) {
        CacheException e = SingleCall.unwrap(error);
        synchronized (this) {
          outstanding = 1;
          retry = new ArrayList<>();
          if (e instanceof CacheRejectedException || e instanceof CacheClosedException) {
            fatal = e;
          } else {
            retry.addAll(items);
            lastError = e;
          }
        }
        batchDone();
      } else {
        send(installed, items);
      }
    });
  }

  private void send(Router.Installed installed, List<Integer> items) {
    Map<Destination, List<Integer>> groups = new LinkedHashMap<>();
    List<Integer> unroutable = new ArrayList<>();
    for (int i : items) {
      long position = keys[i].position();
      Destination t = reading()
          ? router.readTarget(installed, position, round)
          : router.writeTarget(installed, position);
      if (t == null || t.address() == null) {
        unroutable.add(i);
      } else {
        groups.computeIfAbsent(t, x -> new ArrayList<>()).add(i);
      }
    }
    List<Map.Entry<Destination, List<Integer>>> batches = new ArrayList<>();
    for (Map.Entry<Destination, List<Integer>> g : groups.entrySet()) {
      for (List<Integer> batch : cut(g.getValue())) {
        batches.add(Map.entry(g.getKey(), batch));
      }
    }
    synchronized (this) {
      // +1 for this method itself, so no answer can close the round before every batch is out.
      outstanding = batches.size() + 1;
      retry = new ArrayList<>(unroutable);
      if (!unroutable.isEmpty()) {
        lastError = new CacheUnavailableException(Status.UNAVAILABLE, String.format(
            "no owner for %d keys in topology epoch %d", unroutable.size(),
            installed.topology().epoch()), null);
      }
    }
    long epoch = installed.topology().epoch();
    for (Map.Entry<Destination, List<Integer>> b : batches) {
      sendBatch(b.getKey(), b.getValue(), epoch);
    }
    batchDone();
  }

  /** Sends one batch; its outcome counts down {@code outstanding}, which the caller raised. */
  private void sendBatch(Destination target, List<Integer> batch, long epoch) {
    router.send(target, request(batch), epoch, new Reply() {
      @Override
      public void answered(Response response) {
        if (splitTooLarge(target, batch, response, epoch)) {
          return;
        }
        onAnswer(batch, response, target);
      }

      @Override
      public void failed(CacheException error, boolean maybeApplied) {
        synchronized (BulkCall.this) {
          if (error instanceof CacheRejectedException || error instanceof CacheClosedException) {
            fatal = fatal == null ? error : fatal;
          } else {
            retry.addAll(batch);
            lastError = error;
          }
        }
        batchDone();
      }
    });
  }

  /**
   * A node refuses a multi-get whose answer would exceed the frame limit (the values are larger
   * than the client could know when it cut the batch): the batch is sent again as two halves, to
   * the same node, until each answer fits. A single value always fits a frame.
   */
  private boolean splitTooLarge(Destination target, List<Integer> batch, Response response,
      long epoch) {
    if (!reading() || batch.size() < 2 || !(response instanceof Response.Failure f)
        || f.status() != Status.FRAME_TOO_LARGE) {
      return false;
    }
    List<Integer> first = List.copyOf(batch.subList(0, batch.size() / 2));
    List<Integer> second = List.copyOf(batch.subList(batch.size() / 2, batch.size()));
    synchronized (this) {
      // This batch's slot passes to its two halves.
      outstanding += 1;
    }
    sendBatch(target, first, epoch);
    sendBatch(target, second, epoch);
    return true;
  }

  private List<List<Integer>> cut(List<Integer> group) {
    int maxEntries = router.settings.limits().maxBatchEntries();
    long maxBytes = router.settings.limits().maxFrameBytes() - BATCH_OVERHEAD;
    List<List<Integer>> out = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    long bytes = 0;
    for (int i : group) {
      long size = keys[i].length() + (reading() ? GET_ENTRY_OVERHEAD
          : SET_ENTRY_OVERHEAD + values[i].length);
      if (!current.isEmpty() && (current.size() >= maxEntries || bytes + size > maxBytes)) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(i);
      bytes += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private Request request(List<Integer> batch) {
    if (reading()) {
      List<Key> part = new ArrayList<>(batch.size());
      for (int i : batch) {
        part.add(keys[i]);
      }
      return new Request.MultiGet(part);
    }
    List<Request.MultiSet.Entry> part = new ArrayList<>(batch.size());
    for (int i : batch) {
      part.add(new Request.MultiSet.Entry(keys[i], Buffer.buffer(values[i]), ttlMillis));
    }
    return new Request.MultiSet(part);
  }

  private void onAnswer(List<Integer> batch, Response response, Destination target) {
    synchronized (this) {
      if (response instanceof Response.Values v && reading()
          && v.entries().size() == batch.size()) {
        for (int j = 0; j < batch.size(); j++) {
          Response.Values.Entry e = v.entries().get(j);
          int i = batch.get(j);
          if (e.status() == Status.OK) {
            versions[i] = e.version();
            found[i] = e.value().getBytes();
          } else if (e.status() != Status.NOT_FOUND) {
            outcome(i, e.status(), "");
          }
        }
      } else if (response instanceof Response.StoredAll s && !reading()
          && s.entries().size() == batch.size()) {
        for (int j = 0; j < batch.size(); j++) {
          Response.StoredAll.Entry e = s.entries().get(j);
          int i = batch.get(j);
          if (e.status() == Status.OK) {
            versions[i] = e.version();
          } else {
            outcome(i, e.status(), "");
          }
        }
      } else if (response instanceof Response.Failure f) {
        for (int i : batch) {
          outcome(i, f.status(), f.message());
        }
      } else {
        fatal = fatal != null ? fatal : new CacheRejectedException(Status.INTERNAL, String.format(
            "%s answered a batch of %d with %s", target.address(), batch.size(),
            response.getClass().getSimpleName()));
      }
    }
    batchDone();
  }

  /** Records a non-OK status for key {@code i}: retry it or fail the call. Holds the monitor. */
  private void outcome(int i, Status status, String message) {
    String what = (reading() ? "getAll" : "putAll") + " key '" + keys[i] + "'";
    CacheException error = Errors.of(status,
        message.isEmpty() ? what + ": " + status : what + ": " + message);
    if (Errors.notApplied(status) || Errors.transientAmbiguous(status)) {
      retry.add(i);
      lastError = error;
    } else if (fatal == null) {
      fatal = error;
    }
  }

  private void batchDone() {
    List<Integer> next;
    CacheException fail = null;
    synchronized (this) {
      if (--outstanding > 0 || future.isDone()) {
        return;
      }
      if (fatal != null) {
        fail = fatal;
      } else if (!retry.isEmpty() && round >= router.settings.maxRetries()) {
        fail = lastError;
      }
      next = retry;
      round++;
    }
    if (fail != null) {
      abort(fail);
      return;
    }
    if (next.isEmpty()) {
      router.unregister(this);
      future.complete(this);
      return;
    }
    long delay = router.backoffMillis(round);
    router.refresh(null).whenComplete((i, e) -> router.schedule(delay, () -> run(next)));
  }
}
