package io.ringcache.node.snapshot;

/**
 * A snapshot file that cannot be used: corrupt, truncated, of another format, or unreadable. The
 * message names the file, where in it the problem is and, for a bound, the limit; nothing of such
 * a file is ever put into a store.
 */
public final class SnapshotException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
