package io.ringcache.node.server;

/**
 * How large to make the buffer that gathers one event-loop turn's answers on a connection, from
 * what the previous turn wrote: the next power of two above its length, within bounds. A
 * pipeline of SET answers needs a few dozen bytes and one of GET answers kilobytes; a fixed size
 * either wastes memory per turn or regrows (and copies) the buffer several times in it.
 */
public final class AnswerBuffers {

  /** The smallest buffer handed out. */
  public static final int MIN_BYTES = 256;
  /** The first turn's size, before anything is known about the connection. */
  public static final int FIRST_BYTES = 4096;

  private AnswerBuffers() {}

  /**
   * The next turn's capacity after a turn that wrote {@code lastLength} bytes; {@code maxBytes}
   * (at most 2^30) caps it.
   */
  public static int next(int lastLength, int maxBytes) {
    int high = Integer.highestOneBit(Math.min(Math.max(1, lastLength), maxBytes));
    int above = high >= maxBytes ? maxBytes : high << 1;
    return Math.min(maxBytes, Math.max(MIN_BYTES, above));
  }
}
