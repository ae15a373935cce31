package io.ringcache.client;

import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Status;
import io.ringcache.ring.Member;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Reads every read owner's own copy of one key: a GET with {@link Flags#FORWARDED} and {@link
 * Flags#ANY_OWNER} to each owner the client's layout names, so each answers from its store or
 * says NOT_OWNER, and none forwards. A verification tool's call (the loadtest's final check that
 * no owner lost or kept back an acknowledged write), not an application's: an answer that says
 * the client's layout is old (NOT_OWNER, UNAVAILABLE) makes it refetch the layout and ask again,
 * up to {@value #ATTEMPTS} times; any other failure of any owner fails the whole call.
 */
final class OwnerCopies {

  private OwnerCopies() {}

  /** Owner answers that a client on an older layout gets before it refetches and asks again. */
  static final int ATTEMPTS = 3;

  static CompletionStage<Map<String, Optional<Versioned<byte[]>>>> read(Router router, Key key) {
    return read(router, key, router.ready(), 1);
  }

  private static CompletionStage<Map<String, Optional<Versioned<byte[]>>>> read(Router router,
      Key key, CompletionStage<Router.Installed> layout, int attempt) {
    return layout.thenCompose(installed -> once(router, key, installed)).handle((copies, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(copies);
      }
      Throwable cause = e instanceof CompletionException ? e.getCause() : e;
      if (attempt < ATTEMPTS && cause instanceof CacheException ce
          && Errors.suggestsNewLayout(ce.protocolStatus())) {
        return read(router, key, router.refresh(null), attempt + 1);
      }
      return CompletableFuture.<Map<String, Optional<Versioned<byte[]>>>>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private static CompletionStage<Map<String, Optional<Versioned<byte[]>>>> once(Router router,
      Key key, Router.Installed installed) {
    List<Member> owners = installed.topology().readReplicas(key.position());
    Map<String, Optional<Versioned<byte[]>>> copies = new TreeMap<>();
    CompletableFuture<Map<String, Optional<Versioned<byte[]>>>> all = new CompletableFuture<>();
    if (owners.isEmpty()) {
      all.completeExceptionally(new CacheUnavailableException(Status.UNAVAILABLE,
          "no owner of '" + key + "' in topology epoch " + installed.topology().epoch(), null));
      return all;
    }
    for (Member owner : owners) {
      Destination member = installed.target(owner);
      if (member == null) {
        all.completeExceptionally(new CacheUnavailableException(Status.UNAVAILABLE,
            "owner " + owner.name() + " of '" + key + "' has no address in topology epoch "
                + installed.topology().epoch(), null));
        return all;
      }
      Destination target = member.withFlags(Flags.FORWARDED | Flags.ANY_OWNER);
      router.send(target, new Request.Get(key), installed.topology().epoch(), new Reply() {
        @Override
        public void answered(Response response) {
          if (response instanceof Response.Value v) {
            add(Optional.of(new Versioned<>(v.value().getBytes(), v.version())));
          } else if (response.status() == Status.NOT_FOUND) {
            add(Optional.empty());
          } else {
            all.completeExceptionally(Errors.of((Response.Failure) response,
                "copy of '" + key + "' on " + owner.name()));
          }
        }

        @Override
        public void failed(CacheException error, boolean maybeApplied) {
          all.completeExceptionally(error);
        }

        private void add(Optional<Versioned<byte[]>> copy) {
          synchronized (copies) {
            copies.put(owner.name(), copy);
            if (copies.size() == owners.size()) {
              all.complete(Collections.unmodifiableMap(new TreeMap<>(copies)));
            }
          }
        }
      });
    }
    return all;
  }
}
