package io.ringcache.protocol;

import java.util.Objects;

/**
 * Where a cluster node listens, and its lifecycle state.
 *
 * @param name the node's stable name, as on the ring
 * @param host host name or IP literal clients connect to
 * @param clientPort binary-protocol port, 1..65535
 * @param httpPort HTTP API port, 1..65535, or 0 when disabled
 * @param state lifecycle state
 * @param incarnation which process this is (its cluster member id): a node restarted under the
 *     same name is a new incarnation with an empty store, never the old owner; "" when unknown
 */
public record NodeAddress(String name, String host, int clientPort, int httpPort, State state,
    String incarnation) {

  /** Lifecycle states. The numeric codes are part of the wire contract. */
  public enum State {
    /** Receiving its ranges; owns nothing for reads yet. */
    JOINING(0),
    UP(1),
    /** Handing its ranges over; still a source, no longer a target. */
    LEAVING(2),
    /**
     * Gone without handing over (crashed or partitioned away). It stays on the rings until the
     * rebalance that replaces it ends, so the plan can tell which new owners lack its data, but
     * nobody routes to it: {@link Topology#readReplicas} and {@link Topology#writeReplicas} skip
     * it.
     */
    DOWN(3);

    private final int code;

    State(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The state for {@code code}, or {@code null} when not assigned. */
    public static State fromCode(int code) {
      for (State s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      return null;
    }
  }

  /** An address whose incarnation is not tracked (tests, tools). */
  public NodeAddress(String name, String host, int clientPort, int httpPort, State state) {
    this(name, host, clientPort, httpPort, state, "");
  }

  public NodeAddress {
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    if (name.isBlank()) {
      throw new IllegalArgumentException("node name must not be blank");
    }
    if (clientPort < 1 || clientPort > 0xFFFF) {
      throw new IllegalArgumentException(String.format(
          "clientPort of node '%s' is %d, must be within 1..65535", name, clientPort));
    }
    if (httpPort < 0 || httpPort > 0xFFFF) {
      throw new IllegalArgumentException(
          String.format("httpPort of node '%s' is %d, must be within 0..65535", name, httpPort));
    }
  }
}
