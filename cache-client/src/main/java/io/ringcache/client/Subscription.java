package io.ringcache.client;

import java.util.concurrent.CompletionStage;

/** A live {@link NamedCache#subscribe subscription}; events stop once it is closed. */
public interface Subscription extends AutoCloseable {

  /** The cache it listens to. */
  String cacheName();

  /** Stops delivery at every owner; completes when each one has confirmed or is gone. */
  CompletionStage<Void> cancel();

  /** {@link #cancel()}, without waiting. */
  @Override
  void close();
}
