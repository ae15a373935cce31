package io.ringcache.node.resp;

import io.ringcache.protocol.ProtocolLimits;

/**
 * Bounds on what one RESP command may make the parser hold.
 *
 * @param maxArgs most arguments in a multibulk command, its name included
 * @param maxBulkBytes longest bulk string; a longer declared length is refused before any of it
 *     is buffered
 * @param maxCommandBytes most bytes of bulk strings in one command, all arguments together
 * @param maxInlineBytes longest inline command line
 * @param source what sets these limits, named in protocol errors
 */
record RespLimits(int maxArgs, int maxBulkBytes, long maxCommandBytes, int maxInlineBytes,
    String source) {

  /** Redis's own bounds for a connection that has not authenticated yet. */
  static final RespLimits UNAUTHENTICATED = new RespLimits(10, 16 * 1024, 64 * 1024, 16 * 1024,
      "before AUTH");
  /** Redis's inline bound (PROTO_INLINE_MAX_SIZE). */
  static final int INLINE_MAX_BYTES = 64 * 1024;

  RespLimits {
    if (maxArgs < 1 || maxBulkBytes < 0 || maxCommandBytes < maxBulkBytes || maxInlineBytes < 1) {
      throw new IllegalArgumentException(String.format(
          "limits must be positive and maxCommandBytes >= maxBulkBytes: args %d, bulk %d,"
              + " command %d, inline %d", maxArgs, maxBulkBytes, maxCommandBytes, maxInlineBytes));
    }
  }

  /**
   * Limits derived from the binary protocol's: a bulk string up to the larger of the key and
   * value limits, a command up to a frame, and enough arguments for an MSET of a full batch.
   */
  static RespLimits of(ProtocolLimits limits) {
    return new RespLimits(2 * limits.maxBatchEntries() + 2,
        Math.max(limits.maxKeyBytes(), limits.maxValueBytes()), limits.maxFrameBytes(),
        INLINE_MAX_BYTES, limits.maxValueBytes() >= limits.maxKeyBytes() ? "maxValueBytes"
            : "maxKeyBytes");
  }
}
