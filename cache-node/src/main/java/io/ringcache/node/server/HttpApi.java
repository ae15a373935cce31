package io.ringcache.node.server;

import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.ProtocolException;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP API for humans and scripts. Requests go through the same {@link RequestRouter} as the
 * binary protocol, so a key can be written and read through any node.
 *
 * <pre>
 *   GET    /v1/keys/{key}             200 value bytes | 404
 *   PUT    /v1/keys/{key}?ttl=ms      200 {"version":..}   (&amp;mode=if-absent|if-present)
 *   DELETE /v1/keys/{key}             200 | 404
 *   GET    /v1/topology               200 JSON
 *   GET    /v1/stats                  200 JSON
 *   GET    /health/live, /health/ready   (ready: in the read ring and not draining)
 *   GET    /metrics                   200 Prometheus text format 0.0.4
 *   POST   /v1/admin/drain            202: hand the data over, then leave (as on SIGTERM)
 * </pre>
 * Keys are the URL-decoded path segment, UTF-8. Errors answer JSON {@code {"status","error"}}
 * with an HTTP code chosen per status (413 value too large, 414 key too large, 503 unavailable,
 * 504 timeout, ...). When auth is on, requests need {@code Authorization: Bearer <token>} with
 * the primary or the secondary token, except the health endpoints and {@code /metrics}: probes
 * and Prometheus scrapers rarely carry credentials, and these answers hold no keys or values,
 * only counts and the node's state (meter tags come from fixed enums, never from a key). Keep the
 * HTTP port on a private network.
 *
 * <p>A scrape reads every meter, JVM ones included (thread and GC information), which can take
 * a millisecond or more, so it runs on a worker thread rather than on the event loop.
 */
final class HttpApi implements Handler<HttpServerRequest> {

  private static final String KEYS = "/v1/keys/";

  private final RequestRouter router;
  private final ServerSettings settings;
  private final StatsReport report;
  private final TopologyHolder topology;
  private final java.util.function.BooleanSupplier draining;
  private final Runnable requestDrain;
  private final ServerMetrics metrics;

  HttpApi(RequestRouter router, ServerSettings settings, StatsReport report,
      TopologyHolder topology, java.util.function.BooleanSupplier draining,
      Runnable requestDrain, ServerMetrics metrics) {
    this.metrics = metrics;
    this.draining = draining;
    this.requestDrain = requestDrain;
    this.router = router;
    this.settings = settings;
    this.report = report;
    this.topology = topology;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    HttpServerResponse res = req.response();
    res.putHeader("X-Ringcache-Epoch", Long.toString(topology.epoch()));
    if (path.equals("/health/live")) {
      json(res, 200, new JsonObject().put("status", "UP"));
      return;
    }
    if (path.equals("/health/ready")) {
      boolean draining = this.draining.getAsBoolean();
      boolean ready = !draining && topology.current().readRing().contains(settings.nodeName());
      json(res, ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN")
          .put("draining", draining).put("epoch", topology.epoch()));
      return;
    }
    if (path.equals("/metrics") && req.method() == HttpMethod.GET) {
      scrape(res);
      return;
    }
    if (settings.authRequired() && !authorized(req)) {
      error(res, Status.AUTH_FAILED, "send Authorization: Bearer <token>");
      return;
    }
    if (path.equals("/v1/admin/drain") && req.method() == HttpMethod.POST) {
      requestDrain.run();
      json(res, 202, new JsonObject().put("draining", true).put("node", settings.nodeName()));
    } else if (path.equals("/v1/topology") && req.method() == HttpMethod.GET) {
      json(res, 200, report.topologyJson());
    } else if (path.equals("/v1/stats") && req.method() == HttpMethod.GET) {
      json(res, 200, report.json());
    } else if (path.startsWith(KEYS) && path.length() > KEYS.length()) {
      keyRequest(req, res, path.substring(KEYS.length()));
    } else {
      json(res, 404, new JsonObject().put("error", "no such resource: " + req.method() + " "
          + path + "; see /v1/keys/{key}, /v1/topology, /v1/stats, /metrics"));
    }
  }

  private void keyRequest(HttpServerRequest req, HttpServerResponse res, String rawKey) {
    Key key;
    long ttl;
    SetMode mode;
    try {
      String decoded = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
      byte[] bytes = decoded.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > settings.limits().maxKeyBytes()) {
        error(res, Status.KEY_TOO_LARGE, String.format("key is %d bytes, limit is %d (maxKeyBytes)",
            bytes.length, settings.limits().maxKeyBytes()));
        return;
      }
      key = Key.of(bytes);
      ttl = parseTtl(req.getParam("ttl"));
      mode = parseMode(req.getParam("mode"));
    } catch (IllegalArgumentException | ProtocolException e) {
      error(res, Status.BAD_REQUEST, e.getMessage());
      return;
    }
    if (req.method() == HttpMethod.GET) {
      router.handle(new Request.Get(key), 0, 0).onComplete(ar -> {
        Response r = ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause());
        if (r instanceof Response.Value v) {
          res.putHeader("X-Ringcache-Version", Long.toString(v.version()))
              .putHeader("Content-Type", "application/octet-stream")
              .setStatusCode(200).end(v.value());
        } else {
          answer(res, r);
        }
      });
    } else if (req.method() == HttpMethod.PUT || req.method() == HttpMethod.POST) {
      String length = req.getHeader("Content-Length");
      int max = settings.limits().maxValueBytes();
      if (length != null && parseLong(length) > max) {
        error(res, Status.VALUE_TOO_LARGE, String.format(
            "value is %s bytes, limit is %d (maxValueBytes)", length, max));
        req.connection().close();
        return;
      }
      Buffer body = Buffer.buffer();
      req.handler(chunk -> {
        if (body.length() + chunk.length() > max) {
          if (!res.ended()) {
            error(res, Status.VALUE_TOO_LARGE, String.format(
                "value exceeds %d bytes (maxValueBytes)", max));
            req.connection().close();
          }
          return;
        }
        body.appendBuffer(chunk);
      });
      req.endHandler(v -> {
        if (res.ended()) {
          return;
        }
        router.handle(new Request.Set(key, body, ttl, mode), 0, 0).onComplete(ar ->
            answer(res, ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause())));
      });
    } else if (req.method() == HttpMethod.DELETE) {
      router.handle(new Request.Delete(key), 0, 0).onComplete(ar ->
          answer(res, ar.succeeded() ? ar.result() : RequestRouter.failure(ar.cause())));
    } else {
      json(res, 405, new JsonObject().put("error", "use GET, PUT or DELETE on keys"));
    }
  }

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

  private boolean authorized(HttpServerRequest req) {
    return settings.auth().acceptsBearer(req.getHeader("Authorization"));
  }

  private static long parseTtl(String ttl) {
    if (ttl == null || ttl.isEmpty()) {
      return 0;
    }
    long value = parseLong(ttl);
    if (value < 0) {
      throw new IllegalArgumentException("ttl must be >= 0 milliseconds (0 = none), was " + ttl);
    }
    return value;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number, was '" + s + "'");
    }
  }

  private static SetMode parseMode(String mode) {
    if (mode == null || mode.isEmpty() || mode.equals("always")) {
      return SetMode.ALWAYS;
    }
    return switch (mode) {
      case "if-absent" -> SetMode.IF_ABSENT;
      case "if-present" -> SetMode.IF_PRESENT;
      default -> throw new IllegalArgumentException(
          "mode must be always, if-absent or if-present, was '" + mode + "'");
    };
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
      case UNAVAILABLE, NOT_OWNER, WRONG_EPOCH -> 503;
      // STALE is node to node only: one reaching HTTP is a bug, like INTERNAL.
      case INTERNAL, CLOCK_OFFSET, STALE -> 500;
    };
  }

  private static void json(HttpServerResponse res, int code, JsonObject body) {
    if (res.ended()) {
      return;
    }
    res.setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
