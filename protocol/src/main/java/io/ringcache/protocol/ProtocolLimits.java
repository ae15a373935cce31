package io.ringcache.protocol;

/**
 * Size limits enforced on both sides of a connection: the encoder refuses to build a frame the
 * peer would reject, and the decoder rejects a frame before it allocates for it.
 *
 * <p>{@code maxFrameBytes} bounds a whole frame, the 4-byte length prefix included. It must leave
 * room for one SET, CAS or REPLICATE of a maximal key and value, so that every value the limits
 * accept can be sent.
 *
 * @param maxKeyBytes largest key in UTF-8 bytes, 1..65535 (keys are u16-length-prefixed)
 * @param maxValueBytes largest value in bytes
 * @param maxFrameBytes largest frame in bytes, length prefix included
 * @param maxBatchEntries most keys in a MULTI_GET or entries in a MULTI_SET
 */
public record ProtocolLimits(
    int maxKeyBytes, int maxValueBytes, int maxFrameBytes, int maxBatchEntries) {

  public static final int DEFAULT_MAX_KEY_BYTES = 1024;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_BATCH_ENTRIES = 1024;
  /** Room beyond one maximal key and value that the default frame limit leaves for batches. */
  public static final int DEFAULT_FRAME_SLACK = 64 * 1024;

  /** Header plus the fixed fields of the largest single-entry request (REPLICATE: 23 bytes). */
  static final int SINGLE_ENTRY_OVERHEAD = Frame.HEADER_BYTES + 32;

  private static final ProtocolLimits DEFAULTS =
      of(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);

  public ProtocolLimits {
    if (maxKeyBytes < 1 || maxKeyBytes > 0xFFFF) {
      throw new IllegalArgumentException(
          String.format("maxKeyBytes is %d, must be within 1..65535", maxKeyBytes));
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException(
          String.format("maxValueBytes is %d, must not be negative", maxValueBytes));
    }
    long least = (long) maxKeyBytes + maxValueBytes + SINGLE_ENTRY_OVERHEAD;
    if (maxFrameBytes < least) {
      throw new IllegalArgumentException(String.format(
          "maxFrameBytes is %d, must be at least %d (maxKeyBytes + maxValueBytes + %d) so that"
              + " one maximal SET fits", maxFrameBytes, least, SINGLE_ENTRY_OVERHEAD));
    }
    if (maxBatchEntries < 1) {
      throw new IllegalArgumentException(
          String.format("maxBatchEntries is %d, must be at least 1", maxBatchEntries));
    }
  }

  /** Key 1 KiB, value 1 MiB, frame = value + key + 64 KiB, 1024 batch entries. */
  public static ProtocolLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Limits for the given key and value sizes, with the frame limit derived as
   * {@code maxValueBytes + maxKeyBytes + 64 KiB} and the default batch limit.
   */
  public static ProtocolLimits of(int maxKeyBytes, int maxValueBytes) {
    long frame = (long) maxValueBytes + maxKeyBytes + DEFAULT_FRAME_SLACK;
    if (frame > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(String.format(
          "maxValueBytes is %d, limit is %d so that the frame size fits an int32", maxValueBytes,
          Integer.MAX_VALUE - maxKeyBytes - DEFAULT_FRAME_SLACK));
    }
    return new ProtocolLimits(maxKeyBytes, maxValueBytes, (int) frame, DEFAULT_MAX_BATCH_ENTRIES);
  }

  public ProtocolLimits withMaxBatchEntries(int entries) {
    return new ProtocolLimits(maxKeyBytes, maxValueBytes, maxFrameBytes, entries);
  }

  public ProtocolLimits withMaxFrameBytes(int bytes) {
    return new ProtocolLimits(maxKeyBytes, maxValueBytes, bytes, maxBatchEntries);
  }
}
