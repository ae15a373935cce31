package io.ringcache.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A named cache's definition as nodes and clients exchange it (CACHE_ADMIN) and the cluster state
 * stores it: the one JSON form of a cache's settings.
 *
 * <p>Expiry durations are milliseconds, {@link #UNSET} when not set: after create (unset: no
 * expiry), after update (unset: keep the remaining TTL), after access (unset: reads leave the TTL
 * alone). Limits of 0 mean "the node's own".
 */
public record CacheSpec(String name, long expireAfterCreateMillis, long expireAfterUpdateMillis,
    long expireAfterAccessMillis, boolean statistics, int maxKeyBytes, int maxValueBytes,
    boolean storeByValue, Map<String, String> attributes) {

  public static final long UNSET = -1;
  /** Most attributes a definition carries. */
  public static final int MAX_ATTRIBUTES = 32;
  /** Most characters of all attribute names and values together. */
  public static final int MAX_ATTRIBUTE_CHARS = 2048;
  private static final Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9._:\\-]{1," + Key.MAX_CACHE_NAME_BYTES + "}");

  public CacheSpec {
    checkName(name);
    Objects.requireNonNull(attributes, "attributes");
    attributes = Map.copyOf(attributes);
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException(String.format(
          "a cache has at most %d attributes, got %d", MAX_ATTRIBUTES, attributes.size()));
    }
    int chars = 0;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      chars += e.getKey().length() + e.getValue().length();
    }
    if (chars > MAX_ATTRIBUTE_CHARS) {
      throw new IllegalArgumentException(String.format(
          "a cache's attributes hold %d characters, limit is %d", chars, MAX_ATTRIBUTE_CHARS));
    }
    for (long d : new long[] {expireAfterCreateMillis, expireAfterUpdateMillis,
        expireAfterAccessMillis}) {
      if (d < UNSET) {
        throw new IllegalArgumentException(
            String.format("an expiry of %d ms is invalid: -1 (unset) or at least 0", d));
      }
    }
  }

  /**
   * Fails unless {@code name} is 1..128 characters of {@code A-Z a-z 0-9 . _ - :}: names appear in
   * URLs, metrics and logs as they are.
   */
  public static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(String.format(
          "cache name '%s' must be 1..%d characters of A-Z a-z 0-9 . _ - :", name,
          Key.MAX_CACHE_NAME_BYTES));
    }
  }

  /** The {@value Key#DEFAULT_CACHE} cache: no expiry, the node's limits. */
  public static CacheSpec defaultCache() {
    return new CacheSpec(Key.DEFAULT_CACHE, UNSET, UNSET, UNSET, false, 0, 0, true, Map.of());
  }

  public JsonObject toJson() {
    JsonObject attrs = new JsonObject();
    new TreeMap<>(attributes).forEach(attrs::put);
    return new JsonObject()
        .put("name", name)
        .put("expireAfterCreateMillis", expireAfterCreateMillis)
        .put("expireAfterUpdateMillis", expireAfterUpdateMillis)
        .put("expireAfterAccessMillis", expireAfterAccessMillis)
        .put("statistics", statistics)
        .put("maxKeyBytes", maxKeyBytes)
        .put("maxValueBytes", maxValueBytes)
        .put("storeByValue", storeByValue)
        .put("attributes", attrs);
  }

  /**
   * The spec in {@code json}; absent fields take the defaults of {@link #defaultCache()}.
   *
   * @throws IllegalArgumentException naming the field that is malformed
   */
  public static CacheSpec fromJson(JsonObject json) {
    try {
      Map<String, String> attrs = new LinkedHashMap<>();
      JsonObject a = json.getJsonObject("attributes", new JsonObject());
      for (String k : a.fieldNames()) {
        attrs.put(k, String.valueOf(a.getValue(k)));
      }
      return new CacheSpec(json.getString("name"),
          json.getLong("expireAfterCreateMillis", UNSET),
          json.getLong("expireAfterUpdateMillis", UNSET),
          json.getLong("expireAfterAccessMillis", UNSET),
          json.getBoolean("statistics", false),
          json.getInteger("maxKeyBytes", 0),
          json.getInteger("maxValueBytes", 0),
          json.getBoolean("storeByValue", true),
          attrs);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("malformed cache definition " + json.encode() + ": "
          + e.getMessage(), e);
    }
  }

  /** A JSON array of specs, in the given order. */
  public static JsonArray toJson(List<CacheSpec> specs) {
    JsonArray out = new JsonArray();
    specs.forEach(s -> out.add(s.toJson()));
    return out;
  }
}
