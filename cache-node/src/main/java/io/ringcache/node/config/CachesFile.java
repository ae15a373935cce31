package io.ringcache.node.config;

import io.ringcache.protocol.CacheSpec;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code caches-file} setting: a JSON array of cache definitions in {@link CacheSpec}'s form
 * ({@code [{"name": "sessions", "expireAfterCreateMillis": 1800000}, ...]}), created when the node
 * starts unless a cache of that name exists (an existing definition is kept, as a second create
 * would keep it). Checked when the configuration loads, so a bad file stops the node before it
 * joins.
 */
final class CachesFile {

  private CachesFile() {}

  /** Why the file cannot be used, or null (also for an empty path: not set). */
  static String problem(String path) {
    if (path.isEmpty()) {
      return null;
    }
    try {
      read(path);
      return null;
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  static List<CacheSpec> read(String path) {
    String text;
    try {
      text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(String.format("file '%s' cannot be read: %s", path, e));
    }
    List<CacheSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      JsonArray a = new JsonArray(text);
      for (int i = 0; i < a.size(); i++) {
        CacheSpec spec = CacheSpec.fromJson(a.getJsonObject(i));
        if (!names.add(spec.name())) {
          throw new IllegalArgumentException("cache '" + spec.name() + "' is defined twice");
        }
        out.add(spec);
      }
    } catch (RuntimeException e) {
      throw new ConfigException(String.format(
          "file '%s' is not a JSON array of cache definitions: %s", path, e.getMessage()));
    }
    return out;
  }
}
