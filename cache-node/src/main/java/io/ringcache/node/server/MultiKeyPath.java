package io.ringcache.node.server;

import io.ringcache.node.store.StoreResult;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MULTI_GET and MULTI_SET, scatter/gather: the keys this node serves are read or written here
 * (writes replicated by {@link ReplicaFanOut}), the others are grouped by owner and forwarded as
 * one request per owner; the answer lists every key's outcome in request order.
 */
final class MultiKeyPath {

  private final RouteContext ctx;
  private final ReadPath reads;
  private final Forwarding forwarding;
  private final ReplicaFanOut fanOut;

  MultiKeyPath(RouteContext ctx, ReadPath reads, Forwarding forwarding, ReplicaFanOut fanOut) {
    this.ctx = ctx;
    this.reads = reads;
    this.forwarding = forwarding;
    this.fanOut = fanOut;
  }

  Future<Response> multiGet(Request.MultiGet r, int flags) {
    Topology t = ctx.topology.current();
    List<Key> keys = r.keys();
    Response.Values.Entry[] results = new Response.Values.Entry[keys.size()];
    Map<String, List<Integer>> remote = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      List<Member> owners = t.readReplicas(keys.get(i).position());
      if (owners.isEmpty()) {
        results[i] = Response.Values.Entry.missing(Status.UNAVAILABLE);
      } else if (reads.readsLocally(t, owners, flags)) {
        Response one = reads.localGet(keys.get(i));
        results[i] = one instanceof Response.Value v
            ? new Response.Values.Entry(Status.OK, v.version(), v.value())
            : Response.Values.Entry.missing(Status.NOT_FOUND);
      } else {
        remote.computeIfAbsent(owners.get(0).name(), n -> new ArrayList<>()).add(i);
      }
    }
    List<Future<?>> pending = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> group : remote.entrySet()) {
      List<Integer> slots = group.getValue();
      List<Key> part = slots.stream().map(keys::get).toList();
      pending.add(forwarding.forward(t, group.getKey(), flags, new Request.MultiGet(part)).map(res -> {
        if (res instanceof Response.Values values && values.entries().size() == slots.size()) {
          for (int j = 0; j < slots.size(); j++) {
            results[slots.get(j)] = values.entries().get(j);
          }
        } else {
          Status s = res.status() == Status.OK ? Status.INTERNAL : res.status();
          slots.forEach(i -> results[i] = Response.Values.Entry.missing(s));
        }
        return null;
      }));
    }
    return Future.join(pending).transform(x ->
        Future.succeededFuture(new Response.Values(Arrays.asList(results))));
  }


  Future<Response> multiSet(Request.MultiSet r, int flags) {
    Topology t = ctx.topology.current();
    List<Request.MultiSet.Entry> entries = r.entries();
    Response.StoredAll.Entry[] results = new Response.StoredAll.Entry[entries.size()];
    Map<String, List<Integer>> remote = new LinkedHashMap<>();
    List<Future<?>> pending = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Request.MultiSet.Entry e = entries.get(i);
      List<Member> owners = t.writeReplicas(e.key().position());
      if (owners.isEmpty()) {
        results[i] = new Response.StoredAll.Entry(Status.UNAVAILABLE, 0);
      } else if (ctx.isSelf(t, owners.get(0))) {
        int slot = i;
        long[] ttl = CachePath.ttls(ctx, e.key(), e.ttlMillis());
        StoreResult res = EventedWrite.apply(ctx, e.key(), EventedWrite.Kind.WRITE,
            k -> ctx.store.set(k, RouteContext.bytesOf(e.value()), ttl[0], ttl[1],
                SetMode.ALWAYS));
        if (res.replica() == null) {
          // An exhausted clock (CLOCK_OFFSET) is the only way an unconditional set writes nothing.
          results[i] = new Response.StoredAll.Entry(Status.CLOCK_OFFSET, 0);
          continue;
        }
        pending.add(fanOut.replicate(t, e.key(), res.replica(), owners, WriteId.NONE,
            WriteOutcome.NONE, false).transform(ar -> {
          results[slot] = ar.succeeded()
              ? new Response.StoredAll.Entry(Status.OK, ar.result().version())
              : new Response.StoredAll.Entry(RequestRouter.maybeApplied(ar.cause()).status(), 0);
          return Future.succeededFuture();
        }));
      } else {
        remote.computeIfAbsent(owners.get(0).name(), n -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<String, List<Integer>> group : remote.entrySet()) {
      List<Integer> slots = group.getValue();
      List<Request.MultiSet.Entry> part = slots.stream().map(entries::get).toList();
      pending.add(forwarding.forward(t, group.getKey(), flags, new Request.MultiSet(part)).map(res -> {
        if (res instanceof Response.StoredAll all && all.entries().size() == slots.size()) {
          for (int j = 0; j < slots.size(); j++) {
            results[slots.get(j)] = all.entries().get(j);
          }
        } else {
          Status s = res.status() == Status.OK ? Status.INTERNAL : res.status();
          slots.forEach(i -> results[i] = new Response.StoredAll.Entry(s, 0));
        }
        return null;
      }));
    }
    return Future.join(pending).transform(x ->
        Future.succeededFuture(new Response.StoredAll(Arrays.asList(results))));
  }
}
