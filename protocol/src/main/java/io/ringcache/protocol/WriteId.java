package io.ringcache.protocol;

/**
 * Names one write call of one client, the same on every attempt of that call, so that the node
 * coordinating the key can tell a retry from a new write and answer it with the first attempt's
 * outcome instead of applying it again (an increment counted twice, a put-if-absent that reports
 * its own earlier success as a conflict).
 *
 * <p>{@code client} is chosen at random when a client starts (64 bits, so two clients collide with
 * probability about n²/2⁶⁵); {@code sequence} counts that client's write calls. {@link #NONE} (both
 * zero) means "no id": the write is applied on every attempt, as before write ids existed. On the
 * wire it is an optional trailing field of SET, CAS, DELETE and INCREMENT: two i64, present only
 * when the id is not {@code NONE}.
 */
public record WriteId(long client, long sequence) {

  /** No id: the write is not deduplicated. */
  public static final WriteId NONE = new WriteId(0, 0);

  /** Encoded size. */
  public static final int BYTES = 16;

  /** Whether this is {@link #NONE}. */
  public boolean isNone() {
    return client == 0 && sequence == 0;
  }

  @Override
  public String toString() {
    return isNone() ? "WriteId[none]"
        : String.format("WriteId[%016x:%d]", client, sequence);
  }
}
