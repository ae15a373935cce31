package io.ringcache.node.resp;

/**
 * Redis's glob patterns (MATCH, KEYS): {@code *} any run, {@code ?} one character, {@code [abc]},
 * {@code [a-z]}, {@code [^a]} classes, and {@code \} to take the next character literally.
 * Matching is on characters, with backtracking only over the last {@code *}, so a pattern costs
 * at most the product of the two lengths.
 */
final class Glob {

  private Glob() {}

  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int starP = -1;
    int starT = -1;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        starP = p++;
        starT = t;
        continue;
      }
      int consumed = p < pattern.length() ? one(pattern, p, text.charAt(t)) : -1;
      if (consumed > 0) {
        p += consumed;
        t++;
      } else if (starP >= 0) {
        p = starP + 1;
        t = ++starT;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** Pattern characters one element at {@code p} spans if it matches {@code c}, else -1. */
  private static int one(String pattern, int p, char c) {
    char pc = pattern.charAt(p);
    if (pc == '?') {
      return 1;
    }
    if (pc == '\\' && p + 1 < pattern.length()) {
      return pattern.charAt(p + 1) == c ? 2 : -1;
    }
    if (pc != '[') {
      return pc == c ? 1 : -1;
    }
    int i = p + 1;
    boolean negate = i < pattern.length() && pattern.charAt(i) == '^';
    if (negate) {
      i++;
    }
    boolean hit = false;
    while (i < pattern.length() && pattern.charAt(i) != ']') {
      char lo = pattern.charAt(i);
      if (lo == '\\' && i + 1 < pattern.length()) {
        lo = pattern.charAt(++i);
      }
      if (i + 2 < pattern.length() && pattern.charAt(i + 1) == '-'
          && pattern.charAt(i + 2) != ']') {
        char hi = pattern.charAt(i + 2);
        if (Math.min(lo, hi) <= c && c <= Math.max(lo, hi)) {
          hit = true;
        }
        i += 3;
      } else {
        hit |= lo == c;
        i++;
      }
    }
    if (i >= pattern.length()) {
      // No closing bracket: Redis then treats the class as running to the end.
      return hit != negate ? pattern.length() - p : -1;
    }
    return hit != negate ? i + 1 - p : -1;
  }
}
