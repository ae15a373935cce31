package io.ringcache.client.examples;

import io.ringcache.client.AsyncRingCache;
import io.ringcache.client.CacheClient;
import io.ringcache.client.ValueCodec;

/**
 * The smallest ringcache program: connect, put, get, close. Run a node first (see the README),
 * then {@code java ... QuickStart [host:port ...]}.
 */
public final class QuickStart {

  public static void main(String[] args) {
    String[] seeds = args.length > 0 ? args : new String[] {"127.0.0.1:7101"};
    try (CacheClient client = CacheClient.builder().seeds(seeds).build()) {
      AsyncRingCache<String> cache = client.typed(ValueCodec.utf8());
      cache.put("greeting", "hello, ringcache").toCompletableFuture().join();
      System.out.println(cache.get("greeting").toCompletableFuture().join().orElseThrow().value());
    }
  }
}
