package io.ringcache.node.server;

import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP API for humans and scripts, routed with Vert.x Web. Requests go through the same
 * {@link RequestRouter} as the binary protocol (forwarding, replication, metrics), so a key can be
 * written and read through any node. The routes and answers are listed in {@code docs/http.md}:
 *
 * <pre>
 *   GET|HEAD /v1/keys/{key}           200 value bytes, ETag | 304 | 404
 *   PUT      /v1/keys/{key}?ttl=ms    200 {"version":..}, ETag   (&amp;mode=if-absent|if-present)
 *            If-None-Match: *  put-if-absent;  If-Match: "v" compare-and-set;  412 when unmet
 *   DELETE   /v1/keys/{key}           200 | 404
 *   GET      /v1/topology, /v1/stats  200 JSON (?tokens=true: every member's token positions)
 *   GET      /v1/cluster/stats        200 every member's /v1/stats, asked over peer connections
 *   GET      /ui/                     the admin console (static; its data calls carry the token)
 *   GET      /v1/caches               200 {"caches":[...]}
 *   GET|PUT|DELETE /v1/caches/{cache} a cache's definition: read, create (201), destroy
 *   GET      /v1/caches/{cache}/size  200 {"size":n}, the whole cluster's count
 *   POST     /v1/caches/{cache}/clear 200 {"removed":n}  (?events=true: REMOVED events)
 *   GET      /v1/caches/{cache}/entries?cursor=start&amp;limit=100  a page, and "next"
 *   ...      /v1/caches/{cache}/keys/{key}  as /v1/keys/{key}, in that cache
 *   GET      /health/live, /health/ready   (ready: in the read ring and not draining)
 *   GET      /metrics                 200 Prometheus text format 0.0.4
 *   POST     /v1/admin/drain          202: hand the data over, then leave (as on SIGTERM)
 *   POST     /v1/admin/anti-entropy   200: an anti-entropy round now, its report
 *   POST     /v1/admin/snapshot       200: the warm-restart snapshot written now, its report;
 *                                     409 without a data-dir or while a replay is pending
 * </pre>
 *
 * <h2>Keys</h2>
 * A key is exactly one path segment, decoded per RFC 3986 by {@link PathKey} under the binary
 * protocol's key rules; a bad escape or invalid UTF-8 is a 400, never a repaired key. Vert.x Web's
 * own path parameter decoding replaces bad bytes with U+FFFD, and its path normalisation throws
 * (and logs) on a bad escape, so escapes are checked before the router sees the request and the
 * key is decoded from the normalised path (which only decodes unreserved characters).
 *
 * <h2>Errors</h2>
 * Errors answer JSON {@code {"status","error"}} with an HTTP code chosen per status (413 value too
 * large, 414 key too large, 503 unavailable, 504 timeout, ...); a wrong method on a known route is
 * 405 with {@code Allow}, an unknown route 404. When auth is on, requests need
 * {@code Authorization: Bearer <token>} with the primary or the secondary token (else 401 with a
 * {@code WWW-Authenticate: Bearer} challenge), except the health endpoints and {@code /metrics}:
 * probes and Prometheus scrapers rarely carry credentials, and these answers hold no keys or
 * values, only counts and the node's state. The console's static files ({@code /ui/}) are open
 * too: a browser cannot send a bearer token when it navigates, and they hold no data; the page
 * asks for the token and sends it on every data call. Keep the HTTP port on a private network.
 *
 * <p>A scrape reads every meter, JVM ones included, which can take a millisecond or more, so it
 * runs on a worker thread rather than on the event loop.
 */
final class HttpApi {

  private static final String KEYS = "/v1/keys/";
  private static final String CACHES = "/v1/caches/";
  private static final String CACHE_ROUTE = "/v1/caches/:cache";
  private static final String CACHE_KEY_ROUTE = "/v1/caches/:cache/keys/*";
  private static final String KEY_ROUTE = KEYS + ":key";
  private static final Set<String> OPEN = Set.of("/health/live", "/health/ready", "/metrics",
      "/ui", "/ui/", "/ui/console.js", "/ui/console.css");

  private final RequestRouter router;
  private final ConsoleAssets console = ConsoleAssets.load();
  private final ServerSettings settings;
  private final StatsReport report;
  private final TopologyHolder topology;
  private final BooleanSupplier draining;
  private final Runnable requestDrain;
  private final ServerMetrics metrics;
  private final Supplier<io.vertx.core.Future<JsonObject>> antiEntropyNow;
  private final Supplier<io.vertx.core.Future<JsonObject>> snapshotNow;

  HttpApi(RequestRouter router, ServerSettings settings, StatsReport report,
      TopologyHolder topology, BooleanSupplier draining, Runnable requestDrain,
      ServerMetrics metrics,
      Supplier<io.vertx.core.Future<JsonObject>> antiEntropyNow,
      Supplier<io.vertx.core.Future<JsonObject>> snapshotNow) {
    this.antiEntropyNow = antiEntropyNow;
    this.snapshotNow = snapshotNow;
    this.metrics = metrics;
    this.draining = draining;
    this.requestDrain = requestDrain;
    this.router = router;
    this.settings = settings;
    this.report = report;
    this.topology = topology;
  }

  /** The request handler for an HTTP server: escapes checked, then the routes. */
  Handler<HttpServerRequest> handler(Vertx vertx) {
    Router routes = routes(vertx);
    return req -> {
      String path = req.path();
      int bad = path == null ? -1 : PathKey.badEscape(path);
      if (bad >= 0) {
        req.response().putHeader("X-Ringcache-Epoch", Long.toString(topology.epoch()));
        error(req.response(), Status.BAD_REQUEST, String.format("invalid percent-encoding at"
            + " index %d of the path: '%%' must be followed by two hex digits", bad));
        return;
      }
      routes.handle(req);
    };
  }

  private Router routes(Vertx vertx) {
    Router r = Router.router(vertx);
    r.route().handler(this::epochAndAuth);
    r.get("/health/live").handler(ctx -> json(ctx.response(), 200,
        new JsonObject().put("status", "UP")));
    r.get("/health/ready").handler(this::ready);
    r.get("/metrics").handler(ctx -> scrape(ctx.response()));
    r.post("/v1/admin/drain").handler(ctx -> {
      requestDrain.run();
      json(ctx.response(), 202, new JsonObject().put("draining", true)
          .put("node", settings.nodeName()));
    });
    r.post("/v1/admin/anti-entropy").handler(ctx -> antiEntropyNow.get().onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx.response(), 200, ar.result());
      } else {
        error(ctx.response(), Status.UNAVAILABLE, String.valueOf(ar.cause().getMessage()));
      }
    }));
    r.post("/v1/admin/snapshot").handler(ctx -> snapshotNow.get().onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx.response(), 200, ar.result());
      } else if (ar.cause() instanceof IllegalStateException) {
        json(ctx.response(), 409, new JsonObject().put("status", Status.UNAVAILABLE.name())
            .put("error", String.valueOf(ar.cause().getMessage())));
      } else {
        error(ctx.response(), Status.INTERNAL, String.valueOf(ar.cause().getMessage()));
      }
    }));
    r.get("/v1/topology").handler(ctx -> json(ctx.response(), 200,
        report.topologyJson("true".equals(ctx.request().getParam("tokens")))));
    r.get("/v1/stats").handler(ctx -> json(ctx.response(), 200, report.json()));
    r.get("/v1/cluster/stats").handler(ctx -> router.clusterStats()
        .onSuccess(all -> json(ctx.response(), 200, all)));
    // A Vert.x route "/ui" matches "/ui/" too; the page's relative links need the slash.
    r.get("/ui").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        console.serve(ctx.response(), "index.html");
      } else {
        ctx.response().setStatusCode(301).putHeader("Location", "/ui/").end();
      }
    });
    r.get("/ui/console.js").handler(ctx -> console.serve(ctx.response(), "console.js"));
    r.get("/ui/console.css").handler(ctx -> console.serve(ctx.response(), "console.css"));

    // A cache name in a path is checked once, before any route builds a request of it.
    r.routeWithRegex("/v1/caches/[^/]+(/.*)?").handler(ctx -> {
      String name = ctx.normalizedPath().substring(CACHES.length()).split("/", 2)[0];
      try {
        if (!Key.DEFAULT_CACHE.equals(name)) {
          CacheSpec.checkName(name);
        }
      } catch (IllegalArgumentException e) {
        error(ctx.response(), Status.BAD_REQUEST, e.getMessage());
        return;
      }
      ctx.next();
    });
    r.get("/v1/caches").handler(ctx -> admin(ctx, new JsonObject().put("op", "list"), 200));
    r.get(CACHE_ROUTE).handler(ctx -> admin(ctx, new JsonObject().put("op", "get")
        .put("name", ctx.pathParam("cache")), 200));
    r.delete(CACHE_ROUTE).handler(ctx -> admin(ctx, new JsonObject().put("op", "destroy")
        .put("name", ctx.pathParam("cache")), 200));
    r.put(CACHE_ROUTE).handler(BodyHandler.create(false).setBodyLimit(64 * 1024))
        .handler(this::createCache);
    r.get(CACHE_ROUTE + "/size").handler(this::cacheSize);
    r.post(CACHE_ROUTE + "/clear").handler(ctx -> {
      boolean events = "true".equals(ctx.request().getParam("events"));
      routed(ctx, new Request.CacheClear(ctx.pathParam("cache"), events), res -> {
        Response.Counter c = (Response.Counter) res;
        return new JsonObject().put("removed", c.value()).put("version", c.version());
      });
    });
    r.get(CACHE_ROUTE + "/entries").handler(this::entries);
    r.get(CACHE_KEY_ROUTE).handler(ctx -> read(ctx, false));
    r.head(CACHE_KEY_ROUTE).handler(ctx -> read(ctx, true));
    r.delete(CACHE_KEY_ROUTE).handler(this::delete);
    r.route(CACHE_KEY_ROUTE).method(HttpMethod.PUT).method(HttpMethod.POST).handler(ctx -> {
      ctx.request().headers().remove("Content-Type");
      ctx.next();
    });
    r.route(CACHE_KEY_ROUTE).method(HttpMethod.PUT).method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(settings.limits().maxValueBytes())
            .setMergeFormAttributes(false))
        .handler(this::write);

    r.get(KEY_ROUTE).handler(ctx -> read(ctx, false));
    r.head(KEY_ROUTE).handler(ctx -> read(ctx, true));
    r.delete(KEY_ROUTE).handler(this::delete);
    // A value is the raw body whatever its Content-Type: without this, BodyHandler would parse a
    // form body (curl --data sends one) into attributes, or a multipart one into nothing.
    r.route(KEY_ROUTE).method(HttpMethod.PUT).method(HttpMethod.POST).handler(ctx -> {
      ctx.request().headers().remove("Content-Type");
      ctx.next();
    });
    r.route(KEY_ROUTE).method(HttpMethod.PUT).method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(settings.limits().maxValueBytes())
            .setMergeFormAttributes(false))
        .handler(this::write);

    allow(r, "/health/live", "GET");
    allow(r, "/health/ready", "GET");
    allow(r, "/metrics", "GET");
    allow(r, "/v1/admin/drain", "POST");
    allow(r, "/v1/admin/anti-entropy", "POST");
    allow(r, "/v1/admin/snapshot", "POST");
    allow(r, "/v1/topology", "GET");
    allow(r, "/v1/stats", "GET");
    allow(r, "/v1/cluster/stats", "GET");
    allow(r, KEY_ROUTE, "GET, HEAD, PUT, POST, DELETE");
    allow(r, "/v1/caches", "GET");
    allow(r, CACHE_KEY_ROUTE, "GET, HEAD, PUT, POST, DELETE");
    allow(r, CACHE_ROUTE + "/size", "GET");
    allow(r, CACHE_ROUTE + "/clear", "POST");
    allow(r, CACHE_ROUTE + "/entries", "GET");
    allow(r, CACHE_ROUTE, "GET, PUT, DELETE");
    r.route().handler(ctx -> json(ctx.response(), 404, new JsonObject().put("error",
        "no such resource: " + ctx.request().method() + " " + ctx.request().path()
            + "; see /v1/keys/{key}, /v1/caches, /v1/topology, /v1/stats, /metrics")));

    r.errorHandler(413, ctx -> {
      HttpServerResponse res = ctx.response();
      if (res.ended()) {
        ctx.request().connection().close();
        return;
      }
      // The rest of the body may still be on its way: close rather than read it, once the
      // answer is written.
      res.setStatusCode(413).putHeader("Connection", "close")
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", Status.VALUE_TOO_LARGE.name()).put("error",
              String.format("value exceeds %d bytes (maxValueBytes)",
                  settings.limits().maxValueBytes())).encode())
          .onComplete(x -> ctx.request().connection().close());
    });
    r.errorHandler(400, ctx -> error(ctx.response(), Status.BAD_REQUEST, "malformed request"));
    r.errorHandler(500, ctx -> error(ctx.response(), Status.INTERNAL,
        ctx.failure() == null ? "" : ctx.failure().getClass().getSimpleName()));
    return r;
  }

  private static void allow(Router r, String path, String methods) {
    r.route(path).handler(ctx -> {
      ctx.response().putHeader("Allow", methods);
      json(ctx.response(), 405, new JsonObject().put("error", "use " + methods + " on " + path));
    });
  }

  private void epochAndAuth(RoutingContext ctx) {
    ctx.response().putHeader("X-Ringcache-Epoch", Long.toString(topology.epoch()));
    if (!settings.authRequired() || OPEN.contains(ctx.normalizedPath())) {
      ctx.next();
      return;
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (settings.auth().acceptsBearer(authorization)) {
      ctx.next();
      return;
    }
    // RFC 6750 section 3: a challenge always, and error="invalid_token" once one was presented.
    ctx.response().putHeader("WWW-Authenticate", authorization == null
        ? "Bearer realm=\"ringcache\"" : "Bearer realm=\"ringcache\", error=\"invalid_token\"");
    error(ctx.response(), Status.AUTH_FAILED, "send Authorization: Bearer <token>");
  }

  private void ready(RoutingContext ctx) {
    boolean draining = this.draining.getAsBoolean();
    Topology t = topology.current();
    // A restarted node is not ready while the topology names its crashed incarnation.
    boolean ready = !draining && t.readRing().contains(settings.nodeName())
        && settings.self().predecessorIn(t).isEmpty();
    json(ctx.response(), ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN")
        .put("draining", draining).put("epoch", topology.epoch()));
  }

  // ------------------------------------------------------------------ keys

  /**
   * The request's key ({@code /v1/keys/{key}}, or {@code /v1/caches/{cache}/keys/{key}} for a
   * named cache's), or null after answering 400/414.
   */
  private Key key(RoutingContext ctx) {
    try {
      String path = ctx.normalizedPath();
      if (path.startsWith(KEYS)) {
        return PathKey.decode(path.substring(KEYS.length()), settings.limits().maxKeyBytes());
      }
      String cache = ctx.pathParam("cache");
      int at = path.indexOf("/keys/", CACHES.length());
      Key plain = PathKey.decode(path.substring(at + "/keys/".length()),
          settings.limits().maxKeyBytes());
      return Key.of(cache, plain.asString());
    } catch (PathKey.KeyTooLargeException e) {
      error(ctx.response(), Status.KEY_TOO_LARGE, e.getMessage());
    } catch (IllegalArgumentException e) {
      error(ctx.response(), Status.BAD_REQUEST, e.getMessage());
    }
    return null;
  }

  private void read(RoutingContext ctx, boolean head) {
    Key key = key(ctx);
    if (key == null) {
      return;
    }
    HttpServerResponse res = ctx.response();
    router.handle(new Request.Get(key), 0, 0).onComplete(ar -> {
      Response r = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
      if (!(r instanceof Response.Value v)) {
        if (head) {
          res.setStatusCode(httpCode(r.status())).end();
        } else {
          answer(res, r);
        }
        return;
      }
      String tag = Conditions.etag(v.version());
      res.putHeader("ETag", tag).putHeader("X-Ringcache-Version", Long.toString(v.version()));
      if (Conditions.noneMatch(ctx.request().getHeader("If-None-Match"), tag)) {
        res.setStatusCode(304).end();
        return;
      }
      res.putHeader("Content-Type", "application/octet-stream").setStatusCode(200);
      if (head) {
        res.putHeader("Content-Length", Integer.toString(v.value().length())).end();
      } else {
        res.end(v.value());
      }
    });
  }

  private void write(RoutingContext ctx) {
    Key key = key(ctx);
    if (key == null) {
      return;
    }
    HttpServerRequest req = ctx.request();
    HttpServerResponse res = ctx.response();
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    Request request;
    try {
      request = Conditions.put(key, body, parseTtl(req.getParam("ttl")), req.getParam("mode"),
          req.getHeader("If-Match"), req.getHeader("If-None-Match"));
    } catch (IllegalArgumentException e) {
      error(res, Status.BAD_REQUEST, e.getMessage());
      return;
    }
    boolean conditional = req.getHeader("If-Match") != null
        || req.getHeader("If-None-Match") != null;
    router.handle(request, 0, 0).onComplete(ar -> {
      Response r = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
      if (r instanceof Response.Stored s) {
        res.putHeader("ETag", Conditions.etag(s.version()));
        json(res, 200, new JsonObject().put("version", s.version()));
      } else if (conditional && r instanceof Response.Mismatch m) {
        res.putHeader("ETag", Conditions.etag(m.currentVersion()));
        json(res, 412, new JsonObject().put("status", Status.VERSION_MISMATCH.name())
            .put("error", "If-Match did not match: the version is " + m.currentVersion()));
      } else if (conditional && (r.status() == Status.EXISTS
          || r.status() == Status.NOT_FOUND)) {
        json(res, 412, new JsonObject().put("status", r.status().name()).put("error",
            r.status() == Status.EXISTS ? "If-None-Match: * found the key present"
                : "If-Match found no entry"));
      } else {
        answer(res, r);
      }
    });
  }

  private void delete(RoutingContext ctx) {
    Key key = key(ctx);
    if (key == null) {
      return;
    }
    HttpServerResponse res = ctx.response();
    if (ctx.request().getHeader("If-Match") != null
        || ctx.request().getHeader("If-None-Match") != null) {
      error(res, Status.BAD_REQUEST, "conditional DELETE is not supported");
      return;
    }
    router.handle(new Request.Delete(key), 0, 0).onComplete(ar ->
        answer(res, ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause())));
  }

  // ------------------------------------------------------------------ named caches

  /** A CACHE_ADMIN call; its JSON answer with {@code okCode}, a missing cache as 404. */
  private void admin(RoutingContext ctx, JsonObject call, int okCode) {
    routed(ctx, new Request.CacheAdmin(call.encode()), okCode, res -> {
      JsonObject out = new JsonObject(((Response.Stats) res).json());
      if ("get".equals(call.getString("op")) && out.getValue("cache") == null) {
        return null;
      }
      return "get".equals(call.getString("op")) ? out.getJsonObject("cache") : out;
    });
  }

  private void createCache(RoutingContext ctx) {
    String name = ctx.pathParam("cache");
    JsonObject spec;
    try {
      spec = ctx.body().buffer() == null || ctx.body().length() == 0 ? new JsonObject()
          : ctx.body().asJsonObject();
      if (spec.containsKey("name") && !name.equals(spec.getString("name"))) {
        throw new IllegalArgumentException(String.format(
            "the body names cache '%s', the path '%s'", spec.getValue("name"), name));
      }
      spec = CacheSpec.fromJson(spec.copy().put("name", name)).toJson();
    } catch (RuntimeException e) {
      error(ctx.response(), Status.BAD_REQUEST, "cache definition: " + e.getMessage());
      return;
    }
    HttpServerResponse res = ctx.response();
    router.handle(new Request.CacheAdmin(new JsonObject().put("op", "create").put("cache", spec)
        .encode()), 0, 0).onComplete(ar -> {
          Response r = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
          if (r instanceof Response.Stats st) {
            JsonObject out = new JsonObject(st.json());
            json(res, out.getBoolean("created") ? 201 : 200, out);
          } else {
            answer(res, r);
          }
        });
  }

  private void cacheSize(RoutingContext ctx) {
    String cache = ctx.pathParam("cache");
    HttpServerResponse res = ctx.response();
    router.handle(new Request.CacheAdmin(new JsonObject().put("op", "get").put("name", cache)
        .encode()), 0, 0).compose(known -> {
          if (known instanceof Response.Stats st
              && new JsonObject(st.json()).getValue("cache") == null) {
            return Future.succeededFuture(new JsonObject().put("status",
                Status.NO_SUCH_CACHE.name()).put("error", "no cache '" + cache + "'"));
          }
          return router.cacheSize(cache).map(n -> new JsonObject().put("cache", cache)
              .put("size", n));
        }).onComplete(ar -> {
          if (ar.failed()) {
            answer(res, RequestRouter.failure(ar.cause()));
          } else if (ar.result().containsKey("error")) {
            json(res, httpCode(Status.NO_SUCH_CACHE), ar.result());
          } else {
            json(res, 200, ar.result());
          }
        });
  }

  /**
   * One page of a cache's entries: {@code ?cursor=start|<position>&limit=n}; values as text when
   * they are UTF-8, else base64 under {@code valueBase64}.
   */
  private void entries(RoutingContext ctx) {
    String cache = ctx.pathParam("cache");
    String cursor = ctx.request().getParam("cursor", "start");
    int limit;
    long after;
    boolean fromStart = "start".equals(cursor);
    try {
      limit = Integer.parseInt(ctx.request().getParam("limit", "100"));
      if (limit < 1 || limit > 10_000) {
        throw new IllegalArgumentException("limit must be within 1..10000, was " + limit);
      }
      after = fromStart ? Long.MIN_VALUE : Long.parseLong(cursor);
    } catch (RuntimeException e) {
      error(ctx.response(), Status.BAD_REQUEST, "entries: " + e.getMessage()
          + " (cursor is 'start' or the 'next' of the previous page)");
      return;
    }
    routed(ctx, new Request.CacheScan(cache, after, fromStart, limit), res -> {
      Response.Entries page = (Response.Entries) res;
      io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
      for (Response.Entries.Entry e : page.entries()) {
        JsonObject o = new JsonObject().put("key", e.key().asString()).put("version",
            e.version());
        byte[] v = e.value().getBytes();
        if (Key.isUtf8(v)) {
          o.put("value", new String(v, java.nio.charset.StandardCharsets.UTF_8));
        } else {
          o.put("valueBase64", java.util.Base64.getEncoder().encodeToString(v));
        }
        out.add(o);
      }
      return new JsonObject().put("entries", out).put("next",
          page.nextPosition() == Long.MAX_VALUE ? null : Long.toString(page.nextPosition()));
    });
  }

  private void routed(RoutingContext ctx, Request request,
      Function<Response, JsonObject> ok) {
    routed(ctx, request, 200, ok);
  }

  /** Routes {@code request}; OK answers through {@code ok} (null: 404), others as errors. */
  private void routed(RoutingContext ctx, Request request, int okCode,
      Function<Response, JsonObject> ok) {
    HttpServerResponse res = ctx.response();
    router.handle(request, 0, 0).onComplete(ar -> {
      Response r = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
      if (r.status() != Status.OK || r instanceof Response.Failure) {
        answer(res, r);
        return;
      }
      JsonObject body = ok.apply(r);
      if (body == null) {
        error(res, Status.NO_SUCH_CACHE, "no such cache");
      } else {
        json(res, okCode, body);
      }
    });
  }

  // ------------------------------------------------------------------ answers

  private void scrape(HttpServerResponse res) {
    io.vertx.core.Vertx.currentContext().executeBlocking(metrics::scrape, false)
        .onComplete(ar -> {
          if (res.ended()) {
            return;
          }
          if (ar.succeeded()) {
            res.setStatusCode(200).putHeader("Content-Type", ServerMetrics.CONTENT_TYPE)
                .end(ar.result());
          } else {
            error(res, Status.INTERNAL, "scrape failed: " + ar.cause());
          }
        });
  }

  private static long parseTtl(String ttl) {
    if (ttl == null || ttl.isEmpty()) {
      return 0;
    }
    long value = Conditions.parseLong(ttl);
    if (value < 0) {
      throw new IllegalArgumentException("ttl must be >= 0 milliseconds (0 = none), was " + ttl);
    }
    return value;
  }

  private static void answer(HttpServerResponse res, Response r) {
    if (r instanceof Response.Stored s) {
      json(res, 200, new JsonObject().put("version", s.version()));
    } else if (r instanceof Response.Ok) {
      json(res, 200, new JsonObject().put("status", "OK"));
    } else if (r instanceof Response.Failure f) {
      error(res, f.status(), f.message());
    } else {
      json(res, 200, new JsonObject().put("status", r.status().name()));
    }
  }

  private static void error(HttpServerResponse res, Status status, String message) {
    json(res, httpCode(status), new JsonObject().put("status", status.name())
        .put("error", message == null ? "" : message));
  }

  static int httpCode(Status status) {
    return switch (status) {
      case OK -> 200;
      case NOT_FOUND -> 404;
      case EXISTS, VERSION_MISMATCH -> 409;
      case KEY_TOO_LARGE -> 414;
      case VALUE_TOO_LARGE, FRAME_TOO_LARGE -> 413;
      case BAD_REQUEST, UNKNOWN_OP -> 400;
      case AUTH_FAILED -> 401;
      case FORBIDDEN -> 403;
      case BUSY -> 429;
      case TIMEOUT -> 504;
      case UNAVAILABLE, NOT_OWNER, WRONG_EPOCH, NOT_PRIMARY, NO_QUORUM -> 503;
      case NO_SUCH_CACHE -> 404;
      // STALE is node to node only: one reaching HTTP is a bug, like INTERNAL.
      case INTERNAL, CLOCK_OFFSET, STALE -> 500;
      // Any status added later, until it gets its own mapping here.
      default -> 500;
    };
  }

  private static void json(HttpServerResponse res, int code, JsonObject body) {
    if (res.ended()) {
      return;
    }
    res.setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
