package io.ringcache.node.server;

import io.ringcache.node.caches.CacheRegistry;
import io.ringcache.node.caches.EventHub;
import io.ringcache.node.peer.PeerException;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.store.StoredValue;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Named caches on the request path: the check every keyed request passes (the cache exists, its
 * key and value limits), and the cache-wide operations: CACHE_ADMIN, CACHE_SIZE, CACHE_CLEAR (with
 * its peer step CLEAR_PEER) and CACHE_SCAN.
 *
 * <h2>Correct during rebalancing</h2>
 * <ul>
 *   <li>Size counts each live entry at the primary of its read ring; the client adds the members'
 *       answers and retries when they were not all given at one epoch.
 *   <li>A clear reads every member's clock, takes the highest, and has every member remove the
 *       cache's entries below it and refuse, from then on, replicated or transferred entries below
 *       it (a cache-wide tombstone). A write acknowledged before the clear began was stamped by an
 *       owner whose clock the first step read, so it is below and goes; a transfer still carrying
 *       it cannot bring it back.
 *   <li>A scan page covers one range of the answering node's read ring, which it must be primary
 *       of; positions do not depend on membership, so the client's cursor (a position) survives any
 *       change, and a page from a stale owner is refused ({@link Status#NOT_PRIMARY}).
 * </ul>
 * Whole-store walks (size, clear, scan) run on a worker thread, never on the event loop.
 */
final class CachePath {

  /** Marker of {@link #check}: the request names a cache this node must look up first. */
  static final Future<Response> RESOLVED_LATER = Future.succeededFuture(new Response.Ok());
  static final long NO_ACCESS_EXPIRY = Long.MIN_VALUE;
  /** Most entries one CACHE_SCAN page carries, whatever the request asks. */
  static final int MAX_SCAN_LIMIT = 10_000;
  /** Cache-wide walks (size, clear, scan pages) queued or running on one node at most. */
  static final int MAX_WALKS = 8;
  static final String WALK_POOL = "ringcache-cache-walks";

  private final RouteContext ctx;
  private final CacheRegistry registry;
  /** This loop's handle on the node's cache-walk thread, made on first use. */
  private io.vertx.core.WorkerExecutor walkExecutor;

  CachePath(RouteContext ctx) {
    this.ctx = ctx;
    this.registry = ctx.caches.registry;
  }

  // ---------------------------------------------------------------- keyed requests

  /**
   * Null if {@code request} may proceed; {@link #RESOLVED_LATER} if it names a cache this node
   * does not know yet; else the refusal (NO_SUCH_CACHE is decided only after a lookup).
   */
  Future<Response> check(Request request) {
    if (request instanceof Request.Get g) {
      return checkKey(g.key(), null);
    } else if (request instanceof Request.Set s) {
      return checkKey(s.key(), s.value());
    } else if (request instanceof Request.Cas c) {
      return checkKey(c.key(), c.value());
    } else if (request instanceof Request.PutIfVersion c) {
      return checkKey(c.key(), c.value());
    } else if (request instanceof Request.Write w) {
      return checkKey(w.key(), null);
    } else if (request instanceof Request.Lease l) {
      return checkKey(l.key(), null);
    } else if (request instanceof Request.MultiGet m) {
      for (Key k : m.keys()) {
        Future<Response> f = checkKey(k, null);
        if (f != null) {
          return f;
        }
      }
    } else if (request instanceof Request.MultiSet m) {
      for (Request.MultiSet.Entry e : m.entries()) {
        Future<Response> f = checkKey(e.key(), e.value());
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  private Future<Response> checkKey(Key key, Buffer value) {
    if (!key.isQualified()) {
      return null;
    }
    CacheSpec spec = registry.find(key.cacheName());
    if (spec == null) {
      return RESOLVED_LATER;
    }
    if (spec.maxKeyBytes() > 0 && key.userKeyLength() > spec.maxKeyBytes()) {
      return failed(Status.KEY_TOO_LARGE, String.format(
          "key is %d bytes, limit of cache '%s' is %d (maxKeyBytes)", key.userKeyLength(),
          spec.name(), spec.maxKeyBytes()));
    }
    if (value != null && spec.maxValueBytes() > 0 && value.length() > spec.maxValueBytes()) {
      return failed(Status.VALUE_TOO_LARGE, String.format(
          "value is %d bytes, limit of cache '%s' is %d (maxValueBytes)", value.length(),
          spec.name(), spec.maxValueBytes()));
    }
    return null;
  }

  /** Looks up the caches {@code request} names, then routes it again, or answers NO_SUCH_CACHE. */
  Future<Response> resolveThen(Request request, Supplier<Future<Response>> route) {
    String missing = firstUnknown(request);
    if (missing == null) {
      return route.get();
    }
    return registry.resolve(missing).compose(spec -> spec == null
        ? noSuchCache(missing) : route.get());
  }

  private String firstUnknown(Request request) {
    List<Key> keys = new ArrayList<>();
    if (request instanceof Request.Get g) {
      keys.add(g.key());
    } else if (request instanceof Request.Lease l) {
      keys.add(l.key());
    } else if (request instanceof Request.Write w) {
      keys.add(w.key());
    } else if (request instanceof Request.MultiGet m) {
      keys.addAll(m.keys());
    } else if (request instanceof Request.MultiSet m) {
      m.entries().forEach(e -> keys.add(e.key()));
    }
    for (Key k : keys) {
      if (k.isQualified() && registry.find(k.cacheName()) == null) {
        return k.cacheName();
      }
    }
    return null;
  }

  /** The TTL a GET of {@code key} sets again, or {@link #NO_ACCESS_EXPIRY}. */
  long accessTtl(Key key) {
    if (!key.isQualified()) {
      return NO_ACCESS_EXPIRY;
    }
    CacheSpec spec = registry.find(key.cacheName());
    return spec == null || spec.expireAfterAccessMillis() == CacheSpec.UNSET ? NO_ACCESS_EXPIRY
        : Math.max(1, spec.expireAfterAccessMillis());
  }

  /**
   * The TTLs {@code {ifCreated, ifUpdated}} of a write of {@code key} asking for {@code ttlMillis}:
   * as asked, except that 0 (none) in a named cache with expiry set takes the cache's expiry.
   */
  static long[] ttls(RouteContext ctx, Key key, long ttlMillis) {
    if (ttlMillis != 0 || !key.isQualified()) {
      return new long[] {ttlMillis, ttlMillis};
    }
    CacheSpec spec = ctx.caches.registry.find(key.cacheName());
    return new long[] {createTtl(spec), updateTtl(spec)};
  }

  /** TTL of an entry a write without its own TTL creates in the cache of {@code spec}. */
  static long createTtl(CacheSpec spec) {
    if (spec == null || spec.expireAfterCreateMillis() == CacheSpec.UNSET) {
      return LocalStore.NO_TTL;
    }
    // Zero means "expired at once"; the store's smallest TTL is one millisecond.
    return Math.max(1, spec.expireAfterCreateMillis());
  }

  /** TTL such a write sets on a live entry: the cache's, else the entry keeps its own. */
  static long updateTtl(CacheSpec spec) {
    if (spec == null || spec.expireAfterUpdateMillis() == CacheSpec.UNSET) {
      boolean anyExpiry = spec != null && (spec.expireAfterCreateMillis() != CacheSpec.UNSET
          || spec.expireAfterAccessMillis() != CacheSpec.UNSET);
      return anyExpiry ? LocalStore.KEEP_TTL : LocalStore.NO_TTL;
    }
    return Math.max(1, spec.expireAfterUpdateMillis());
  }

  // ---------------------------------------------------------------- administration

  Future<Response> admin(Request.CacheAdmin r) {
    JsonObject in;
    try {
      in = new JsonObject(r.json());
    } catch (RuntimeException e) {
      return failed(Status.BAD_REQUEST, "CACHE_ADMIN body is not a JSON object: "
          + e.getMessage());
    }
    String op = String.valueOf(in.getValue("op"));
    try {
      return switch (op) {
        case "create" -> registry.create(CacheSpec.fromJson(in.getJsonObject("cache")))
            .map(e -> json(new JsonObject().put("created", e.getValue())
                .put("cache", e.getKey().toJson())));
        case "get" -> registry.resolve(in.getString("name")).map(spec -> json(
            new JsonObject().put("cache", spec == null ? null : spec.toJson())));
        case "list" -> registry.refresh().map(v -> json(
            new JsonObject().put("caches", CacheSpec.toJson(registry.list()))));
        case "destroy" -> destroy(in.getString("name"));
        default -> failed(Status.BAD_REQUEST, String.format(
            "CACHE_ADMIN op '%s' is not one of create, get, list, destroy", op));
      };
    } catch (RuntimeException e) {
      return failed(Status.BAD_REQUEST, "CACHE_ADMIN " + op + ": " + e.getMessage());
    }
  }

  /** Removes the definition, then clears the entries everywhere (the clear re-reads it first). */
  Future<Response> destroy(String name) {
    if (name == null) {
      return failed(Status.BAD_REQUEST, "CACHE_ADMIN destroy needs a 'name'");
    }
    Future<Boolean> removed = Key.DEFAULT_CACHE.equals(name) ? Future.succeededFuture(false)
        : registry.remove(name);
    return removed.compose(existed -> clearEverywhere(name, false)
        .map(done -> json(new JsonObject().put("destroyed", existed))));
  }

  private static Response json(JsonObject o) {
    return new Response.Stats(o.encode());
  }

  // ---------------------------------------------------------------- size

  Future<Response> size(Request.CacheSize r) {
    return withCache(r.cache(), () -> {
      Topology t = ctx.topology.current();
      Predicate<StoreKey> inCache = inCache(r.cache());
      return worker(() -> {
        long[] n = new long[1];
        ctx.store.forEachLiveKey(inCache, (key, position) -> {
          List<Member> owners = t.readReplicas(position);
          if (!owners.isEmpty() && ctx.isSelf(t, owners.get(0))) {
            n[0]++;
          }
        });
        return (Response) new Response.Counter(n[0], t.epoch());
      });
    });
  }

  /** Every member's CACHE_SIZE at one epoch, summed; tried again when epochs differ. */
  Future<Long> clusterSize(String cache, int attempts) {
    Topology t = ctx.topology.current();
    List<Future<Response>> counts = new ArrayList<>();
    for (NodeAddress a : t.nodes()) {
      if (!t.isDown(a.name())) {
        Request.CacheSize q = new Request.CacheSize(cache);
        counts.add(ctx.self.is(t, a.name()) ? size(q) : ctx.peers.send(a, 0, t.epoch(), q));
      }
    }
    return Future.all(counts).compose(all -> {
      long sum = 0;
      long epoch = -1;
      boolean mixed = false;
      for (Future<Response> f : counts) {
        if (!(f.result() instanceof Response.Counter c)) {
          Response r = f.result();
          return Future.failedFuture(new PeerException(r.status(),
              r instanceof Response.Failure e ? e.message() : String.valueOf(r)));
        }
        mixed |= epoch >= 0 && c.version() != epoch;
        epoch = c.version();
        sum += c.value();
      }
      if (mixed && attempts > 1) {
        return clusterSize(cache, attempts - 1);
      }
      return Future.succeededFuture(sum);
    });
  }

  // ---------------------------------------------------------------- clear

  Future<Response> clear(Request.CacheClear r) {
    return withCache(r.cache(), () -> clearEverywhere(r.cache(), r.withEvents())
        .map(c -> (Response) new Response.Counter(c[0], c[1])));
  }

  /** The two steps of a clear over every member: {removed, version}. */
  private Future<long[]> clearEverywhere(String cache, boolean withEvents) {
    Topology t = ctx.topology.current();
    List<NodeAddress> members = new ArrayList<>();
    for (NodeAddress a : t.nodes()) {
      if (!t.isDown(a.name())) {
        members.add(a);
      }
    }
    List<Future<Response>> clocks = new ArrayList<>();
    for (NodeAddress a : members) {
      clocks.add(step(t, a, new Request.ClearPeer(cache, 0, withEvents)));
    }
    return Future.all(clocks).compose(all -> {
      long below = 0;
      for (Future<Response> f : clocks) {
        below = Math.max(below, ((Response.Counter) f.result()).version());
      }
      long at = below + 1;
      return markEverywhere(cache, at, withEvents, members, new HashSet<>(), 0, 3)
          .map(removed -> new long[] {removed, at});
    });
  }

  /**
   * Step two of a clear on {@code members}, then on every member that joined meanwhile (up to
   * {@code rounds} times): a node that joined during the clear must hold its mark too, or a
   * transfer batch read before a source cleared would bring old entries back on it.
   */
  private Future<Long> markEverywhere(String cache, long at, boolean withEvents,
      List<NodeAddress> members, Set<String> done, long removedSoFar, int rounds) {
    Topology t = ctx.topology.current();
    List<Future<Response>> clears = new ArrayList<>();
    for (NodeAddress a : members) {
      done.add(a.name());
      clears.add(step(t, a, new Request.ClearPeer(cache, at, withEvents)));
    }
    return Future.all(clears).compose(all -> {
      long removed = removedSoFar;
      for (Future<Response> f : clears) {
        removed += ((Response.Counter) f.result()).value();
      }
      Topology now = ctx.topology.current();
      List<NodeAddress> joined = new ArrayList<>();
      for (NodeAddress a : now.nodes()) {
        if (!now.isDown(a.name()) && !done.contains(a.name())) {
          joined.add(a);
        }
      }
      if (joined.isEmpty() || rounds <= 1) {
        return Future.succeededFuture(removed);
      }
      return markEverywhere(cache, at, withEvents, joined, done, removed, rounds - 1);
    });
  }

  private Future<Response> step(Topology t, NodeAddress member, Request.ClearPeer step) {
    Future<Response> answer = ctx.self.is(t, member.name()) ? clearPeer(step)
        : ctx.peers.send(member, 0, t.epoch(), step);
    // A member's refusal keeps its status (BUSY, UNAVAILABLE...), so the client can retry.
    return answer.compose(res -> res instanceof Response.Counter ? Future.succeededFuture(res)
        : Future.failedFuture(new PeerException(res.status(),
            String.format("member '%s' refused a step of clearing cache '%s': %s",
                member.name(), step.cache(), res instanceof Response.Failure f ? f.message()
                    : String.valueOf(res)))));
  }

  Future<Response> clearPeer(Request.ClearPeer r) {
    if (r.belowVersion() == 0) {
      // Step one: read the definitions again (a destroy just removed one) and the clock.
      return registry.refresh().map(v -> new Response.Counter(0, ctx.caches.clock.next()));
    }
    ctx.caches.clock.observe(r.belowVersion());
    registry.cleared(r.cache(), r.belowVersion());
    Topology t = ctx.topology.current();
    EventHub events = ctx.caches.events;
    boolean tell = r.withEvents() && events.hasSubscribers(r.cache());
    return worker(() -> {
      long removed = ctx.store.removeBelow(inCache(r.cache()), r.belowVersion(),
          (StoreKey k, StoredValue v) -> {
            if (tell) {
              Key key = Key.ofStored(k.bytes());
              List<Member> owners = t.writeReplicas(key.position());
              if (!owners.isEmpty() && ctx.isSelf(t, owners.get(0))) {
                events.publish(r.cache(), Response.EventType.REMOVED, key, r.belowVersion(),
                    null, Arrays.copyOfRange(v.array(), v.offset(), v.offset() + v.length()));
              }
            }
          });
      return (Response) new Response.Counter(removed, r.belowVersion());
    });
  }

  // ---------------------------------------------------------------- scan

  Future<Response> scan(Request.CacheScan r, int flags) {
    return withCache(r.cache(), () -> {
      Topology t = ctx.topology.current();
      Ring ring = t.readRing();
      if (ring.isEmpty() || (!r.fromStart() && r.afterPosition() == Long.MAX_VALUE)) {
        return Future.succeededFuture(new Response.Entries(List.of(), Long.MAX_VALUE));
      }
      long first = r.fromStart() ? Long.MIN_VALUE : r.afterPosition() + 1;
      List<Member> owners = t.readReplicas(first);
      if (owners.isEmpty()) {
        return RouteContext.noTopology();
      }
      if (!ctx.isSelf(t, owners.get(0))) {
        NodeAddress primary = t.node(owners.get(0).name()).orElse(null);
        if (Flags.isSet(flags, Flags.FORWARDED) || primary == null) {
          return failed(Status.NOT_PRIMARY, String.format(
              "node '%s' is not the primary owner of position %d in epoch %d",
              ctx.settings.nodeName(), first, t.epoch()));
        }
        // From a front end that does not route (HTTP, RESP), or a client behind: sent on once.
        return ctx.peers.send(primary, flags | Flags.FORWARDED, t.epoch(), r);
      }
      int index = ring.tokenIndex(first);
      long token = ring.token(index);
      // The range of the token holding `first`, in signed order: a range that wraps past
      // Long.MAX_VALUE ends there, and its low part is the next page's.
      long end = token >= first ? token : Long.MAX_VALUE;
      Predicate<StoreKey> inCache = inCache(r.cache());
      int limit = Math.min(r.limit(), MAX_SCAN_LIMIT);
      return worker(() -> page(inCache, first, end, limit));
    });
  }

  /**
   * One page: the cache's live entries at positions {@code first..end}, in position order, at
   * most {@code limit} of them and at most {@link #pageBytes()} of keys and values (always at
   * least one position's entries), never cut between two keys of one position. Memory is bounded
   * by the page, not the range: a first pass keeps only the {@code limit} lowest positions.
   */
  private Response page(Predicate<StoreKey> inCache, long first, long end, int limit) {
    PriorityQueue<Long> lowest = new PriorityQueue<>(Math.min(limit, 1024) + 1,
        Comparator.reverseOrder());
    ctx.store.forEachLiveKey(inCache, (key, position) -> {
      if (position >= first && position <= end
          && (lowest.size() < limit || position < lowest.peek())) {
        lowest.add(position);
        if (lowest.size() > limit) {
          lowest.poll();
        }
      }
    });
    long cutoff = lowest.size() < limit ? end : lowest.peek();
    List<Object[]> found = new ArrayList<>();
    ctx.store.forEachLiveKey(inCache, (key, position) -> {
      if (position >= first && position <= cutoff) {
        found.add(new Object[] {key, position});
      }
    });
    found.sort((a, b) -> Long.compare((Long) a[1], (Long) b[1]));
    List<Response.Entries.Entry> entries = new ArrayList<>();
    long budget = pageBytes();
    long bytes = 0;
    long next = cutoff;
    for (int i = 0; i < found.size(); i++) {
      long position = (Long) found.get(i)[1];
      StoreKey key = (StoreKey) found.get(i)[0];
      StoredValue v = ctx.store.peek(key);
      if (v == null) {
        continue;
      }
      long size = 32L + key.length() + v.length();
      boolean samePosition = i > 0 && position == (Long) found.get(i - 1)[1];
      if (!entries.isEmpty() && !samePosition && bytes + size > budget) {
        next = (Long) found.get(i - 1)[1];
        break;
      }
      bytes += size;
      entries.add(new Response.Entries.Entry(Key.ofStored(key.bytes()), v.version(),
          v.ttlMillis() == 0 ? -1 : v.ttlMillis(),
          Buffer.buffer(Arrays.copyOfRange(v.array(), v.offset(), v.offset() + v.length()))));
    }
    return new Response.Entries(entries, next);
  }

  /** Bytes of keys and values one page may carry: the frame limit, less room for the rest. */
  private long pageBytes() {
    return Math.max(64 * 1024, ctx.settings.limits().maxFrameBytes() - 64L * 1024);
  }

  // ---------------------------------------------------------------- helpers

  private Future<Response> withCache(String cache, Supplier<Future<Response>> op) {
    return registry.resolve(cache).compose(spec -> spec == null ? noSuchCache(cache) : op.get());
  }

  static Predicate<StoreKey> inCache(String cache) {
    if (Key.DEFAULT_CACHE.equals(cache)) {
      byte[] mark = {(byte) Key.CACHE_MARK};
      return k -> !k.startsWith(mark);
    }
    byte[] prefix = CacheRegistry.prefixOf(cache);
    return k -> k.startsWith(prefix);
  }

  /**
   * Runs a whole-store walk on the node's one cache-walk thread, never on an event loop nor on
   * Vert.x's shared worker pool (Hazelcast calls wait there); at most {@link #MAX_WALKS} queued or
   * running, beyond which the request is answered BUSY.
   */
  private Future<Response> worker(Callable<Response> work) {
    AtomicInteger walks = ctx.caches.walksInFlight;
    if (walks.incrementAndGet() > MAX_WALKS) {
      walks.decrementAndGet();
      return failed(Status.BUSY, String.format("%d cache-wide operations are in progress on this"
          + " node, limit is %d; retry later", MAX_WALKS, MAX_WALKS));
    }
    if (walkExecutor == null) {
      walkExecutor = Vertx.currentContext().owner()
          .createSharedWorkerExecutor(WALK_POOL, 1, 10, TimeUnit.MINUTES);
    }
    return walkExecutor.executeBlocking(work, true)
        .onComplete(ar -> walks.decrementAndGet());
  }

  static Future<Response> noSuchCache(String cache) {
    return failed(Status.NO_SUCH_CACHE, String.format(
        "cache '%s' does not exist: create it first (client caches().create, HTTP PUT"
            + " /v1/caches/%s)", cache, cache));
  }

  private static Future<Response> failed(Status status, String message) {
    return Future.succeededFuture(new Response.Failure(status, message));
  }
}
