package io.ringcache.jcache;

import io.ringcache.client.CacheClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * The default {@link ClientFactory}: seeds from the URI's authority
 * ({@code ringcache://10.0.0.1:7101,10.0.0.2:7101}) and from the property {@value #SEEDS}
 * (comma-separated {@code host:port}), the auth token from {@value #AUTH_TOKEN}.
 */
public final class SeedClientFactory implements ClientFactory {

  /** Manager property: more seeds, comma-separated {@code host:port}. */
  public static final String SEEDS = "ringcache.seeds";
  /** Manager property: the token the nodes require in HELLO. */
  public static final String AUTH_TOKEN = "ringcache.authToken";
  /** The URI scheme this factory reads seeds from. */
  public static final String SCHEME = "ringcache";

  @Override
  public CacheClient create(URI uri, Properties properties) {
    List<String> seeds = seeds(uri, properties);
    if (seeds.isEmpty()) {
      throw new CacheException(String.format("no seeds for CacheManager '%s': use a URI such as"
          + " ringcache://host:port,host:port or the property %s", uri, SEEDS));
    }
    CacheClient.Builder builder = CacheClient.builder().seeds(seeds).clientName("ringcache-jcache");
    String token = properties.getProperty(AUTH_TOKEN);
    if (token != null) {
      builder.authToken(token);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new CacheException("CacheManager '" + uri + "': " + e.getMessage(), e);
    }
  }

  /** The seeds named by {@code uri} (when its scheme is ringcache) and by {@value #SEEDS}. */
  static List<String> seeds(URI uri, Properties properties) {
    List<String> seeds = new ArrayList<>();
    if (uri != null && SCHEME.equals(uri.getScheme()) && uri.getRawAuthority() != null) {
      addAll(seeds, uri.getRawAuthority());
    }
    String more = properties == null ? null : properties.getProperty(SEEDS);
    if (more != null) {
      addAll(seeds, more);
    }
    return seeds;
  }

  private static void addAll(List<String> seeds, String commaSeparated) {
    for (String s : commaSeparated.split(",")) {
      if (!s.isBlank()) {
        seeds.add(s.trim());
      }
    }
  }
}
