package io.ringcache.client;

import io.ringcache.protocol.Status;
import java.util.Objects;

/**
 * Why a cache call failed. Every call of the client completes with a value or with one of these
 * (wrapped in a {@link java.util.concurrent.CompletionException} by {@code CompletableFuture}
 * joins, thrown as is by {@link BlockingCache}).
 *
 * <table>
 *   <caption>Subtypes</caption>
 *   <tr><th>type</th><th>meaning</th><th>retry?</th></tr>
 *   <tr><td>{@link CacheTimeoutException}</td><td>no answer in time; a write may or may not
 *       have applied</td><td>idempotent calls, yes</td></tr>
 *   <tr><td>{@link CacheUnavailableException}</td><td>no node or not enough owners reachable,
 *       or the node sheds load</td><td>later</td></tr>
 *   <tr><td>{@link CacheClosedException}</td><td>the client was closed</td><td>no</td></tr>
 *   <tr><td>{@link CacheRejectedException}</td><td>the request itself was refused (size, auth,
 *       malformed, ...)</td><td>no</td></tr>
 *   <tr><td>{@link VersionMismatchException}</td><td>compare-and-set lost</td><td>re-read</td></tr>
 * </table>
 *
 * <p>{@link #status()} is the client's stable {@link FailureStatus} for the failure (not the wire
 * protocol's status, which the client keeps to itself); the client has already retried what its
 * retry policy allows. These are expected, possibly high-volume failures raised
 * on I/O threads, so they carry no stack trace.
 */
public class CacheException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Status protocolStatus;
  private final FailureStatus status;

  CacheException(Status protocolStatus, String message, Throwable cause) {
    super(message, cause, true, false);
    this.protocolStatus = Objects.requireNonNull(protocolStatus, "protocolStatus");
    this.status = FailureStatus.of(protocolStatus);
  }

  /** Why the call failed, in the client's stable vocabulary ({@code docs/client.md}). */
  public FailureStatus status() {
    return status;
  }

  /** The node's (or the client's own) answer behind the failure, for the retry decisions. */
  Status protocolStatus() {
    return protocolStatus;
  }
}
