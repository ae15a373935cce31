package io.ringcache.jcache;

import io.ringcache.client.CacheSettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.cache.CacheException;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;

/**
 * How a JCache cache is recorded in the cluster: its {@link CacheSettings}, with the JCache parts
 * that are data (key and value type, the original name, statistics, store-by-value) in
 * {@link CacheSettings#attributes()}. Loaders, writers, expiry policies and listeners are code:
 * they live in each client's {@link CompleteConfiguration}, not in the cluster.
 *
 * <p>Names: JCache allows any cache name; ringcache allows {@code A-Z a-z 0-9 . _ - :} up to
 * {@value CacheSettings#MAX_NAME_BYTES} characters. Names that fit are used as is; others are
 * stored as {@value #ENCODED_PREFIX} plus the Base64url of their UTF-8 bytes (whose alphabet
 * fits), and the original is kept in the {@value #NAME} attribute.
 */
final class CacheDefinitions {

  static final String KEY_TYPE = "jcache.keyType";
  static final String VALUE_TYPE = "jcache.valueType";
  static final String NAME = "jcache.name";
  static final String ENCODED_PREFIX = "jcache:b64:";

  private CacheDefinitions() {}

  /** The ringcache name of JCache cache {@code name}. */
  static String clusterName(String name) {
    String encoded = name;
    try {
      CacheSettings.checkName(name);
    } catch (IllegalArgumentException e) {
      encoded = ENCODED_PREFIX + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }
    if (encoded.length() > CacheSettings.MAX_NAME_BYTES) {
      throw new IllegalArgumentException(String.format(
          "cache name '%s' is too long: its cluster form has %d characters, at most %d", name,
          encoded.length(), CacheSettings.MAX_NAME_BYTES));
    }
    return encoded;
  }

  static CacheSettings settings(String name, CompleteConfiguration<?, ?> config) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put(KEY_TYPE, config.getKeyType().getName());
    attributes.put(VALUE_TYPE, config.getValueType().getName());
    attributes.put(NAME, name);
    return CacheSettings.named(clusterName(name))
        .withStatistics(config.isStatisticsEnabled())
        .withStoreByValue(true)
        .withAttributes(attributes);
  }

  /** True if {@code stored} records the same key and value types as {@code wanted}. */
  static boolean sameTypes(CacheSettings stored, CacheSettings wanted) {
    return wanted.attributes().get(KEY_TYPE).equals(stored.attributes().get(KEY_TYPE))
        && wanted.attributes().get(VALUE_TYPE).equals(stored.attributes().get(VALUE_TYPE));
  }

  /**
   * The configuration another client recorded: its types (Object when it was not created through
   * JCache) and statistics flag, with no loader, writer, listener or expiry policy (those are
   * code, and not in the cluster).
   */
  static <K, V> MutableConfiguration<K, V> configuration(CacheSettings stored, ClassLoader loader) {
    @SuppressWarnings("unchecked")
    Class<K> keyType = (Class<K>) type(stored, KEY_TYPE, loader);
    @SuppressWarnings("unchecked")
    Class<V> valueType = (Class<V>) type(stored, VALUE_TYPE, loader);
    return new MutableConfiguration<K, V>()
        .setTypes(keyType, valueType)
        .setStatisticsEnabled(stored.statistics());
  }

  private static Class<?> type(CacheSettings stored, String attribute, ClassLoader loader) {
    String typeName = stored.attributes().get(attribute);
    if (typeName == null) {
      return Object.class;
    }
    try {
      return Class.forName(typeName, false, loader);
    } catch (ClassNotFoundException e) {
      throw new CacheException(String.format("cache '%s' was created with %s %s, which class"
          + " loader %s cannot load", stored.name(), attribute, typeName, loader), e);
    }
  }
}
