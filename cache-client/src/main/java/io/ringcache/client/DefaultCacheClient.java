package io.ringcache.client;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link CacheClient}: byte values over its own {@link Router}, plus views and lifecycle. */
final class DefaultCacheClient extends CacheOps<byte[]> implements CacheClient {

  private static final Logger LOG = System.getLogger(DefaultCacheClient.class.getName());

  private DefaultCacheClient(Router router) {
    super(router, ValueCodec.bytes());
  }

  static CacheClient start(ClientSettings settings) {
    Router router = new Router(settings);
    LOG.log(Level.DEBUG, () -> "starting " + settings);
    // Fetch the layout in the background; the first calls wait for it (or fetch again).
    router.refresh(null);
    return new DefaultCacheClient(router);
  }

  @Override
  public <V> AsyncRingCache<V> typed(ValueCodec<V> codec) {
    return new CacheOps<>(router, codec);
  }

  @Override
  public NamedCache<byte[]> cache(String name) {
    CacheSettings.checkName(name);
    return new NamedCacheOps<>(router, ValueCodec.bytes(), name);
  }

  @Override
  public NearCache<byte[]> nearCache(String name, NearCacheSettings settings) {
    CacheSettings.checkName(name);
    Objects.requireNonNull(settings, "settings");
    return new NearCacheOps<>(new NearState(router, name, settings, false), ValueCodec.bytes());
  }

  @Override
  public CacheAdmin caches() {
    return new CacheAdminOps(router);
  }

  @Override
  public ClusterTopology topology() {
    return router.installed().view();
  }

  @Override
  public CompletionStage<Map<String, Optional<Versioned<byte[]>>>> ownerCopies(String key) {
    try {
      return OwnerCopies.read(router, key(key));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    return router.close();
  }

  @Override
  public void close() {
    CompletionStage<Void> closing = router.close();
    if (router.isClientThread()) {
      return;
    }
    try {
      closing.toCompletableFuture()
          .get(router.settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.DEBUG, () -> "client resources not released in time: " + e);
    }
  }
}
