package io.ringcache.jcache;

import io.ringcache.client.CacheClient;
import java.net.URI;
import java.util.Properties;

/**
 * Builds the {@link CacheClient} one {@code CacheManager} talks to the cluster through.
 *
 * <p>The default ({@link SeedClientFactory}) reads the seeds from the manager's URI and
 * properties. The system property (or manager property) {@value #PROPERTY} names another
 * implementation, a public class with a public no-argument constructor: tests use it to run the
 * same provider over an in-JVM cluster or an in-memory double. The manager closes the client it
 * was given when it closes.
 */
public interface ClientFactory {

  /** The system or manager property naming a {@code ClientFactory} class. */
  String PROPERTY = "ringcache.jcache.clientFactory";

  /**
   * A new client for the manager of {@code uri}; called at most once per manager, on first use.
   *
   * @throws javax.cache.CacheException if the URI or properties do not describe a cluster
   */
  CacheClient create(URI uri, Properties properties);
}
