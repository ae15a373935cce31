package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.Request;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The connections to one node and whether it recently failed: {@code connectionsPerNode}
 * pipelined {@link Connection}s, used round-robin. A dead connection is replaced on the next send
 * that picks its slot, so a node that comes back is reconnected without a separate health check.
 *
 * <p>One channel per address for the client's lifetime; the installed topology refers to the
 * channels of its members directly, so a call reaches its connection without a map lookup.
 */
final class NodeChannel {

  /**
   * One connection as a channel uses it: a {@link Connection}, or a scripted stand-in in unit
   * tests of routing and retries (see {@link Router.Io}).
   */
  interface Link {
    /** Queues one request; the outcome goes to {@code reply}. Never throws. */
    void send(Request request, int flags, long epoch, Reply reply);

    boolean isFailed();

    /** Closes the link and fails everything pending with {@code error}. Idempotent. */
    void fail(CacheException error);
  }

  private final HostPort address;
  /** Read without a lock on the hot path; replaced under the channel's lock. */
  private final AtomicReferenceArray<Link> slots;
  private final Supplier<? extends Link> factory;
  /** {@link System#nanoTime}, or a test's clock. */
  private final LongSupplier nanoClock;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;
  /** Whether a connection failed less than {@code downUntil} ago. */
  private volatile boolean down;
  private volatile long downUntil;

  NodeChannel(HostPort address, int connections, Supplier<? extends Link> factory,
      LongSupplier nanoClock) {
    this.address = address;
    this.slots = new AtomicReferenceArray<>(connections);
    this.factory = factory;
    this.nanoClock = nanoClock;
  }

  HostPort address() {
    return address;
  }

  /** Marks the node as recently failed until {@code untilNanos} (on the channel's clock). */
  void markDown(long untilNanos) {
    downUntil = untilNanos;
    down = true;
  }

  /** Whether the node failed recently (see {@link Router#DOWN_MILLIS}). */
  boolean isDown() {
    if (!down) {
      return false;
    }
    if (nanoClock.getAsLong() - downUntil < 0) {
      return true;
    }
    down = false;
    return false;
  }

  void send(Request request, int flags, long epoch, Reply reply) {
    int n = slots.length();
    int i = n == 1 ? 0 : Math.floorMod(next.getAndIncrement(), n);
    Link c = slots.get(i);
    if (c == null || c.isFailed() || closed) {
      c = replace(i);
    }
    if (c == null) {
      reply.failed(new CacheClosedException("the client is closed"), false);
      return;
    }
    c.send(request, flags, epoch, reply);
  }

  /**
   * {@link #send} on the channel's first connection always: for requests whose effect belongs to
   * the connection (a subscription's events come back on the connection that subscribed, and only
   * that connection can cancel it).
   */
  void sendOnFirst(Request request, int flags, long epoch, Reply reply) {
    Link c = slots.get(0);
    if (c == null || c.isFailed() || closed) {
      c = replace(0);
    }
    if (c == null) {
      reply.failed(new CacheClosedException("the client is closed"), false);
      return;
    }
    c.send(request, flags, epoch, reply);
  }

  private synchronized Link replace(int i) {
    if (closed) {
      return null;
    }
    Link c = slots.get(i);
    if (c == null || c.isFailed()) {
      c = factory.get();
      slots.set(i, c);
    }
    return c;
  }

  /** Fails every connection's pending requests with {@code error}; later sends fail too. */
  synchronized void close(CacheException error) {
    closed = true;
    for (int i = 0; i < slots.length(); i++) {
      Link c = slots.get(i);
      if (c != null) {
        c.fail(error);
      }
    }
  }
}
