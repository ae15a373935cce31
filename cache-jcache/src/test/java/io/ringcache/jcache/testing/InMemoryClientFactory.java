package io.ringcache.jcache.testing;

import io.ringcache.client.CacheClient;
import io.ringcache.client.InMemoryCacheClient;
import io.ringcache.client.InMemoryCluster;
import io.ringcache.jcache.ClientFactory;
import java.net.URI;
import java.util.Properties;

/**
 * Clients of the JVM's one {@link InMemoryCluster}: for fast TCK runs while developing
 * ({@code -Djcache.tck.clientFactory=io.ringcache.jcache.testing.InMemoryClientFactory}).
 */
public final class InMemoryClientFactory implements ClientFactory {

  @Override
  public CacheClient create(URI uri, Properties properties) {
    return new InMemoryCacheClient(InMemoryCluster.shared());
  }
}
