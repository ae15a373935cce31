package io.ringcache.protocol;

/**
 * Bits of the header's flags byte. Undefined bits must be sent as zero and are ignored on receipt,
 * so later versions can add flags that older peers skip.
 */
public final class Flags {

  /** The frame is an answer. */
  public static final int RESPONSE = 1;
  /**
   * Sent by a node on behalf of a client. The receiver serves it locally or answers
   * {@link Status#NOT_OWNER}; it never forwards it again, so a topology disagreement cannot loop.
   */
  public static final int FORWARDED = 1 << 1;
  /** A read that any replica may answer, not only the primary. */
  public static final int ANY_OWNER = 1 << 2;

  private Flags() {}

  public static boolean isSet(int flags, int flag) {
    return (flags & flag) != 0;
  }
}
