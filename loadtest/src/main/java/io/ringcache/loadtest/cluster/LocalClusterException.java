package io.ringcache.loadtest.cluster;

/**
 * A {@link LocalCluster} operation did not finish as asked: a node did not start, exit or agree on
 * a topology within its bound. The message names the node, the bound and the log to read.
 */
public final class LocalClusterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LocalClusterException(String message) {
    super(message);
  }

  public LocalClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
