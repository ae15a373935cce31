package io.ringcache.loadtest.targets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A system under load: ringcache through its smart client, or a peer such as Hazelcast. The
 * runner drives every target the same way, so their results compare.
 *
 * <p>Implementations are thread-safe. Every returned future completes, with a value or an
 * exception, and never on the caller's stack in a way that blocks it; callbacks must not be
 * assumed to run on any particular thread.
 */
public interface Target extends AutoCloseable {

  /** A value read back, with its version ({@link #NO_VERSION} when the target has none). */
  record Read(byte[] value, long version) {}

  long NO_VERSION = -1;

  /** Short name for reports: {@code ringcache}, {@code hazelcast}. */
  String name();

  /** The value of {@code key}, or {@code null} when absent. */
  CompletableFuture<Read> get(String key);

  /** Stores {@code value}; completes with the new version, or {@link #NO_VERSION}. */
  CompletableFuture<Long> put(String key, byte[] value);

  /** Stores {@code value} unless the key exists; completes with whether it stored. */
  CompletableFuture<Boolean> putIfAbsent(String key, byte[] value);

  /** Removes {@code key}; completes with whether it existed. */
  CompletableFuture<Boolean> delete(String key);

  /** The present keys among {@code keys} with their values. */
  CompletableFuture<Map<String, Read>> getAll(List<String> keys);

  @Override
  void close();
}
