package io.ringcache.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One complete frame as read off the wire: the fixed header fields, raw, and the body.
 *
 * <pre>
 *   int32 length     bytes after this field (header rest + body), at least 16
 *   uint8 opcode     {@link Opcode}
 *   uint8 flags      {@link Flags}
 *   uint8 status     {@link Status}; 0 in requests
 *   uint8 reserved   0 when sent, ignored when read
 *   int32 requestId  chosen by the requester, echoed in the answer
 *   int64 epoch      request: sender's known topology epoch (0 = unknown); answer: node's epoch
 *   body             length - 16 bytes
 * </pre>
 *
 * <p>Opcode and status stay raw codes here so that a frame with an unknown code can still be
 * delivered and answered; {@link #opcode()} and {@link #status()} resolve them. The body is
 * usually a slice of the buffer the parser received, not a copy: see {@link FrameParser}.
 */
public final class Frame {

  /** Bytes of the fixed header, length prefix included. */
  public static final int HEADER_BYTES = 20;
  /** Smallest valid value of the length field: the header after the prefix, empty body. */
  public static final int MIN_LENGTH = HEADER_BYTES - 4;

  private final int opcodeCode;
  private final int flags;
  private final int statusCode;
  private final int requestId;
  private final long epoch;
  private final Buffer body;

  public Frame(int opcodeCode, int flags, int statusCode, int requestId, long epoch, Buffer body) {
    this.opcodeCode = opcodeCode;
    this.flags = flags;
    this.statusCode = statusCode;
    this.requestId = requestId;
    this.epoch = epoch;
    this.body = body;
  }

  public int opcodeCode() {
    return opcodeCode;
  }

  /** The opcode, or {@code null} when {@link #opcodeCode()} is not assigned. */
  public Opcode opcode() {
    return Opcode.fromCode(opcodeCode);
  }

  public int flags() {
    return flags;
  }

  public boolean isResponse() {
    return Flags.isSet(flags, Flags.RESPONSE);
  }

  public boolean isForwarded() {
    return Flags.isSet(flags, Flags.FORWARDED);
  }

  public boolean isAnyOwner() {
    return Flags.isSet(flags, Flags.ANY_OWNER);
  }

  public int statusCode() {
    return statusCode;
  }

  /** The status, or {@code null} when {@link #statusCode()} is not assigned. */
  public Status status() {
    return Status.fromCode(statusCode);
  }

  public int requestId() {
    return requestId;
  }

  public long epoch() {
    return epoch;
  }

  public Buffer body() {
    return body;
  }

  @Override
  public String toString() {
    Opcode op = opcode();
    return "Frame{op=" + (op == null ? "0x" + Integer.toHexString(opcodeCode) : op)
        + ", flags=" + flags + ", status=" + statusCode + ", id=" + requestId
        + ", epoch=" + epoch + ", body=" + body.length() + "B}";
  }
}
