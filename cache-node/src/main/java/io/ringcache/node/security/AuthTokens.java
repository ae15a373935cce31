package io.ringcache.node.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * The tokens a node accepts, in HELLO and as an HTTP bearer: the primary, which the node also
 * presents to its peers, and an optional secondary that is only accepted, so a cluster can
 * rotate its token without downtime (see {@code docs/security.md}).
 *
 * <p>Comparison is constant-time: both sides are hashed with SHA-256 and the digests compared
 * with {@link MessageDigest#isEqual}, so neither the content nor the length of a token shows in
 * the time an answer takes. Both tokens are checked on every attempt, so the time does not tell
 * which one matched either.
 */
public final class AuthTokens {

  /** Authentication off: every connection is accepted without a token. */
  public static final AuthTokens NONE = new AuthTokens("", "");

  private static final String BEARER = "bearer ";

  private final String primary;
  private final byte[] primaryDigest;
  private final byte[] secondaryDigest;

  /**
   * @param primary the token peers present and clients use; {@code ""} = authentication off
   * @param secondary a second accepted token, {@code ""} = none; needs a primary
   * @throws IllegalArgumentException if a secondary is given without a primary
   */
  public AuthTokens(String primary, String secondary) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(secondary, "secondary");
    if (primary.isEmpty() && !secondary.isEmpty()) {
      throw new IllegalArgumentException(
          "a secondary auth token needs a primary one: the secondary is only accepted, the"
              + " primary is what this node presents to its peers");
    }
    this.primary = primary;
    this.primaryDigest = primary.isEmpty() ? null : sha256(primary);
    this.secondaryDigest = secondary.isEmpty() ? null : sha256(secondary);
  }

  /** Whether connections must present a token. */
  public boolean required() {
    return primaryDigest != null;
  }

  /** The token this node presents to its peers ({@code ""} when auth is off). */
  public String presented() {
    return primary;
  }

  /** Whether {@code token} is the primary or the secondary token; in constant time. */
  public boolean accepts(String token) {
    if (token == null || primaryDigest == null) {
      return false;
    }
    byte[] digest = sha256(token);
    boolean primaryMatch = MessageDigest.isEqual(digest, primaryDigest);
    boolean secondaryMatch =
        secondaryDigest != null && MessageDigest.isEqual(digest, secondaryDigest);
    return primaryMatch | secondaryMatch;
  }

  /** Whether an HTTP {@code Authorization} header carries an accepted bearer token. */
  public boolean acceptsBearer(String authorization) {
    if (authorization == null || authorization.length() < BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    return accepts(authorization.substring(BEARER.length()).strip());
  }

  @Override
  public String toString() {
    return required()
        ? "AuthTokens[<redacted>" + (secondaryDigest == null ? "" : ", secondary <redacted>") + "]"
        : "AuthTokens[off]";
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
