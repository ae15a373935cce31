package io.ringcache.client;

import io.ringcache.protocol.CacheSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A named cache's configuration, as the cluster keeps it: created once (by the client, the HTTP
 * API or a node's config file), read by every node and client, removed by a destroy.
 *
 * <p>The three expiry durations are JCache's {@code ExpiryPolicy} in data form: they apply to
 * writes and reads that do not carry a TTL of their own. {@code null} means "not set":
 * <ul>
 *   <li>{@code expireAfterCreate}: TTL of an entry a write creates (null: never expires);
 *   <li>{@code expireAfterUpdate}: TTL an update sets (null: the entry keeps its remaining TTL);
 *   <li>{@code expireAfterAccess}: TTL a read sets again (null: reads leave the TTL alone).
 * </ul>
 *
 * @param name 1..{@value #MAX_NAME_BYTES} UTF-8 bytes of letters, digits and {@code . _ - :}
 * @param statistics whether clients keep statistics for the cache (JCache's setting)
 * @param maxKeyBytes largest key of this cache, at most the nodes' own limit (0: the nodes')
 * @param maxValueBytes largest value of this cache, at most the nodes' own limit (0: the nodes')
 * @param storeByValue JCache's store-by-value flag (ringcache always copies; kept for JCache)
 * @param attributes opaque settings of layers above (a JCache provider keeps its key and value
 *     types here), at most {@value #MAX_ATTRIBUTES} entries
 */
public record CacheSettings(String name, Duration expireAfterCreate, Duration expireAfterUpdate,
    Duration expireAfterAccess, boolean statistics, int maxKeyBytes, int maxValueBytes,
    boolean storeByValue, Map<String, String> attributes) {

  /** The cache every key without a cache name belongs to; it always exists. */
  public static final String DEFAULT = "default";
  public static final int MAX_NAME_BYTES = 128;
  public static final int MAX_ATTRIBUTES = 32;

  public CacheSettings {
    checkName(name);
    checkTtl("expireAfterCreate", expireAfterCreate);
    checkTtl("expireAfterUpdate", expireAfterUpdate);
    checkTtl("expireAfterAccess", expireAfterAccess);
    if (maxKeyBytes < 0 || maxKeyBytes > 0xFFFF) {
      throw new IllegalArgumentException(
          String.format("maxKeyBytes is %d, must be within 0..65535", maxKeyBytes));
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException(
          String.format("maxValueBytes is %d, must not be negative", maxValueBytes));
    }
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException(String.format(
          "a cache has at most %d attributes, got %d", MAX_ATTRIBUTES, attributes.size()));
    }
  }

  /** Settings of a cache named {@code name}: no expiry, no statistics, the nodes' limits. */
  public static CacheSettings named(String name) {
    return new CacheSettings(name, null, null, null, false, 0, 0, true, Map.of());
  }

  public CacheSettings withExpiry(Duration afterCreate, Duration afterUpdate,
      Duration afterAccess) {
    return new CacheSettings(name, afterCreate, afterUpdate, afterAccess, statistics, maxKeyBytes,
        maxValueBytes, storeByValue, attributes);
  }

  public CacheSettings withStatistics(boolean on) {
    return new CacheSettings(name, expireAfterCreate, expireAfterUpdate, expireAfterAccess, on,
        maxKeyBytes, maxValueBytes, storeByValue, attributes);
  }

  public CacheSettings withLimits(int keyBytes, int valueBytes) {
    return new CacheSettings(name, expireAfterCreate, expireAfterUpdate, expireAfterAccess,
        statistics, keyBytes, valueBytes, storeByValue, attributes);
  }

  public CacheSettings withStoreByValue(boolean byValue) {
    return new CacheSettings(name, expireAfterCreate, expireAfterUpdate, expireAfterAccess,
        statistics, maxKeyBytes, maxValueBytes, byValue, attributes);
  }

  public CacheSettings withAttributes(Map<String, String> attrs) {
    return new CacheSettings(name, expireAfterCreate, expireAfterUpdate, expireAfterAccess,
        statistics, maxKeyBytes, maxValueBytes, storeByValue, attrs);
  }

  /** Fails with a message naming the rule unless {@code name} is a valid cache name. */
  public static void checkName(String name) {
    CacheSpec.checkName(name);
  }

  private static void checkTtl(String what, Duration d) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(String.format("%s is %s, must not be negative", what, d));
    }
  }
}
