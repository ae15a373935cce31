package io.ringcache.jcache;

import java.util.Base64;
import javax.cache.CacheException;

/**
 * Maps JCache keys (any object) to ringcache keys (strings) and back, so that iteration and
 * events can hand the original key type back to the application.
 *
 * <p>Design: the first character says how the rest reads: {@code s} a {@code String} as is,
 * {@code i} an {@code Integer} and {@code l} a {@code Long} in decimal, {@code o} any other
 * object as Base64 of its Java serialization. Strings and numbers, the common keys, stay readable
 * for operators (the HTTP API, {@code SCAN}) and short. The form is part of the stored data:
 * never change a prefix's meaning.
 *
 * <p>Keys are equal in the cache when their encodings are equal: for strings and numbers that is
 * {@code equals}; for other objects it is equality of the serialized form, which matches
 * {@code equals} for value types whose serialized form is canonical (records, enums, most JDK
 * value classes) but not, for example, for hash sets with different insertion histories.
 */
final class KeyCodec {

  private final Serialization<Object> objects;

  KeyCodec(ClassLoader classLoader) {
    this.objects = new Serialization<>(classLoader);
  }

  String encode(Object key) {
    if (key instanceof String s) {
      return "s" + s;
    }
    if (key instanceof Integer i) {
      return "i" + i;
    }
    if (key instanceof Long l) {
      return "l" + l;
    }
    return "o" + Base64.getUrlEncoder().withoutPadding().encodeToString(objects.encode(key));
  }

  Object decode(String stored) {
    if (stored.isEmpty()) {
      throw new CacheException("empty key in a JCache cache: written by something else?");
    }
    String rest = stored.substring(1);
    try {
      switch (stored.charAt(0)) {
        case 's':
          return rest;
        case 'i':
          return Integer.valueOf(rest);
        case 'l':
          return Long.valueOf(rest);
        case 'o':
          return objects.decode(Base64.getUrlDecoder().decode(rest));
        default:
          break;
      }
    } catch (IllegalArgumentException e) {
      throw new CacheException(String.format("key '%s' is not in the JCache key form", stored), e);
    }
    throw new CacheException(String.format(
        "key '%s' starts with '%c', not one of s i l o: written by something else?", stored,
        stored.charAt(0)));
  }
}
