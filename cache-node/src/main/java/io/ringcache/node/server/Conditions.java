package io.ringcache.node.server;

import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.SetMode;
import io.vertx.core.buffer.Buffer;

/**
 * HTTP conditional requests (RFC 9110 section 13) mapped onto the cache's own operations. An
 * entry's version is its entity tag, {@code "<version>"}. On PUT, {@code If-None-Match: *} is
 * put-if-absent, {@code If-Match: *} put-if-present and {@code If-Match: "<version>"}
 * compare-and-set; each is one atomic request on the owner, never a read followed by a write. On
 * GET and HEAD, {@code If-None-Match} naming the current tag (or {@code *}) answers 304.
 */
final class Conditions {

  private Conditions() {}

  /** The entity tag of {@code version}: the decimal version in double quotes. */
  static String etag(long version) {
    return "\"" + version + "\"";
  }

  /**
   * The request a PUT stands for.
   *
   * @throws IllegalArgumentException for a malformed or contradictory condition
   */
  static Request put(Key key, Buffer value, long ttl, String mode, String ifMatch,
      String ifNoneMatch) {
    if (ifMatch != null && ifNoneMatch != null) {
      throw new IllegalArgumentException("send If-Match or If-None-Match, not both");
    }
    if ((ifMatch != null || ifNoneMatch != null) && mode != null && !mode.isEmpty()) {
      throw new IllegalArgumentException(
          "mode= and a conditional header together are ambiguous; use one");
    }
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.strip().equals("*")) {
        throw new IllegalArgumentException(
            "If-None-Match on PUT must be * (store only if absent), was '" + ifNoneMatch + "'");
      }
      return new Request.Set(key, value, ttl, SetMode.IF_ABSENT);
    }
    if (ifMatch != null) {
      String tag = ifMatch.strip();
      if (tag.equals("*")) {
        return new Request.Set(key, value, ttl, SetMode.IF_PRESENT);
      }
      return new Request.Cas(key, version(tag, "If-Match"), value, ttl);
    }
    return new Request.Set(key, value, ttl, mode(mode));
  }

  /** Whether an {@code If-None-Match} header names {@code etag} (or is {@code *}). */
  static boolean noneMatch(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      // Weak comparison (RFC 9110 section 8.8.3.2) is the rule for If-None-Match.
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** The version an entity tag names: {@code "123"}, or a bare {@code 123} as scripts send it. */
  static long version(String tag, String header) {
    String digits = tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
        ? tag.substring(1, tag.length() - 1) : tag;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(header + " must be * or one entity tag such as \"123\""
          + " (an entry's version, as its ETag gives it), was '" + tag + "'");
    }
    return parseLong(digits);
  }

  static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number, was '" + s + "'");
    }
  }

  private static SetMode mode(String mode) {
    if (mode == null || mode.isEmpty() || mode.equals("always")) {
      return SetMode.ALWAYS;
    }
    return switch (mode) {
      case "if-absent" -> SetMode.IF_ABSENT;
      case "if-present" -> SetMode.IF_PRESENT;
      default -> throw new IllegalArgumentException(
          "mode must be always, if-absent or if-present, was '" + mode + "'");
    };
  }
}
