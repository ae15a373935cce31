package io.ringcache.protocol;

/**
 * A frame or message that breaks the protocol, with the {@link Status} to answer it with.
 *
 * <p>{@linkplain #isFatal() Fatal} failures lose the frame boundary (a length below the header
 * size or above {@code maxFrameBytes}, or a stream that ends inside a frame): the connection must
 * be closed after the error answer. Other failures concern one well-delimited frame; the
 * connection can keep serving the requests behind it.
 *
 * <p>These are expected, possibly high-volume failures caused by peers, so they carry no stack
 * trace.
 */
public final class ProtocolException extends RuntimeException {

  /** The value of {@link #requestId()} when the header could not be read. */
  public static final int NO_REQUEST_ID = -1;

  private static final long serialVersionUID = 1L;

  private final Status status;
  private final boolean fatal;
  private final boolean hasRequestId;
  private final int requestId;
  private final int opcodeCode;

  ProtocolException(Status status, String message, boolean fatal, boolean hasRequestId,
      int requestId, int opcodeCode) {
    super(message, null, false, false);
    this.status = status;
    this.fatal = fatal;
    this.hasRequestId = hasRequestId;
    this.requestId = hasRequestId ? requestId : NO_REQUEST_ID;
    this.opcodeCode = opcodeCode;
  }

  static ProtocolException of(Status status, String message) {
    return new ProtocolException(status, message, false, false, NO_REQUEST_ID, 0);
  }

  /** The status to answer with; never {@link Status#OK}. */
  public Status status() {
    return status;
  }

  /** True when the connection must be closed after answering. */
  public boolean isFatal() {
    return fatal;
  }

  /** True when the frame header was readable, so the answer can be addressed. */
  public boolean hasRequestId() {
    return hasRequestId;
  }

  /** The offending frame's request id, or {@link #NO_REQUEST_ID}. */
  public int requestId() {
    return requestId;
  }

  /** The offending frame's opcode byte (echo it in the answer), or 0 when unknown. */
  public int opcodeCode() {
    return opcodeCode;
  }
}
