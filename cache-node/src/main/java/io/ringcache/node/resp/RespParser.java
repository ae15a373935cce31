package io.ringcache.node.resp;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the bytes of one connection into commands (argument lists), as they arrive, however the
 * stream is split into buffers.
 *
 * <h2>Design</h2>
 * A state machine over the unconsumed bytes: a multibulk header ({@code *N}), then N bulk
 * headers ({@code $len}) each followed by its body; any other first byte starts an inline command
 * (a line split on blanks, with Redis's quoting), as typed into telnet. Arguments already parsed
 * are kept across buffers, so a command split anywhere is never parsed twice.
 *
 * <h2>Bounds</h2>
 * Every quantity a client declares is checked against {@link RespLimits} when it is declared: an
 * argument count, a bulk length or a command's total bulk bytes over its limit fails the parser
 * before one byte of the body is buffered; a header line or an inline line without its end
 * within its bound fails it too. So the parser holds at most one command's worth of bytes plus
 * the unparsed rest of the last buffer read.
 *
 * <h2>Failure</h2>
 * Malformed input fails the parser once ({@code onError}); it then drops everything it is given.
 * The connection answers and closes.
 *
 * <h2>Flow</h2>
 * {@link #pause()} stops delivering commands (they stay buffered) until {@link #resume()}, which
 * may be called from inside the command handler.
 */
final class RespParser implements Handler<Buffer> {

  /** Longest {@code *N} or {@code $len} line: a sign, 19 digits, CR LF, with room to spare. */
  static final int MAX_HEADER_LINE = 32;

  private final Consumer<List<byte[]>> onCommand;
  private final Consumer<RespProtocolException> onError;
  private RespLimits limits;
  private Buffer pending = Buffer.buffer();
  /** {@code pending}'s backing array, and where {@code pending} starts in it. */
  private byte[] data = new byte[0];
  private int base;
  private int pos;
  private List<byte[]> args;
  private int argsLeft;
  private int bulkLength = -1;
  private long commandBytes;
  private boolean paused;
  private boolean parsing;
  private boolean failed;

  RespParser(RespLimits limits, Consumer<List<byte[]>> onCommand,
      Consumer<RespProtocolException> onError) {
    this.limits = limits;
    this.onCommand = onCommand;
    this.onError = onError;
  }

  /**
   * Points {@link #data} and {@link #base} at {@link #pending}'s bytes, so the scanning loops
   * read the array directly instead of through {@code Buffer.getByte}'s bounds checks. Called
   * whenever {@code pending} changes.
   */
  private void view() {
    ByteBuf buf = ((BufferInternal) pending).unwrap();
    if (!buf.hasArray()) {
      pending = Buffer.buffer(pending.getBytes());
      buf = ((BufferInternal) pending).unwrap();
    }
    data = buf.array();
    base = buf.arrayOffset() + buf.readerIndex();
  }

  /** The byte at {@code index} of {@code pending}; the caller keeps the index in bounds. */
  private byte at(int index) {
    return data[base + index];
  }

  /** Limits for the commands not yet started (used when a connection authenticates). */
  void limits(RespLimits limits) {
    this.limits = limits;
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed) {
      return;
    }
    if (pos == pending.length()) {
      // The socket hands over a buffer of its own (Vert.x copies what Netty read): keep it.
      pending = chunk;
      pos = 0;
    } else {
      if (pos > 0) {
        pending = pending.getBuffer(pos, pending.length());
        pos = 0;
      }
      pending.appendBuffer(chunk);
    }
    view();
    parse();
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    if (!parsing) {
      parse();
    }
  }

  boolean failed() {
    return failed;
  }

  /** Bytes received and not yet delivered as a command. */
  int buffered() {
    return pending.length() - pos;
  }

  private void parse() {
    parsing = true;
    try {
      while (!paused && !failed && step()) {
        // each step consumes input or delivers a command
      }
    } catch (RespProtocolException e) {
      fail(e);
    } finally {
      parsing = false;
    }
    if (pos == pending.length() && pending.length() > 0) {
      pending = Buffer.buffer();
      pos = 0;
      view();
    }
  }

  private void fail(RespProtocolException e) {
    failed = true;
    pending = Buffer.buffer();
    pos = 0;
    view();
    args = null;
    onError.accept(e);
  }

  /** One parsing step; false when more input is needed. */
  private boolean step() {
    if (args == null) {
      return startCommand();
    }
    if (bulkLength < 0) {
      return bulkHeader();
    }
    return bulkBody();
  }

  private boolean startCommand() {
    if (pos >= pending.length()) {
      return false;
    }
    if (at(pos) != '*') {
      return inline();
    }
    int end = lineEnd(MAX_HEADER_LINE, "too big mbulk count string");
    if (end < 0) {
      return false;
    }
    long count = number(pos + 1, end, "invalid multibulk length");
    pos = next(end);
    if (count <= 0) {
      return true;
    }
    if (count > limits.maxArgs()) {
      throw new RespProtocolException(String.format(
          "invalid multibulk length: %d arguments, limit is %d (%s)", count, limits.maxArgs(),
          limits.source()));
    }
    args = new ArrayList<>((int) count);
    argsLeft = (int) count;
    commandBytes = 0;
    return true;
  }

  private boolean bulkHeader() {
    if (pos >= pending.length()) {
      return false;
    }
    byte first = at(pos);
    if (first != '$') {
      throw new RespProtocolException(String.format("expected '$', got '%s'", printable(first)));
    }
    int end = lineEnd(MAX_HEADER_LINE, "too big bulk count string");
    if (end < 0) {
      return false;
    }
    long length = number(pos + 1, end, "invalid bulk length");
    if (length < 0) {
      throw new RespProtocolException("invalid bulk length");
    }
    if (length > limits.maxBulkBytes()) {
      throw new RespProtocolException(String.format(
          "invalid bulk length: %d bytes, limit is %d (%s)", length, limits.maxBulkBytes(),
          limits.source()));
    }
    if (commandBytes + length > limits.maxCommandBytes()) {
      throw new RespProtocolException(String.format(
          "command exceeds %d bytes of arguments (%s)", limits.maxCommandBytes(),
          limits.source()));
    }
    commandBytes += length;
    bulkLength = (int) length;
    pos = next(end);
    return true;
  }

  private boolean bulkBody() {
    if (pending.length() - pos < bulkLength + 2L) {
      return false;
    }
    int end = pos + bulkLength;
    if (at(end) != '\r' || at(end + 1) != '\n') {
      throw new RespProtocolException("bulk string not terminated by CRLF");
    }
    args.add(Arrays.copyOfRange(data, base + pos, base + pos + bulkLength));
    pos += bulkLength + 2;
    bulkLength = -1;
    if (--argsLeft == 0) {
      List<byte[]> command = args;
      args = null;
      onCommand.accept(command);
    }
    return true;
  }

  private boolean inline() {
    int end = lineEnd(limits.maxInlineBytes(), "too big inline request");
    if (end < 0) {
      return false;
    }
    int stop = end > pos && at(end - 1) == '\r' ? end - 1 : end;
    byte[] line = Arrays.copyOfRange(data, base + pos, base + stop);
    pos = next(end);
    List<byte[]> command = InlineSplitter.split(line);
    if (command.size() > limits.maxArgs()) {
      throw new RespProtocolException(String.format(
          "invalid inline request: %d arguments, limit is %d (%s)", command.size(),
          limits.maxArgs(), limits.source()));
    }
    if (!command.isEmpty()) {
      onCommand.accept(command);
    }
    return true;
  }

  /**
   * Index of the LF ending the line at {@link #pos}, or -1 when it has not arrived yet; fails
   * when {@code max} bytes arrived without one.
   */
  private int lineEnd(int max, String tooLong) {
    int limit = (int) Math.min(pending.length(), (long) pos + max);
    for (int i = pos; i < limit; i++) {
      if (at(i) == '\n') {
        return i;
      }
    }
    if (pending.length() - pos >= max) {
      throw new RespProtocolException(tooLong);
    }
    return -1;
  }

  private int next(int lf) {
    return lf + 1;
  }

  /** The decimal integer in {@code [from, lf)}, a trailing CR excluded. */
  private long number(int from, int lf, String what) {
    int to = lf > from && at(lf - 1) == '\r' ? lf - 1 : lf;
    if (to == from || to - from > 20) {
      throw new RespProtocolException(what);
    }
    boolean negative = at(from) == '-';
    int i = negative ? from + 1 : from;
    if (i == to) {
      throw new RespProtocolException(what);
    }
    long value = 0;
    for (; i < to; i++) {
      byte b = at(i);
      if (b < '0' || b > '9' || value > (Long.MAX_VALUE - 9) / 10) {
        throw new RespProtocolException(what);
      }
      value = value * 10 + (b - '0');
    }
    return negative ? -value : value;
  }

  private static String printable(byte b) {
    return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
  }
}
