package io.ringcache.node.server;

/**
 * How long the node waits on a binary-protocol connection before it gives up on it.
 *
 * @param idleTimeoutMillis a connection that sends nothing this long is closed; 0 = never
 * @param helloTimeoutMillis with auth on, how long a new connection may take to authenticate
 */
public record ConnectionSettings(long idleTimeoutMillis, long helloTimeoutMillis) {

  /** Five minutes of silence closes a connection; ten seconds to authenticate. */
  public static final ConnectionSettings DEFAULTS = new ConnectionSettings(300_000, 10_000);

  public ConnectionSettings {
    if (idleTimeoutMillis < 0) {
      throw new IllegalArgumentException("idleTimeoutMillis must be >= 0: " + idleTimeoutMillis);
    }
    if (helloTimeoutMillis <= 0) {
      throw new IllegalArgumentException("helloTimeoutMillis must be > 0: " + helloTimeoutMillis);
    }
  }
}
