package io.ringcache.client;

import io.ringcache.protocol.CacheSpec;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link CacheAdmin} over CACHE_ADMIN requests (JSON both ways), sent to one node of the
 * topology and, when it cannot answer, to the next.
 */
final class CacheAdminOps implements CacheAdmin {

  private final Router router;

  CacheAdminOps(Router router) {
    this.router = router;
  }

  @Override
  public CompletionStage<CacheSettings> create(CacheSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return ask(new JsonObject().put("op", "create").put("cache", specOf(settings).toJson()))
        .thenApply(o -> settingsOf(CacheSpec.fromJson(o.getJsonObject("cache"))));
  }

  @Override
  public CompletionStage<Optional<CacheSettings>> get(String name) {
    return CacheOps.call(() -> {
      CacheSettings.checkName(name);
      return ask(new JsonObject().put("op", "get").put("name", name)).thenApply(o -> {
        JsonObject c = o.getJsonObject("cache");
        return c == null ? Optional.<CacheSettings>empty()
            : Optional.of(settingsOf(CacheSpec.fromJson(c)));
      });
    });
  }

  @Override
  public CompletionStage<List<CacheSettings>> list() {
    return ask(new JsonObject().put("op", "list")).thenApply(o -> {
      JsonArray a = o.getJsonArray("caches");
      List<CacheSettings> out = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        out.add(settingsOf(CacheSpec.fromJson(a.getJsonObject(i))));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<Boolean> destroy(String name) {
    return CacheOps.call(() -> {
      CacheSettings.checkName(name);
      return ask(new JsonObject().put("op", "destroy").put("name", name))
          .thenApply(o -> o.getBoolean("destroyed", false));
    });
  }

  private CompletableFuture<JsonObject> ask(JsonObject request) {
    return router.ready().thenCompose(i -> ask(request, NamedCacheOps.live(i.topology()), 0));
  }

  private CompletableFuture<JsonObject> ask(JsonObject request, List<NodeAddress> nodes,
      int index) {
    if (index >= nodes.size()) {
      return CompletableFuture.failedFuture(new CacheUnavailableException(Status.UNAVAILABLE,
          "no node answered CACHE_ADMIN " + request.getString("op"), null));
    }
    return router.sendTo(NamedCacheOps.address(nodes.get(index)),
        new Request.CacheAdmin(request.encode())).handle((r, e) -> {
          if (e != null) {
            return ask(request, nodes, index + 1);
          }
          if (r instanceof Response.Stats s) {
            return CompletableFuture.completedFuture(new JsonObject(s.json()));
          }
          if (r instanceof Response.Failure f) {
            return CompletableFuture.<JsonObject>failedFuture(
                Errors.of(f, "CACHE_ADMIN " + request.getString("op")));
          }
          return CompletableFuture.<JsonObject>failedFuture(CacheOps.unexpected(r));
        }).thenCompose(f -> f);
  }

  static CacheSpec specOf(CacheSettings s) {
    return new CacheSpec(s.name(), millis(s.expireAfterCreate()), millis(s.expireAfterUpdate()),
        millis(s.expireAfterAccess()), s.statistics(), s.maxKeyBytes(), s.maxValueBytes(),
        s.storeByValue(), s.attributes());
  }

  static CacheSettings settingsOf(CacheSpec s) {
    return new CacheSettings(s.name(), duration(s.expireAfterCreateMillis()),
        duration(s.expireAfterUpdateMillis()), duration(s.expireAfterAccessMillis()),
        s.statistics(), s.maxKeyBytes(), s.maxValueBytes(), s.storeByValue(), s.attributes());
  }

  private static long millis(Duration d) {
    if (d == null) {
      return CacheSpec.UNSET;
    }
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static Duration duration(long millis) {
    return millis == CacheSpec.UNSET ? null : Duration.ofMillis(millis);
  }
}
