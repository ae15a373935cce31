package io.ringcache.loadtest.run;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Write ids in values: while a run is observed, each value written starts with its write's id as
 * eight big-endian bytes (values shorter than eight bytes are lengthened to eight), so a read tells
 * which write produced what it returned.
 */
public final class WriteStamp {

  /** Bytes a stamp takes at the start of a value. */
  public static final int BYTES = Long.BYTES;

  /** What {@link #of} returns for a value too short to carry an id. */
  public static final long UNSTAMPED = Long.MAX_VALUE;

  private final AtomicLong next = new AtomicLong();

  /** The next id of this run: 1, 2, ... */
  public long next() {
    return next.incrementAndGet();
  }

  /** {@code value} with {@code id} in its first eight bytes, lengthened to eight if shorter. */
  public static byte[] stamp(byte[] value, long id) {
    byte[] out = value.length >= BYTES ? value : new byte[BYTES];
    for (int i = 0; i < BYTES; i++) {
      out[i] = (byte) (id >>> (56 - 8 * i));
    }
    return out;
  }

  /**
   * The id in {@code value}'s first eight bytes, or {@link #UNSTAMPED} when it is shorter or the
   * bytes are not a positive id.
   */
  public static long of(byte[] value) {
    if (value.length < BYTES) {
      return UNSTAMPED;
    }
    long id = 0;
    for (int i = 0; i < BYTES; i++) {
      id = (id << 8) | (value[i] & 0xFF);
    }
    return id > 0 ? id : UNSTAMPED;
  }
}
