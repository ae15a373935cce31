package io.ringcache.jcache;

import io.ringcache.client.VersionMismatchException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.cache.CacheException;

/**
 * Waits for a client call on behalf of JCache's blocking API.
 *
 * <p>Failure: ringcache's {@link io.ringcache.client.CacheException} becomes JCache's
 * {@link CacheException} (same message, the original as cause), except
 * {@link VersionMismatchException}, which the optimistic loops catch and is rethrown as is.
 * Every client call is bounded by the client's own timeout and retries; the wait here is a
 * backstop against a stage that never completes.
 */
final class Calls {

  /** Longer than any client call's timeout times its retries (2 s x 11 by default). */
  static final long BACKSTOP_SECONDS = 120;

  private Calls() {}

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(BACKSTOP_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      throw translate(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while waiting for the cluster", e);
    } catch (TimeoutException e) {
      throw new CacheException(String.format(
          "no answer from the cluster within %d s", BACKSTOP_SECONDS), e);
    }
  }

  static RuntimeException translate(Throwable t) {
    if (t instanceof CompletionException && t.getCause() != null) {
      return translate(t.getCause());
    }
    if (t instanceof VersionMismatchException v) {
      return v;
    }
    if (t instanceof io.ringcache.client.CacheException c) {
      return new CacheException(c.getMessage(), c);
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new CacheException(t);
  }
}
