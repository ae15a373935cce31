package io.ringcache.loadtest.peer;

/** A member did not start, join, or exit within its bound; the message names the log to read. */
public final class HazelcastClusterException extends RuntimeException {

  public HazelcastClusterException(String message) {
    super(message);
  }

  public HazelcastClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
