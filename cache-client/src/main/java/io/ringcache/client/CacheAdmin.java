package io.ringcache.client;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Creates, reads and destroys named caches cluster-wide ({@link CacheClient#caches()}). Every
 * call goes to one node, which records the change in the cluster state every node reads; a call
 * completes once that record is stored, and every node serves the cache from then on.
 */
public interface CacheAdmin {

  /**
   * Creates the cache unless one of that name exists: completes with the cache's settings as
   * stored, which are the existing ones when it existed (compare them to know).
   */
  CompletionStage<CacheSettings> create(CacheSettings settings);

  /** The settings of {@code name}, or empty if there is no such cache. */
  CompletionStage<Optional<CacheSettings>> get(String name);

  /** Every cache, {@code default} included, by name. */
  CompletionStage<List<CacheSettings>> list();

  /**
   * Removes the cache and all its entries: true if it existed. {@code default} cannot be
   * destroyed (it is cleared instead).
   */
  CompletionStage<Boolean> destroy(String name);
}
