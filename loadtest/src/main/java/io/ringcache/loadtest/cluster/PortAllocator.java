package io.ringcache.loadtest.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hands out TCP ports that were free on 127.0.0.1 a moment ago, from a fixed range.
 *
 * <p>Ranges lie below Linux's ephemeral range (32768 and up), so an outgoing connection of some
 * other process cannot take a port between the check and the bind; the usual "bind port 0" trick
 * would return an ephemeral port. Every port handed out is remembered for the life of the JVM, so
 * two launchers in one JVM never get the same port. The two launchers use separate ranges: node
 * cluster ports need room for Hazelcast's auto-increment (up to 100 ports upwards), peer members
 * bind with auto-increment off.
 */
public final class PortAllocator {

  /** Ringcache nodes started by {@link LocalCluster}. */
  public static final PortAllocator NODES = new PortAllocator(20_000, 32_000);
  /** Peer members (Hazelcast) started by the peer launcher. */
  public static final PortAllocator PEERS = new PortAllocator(12_000, 19_999);

  private static final int ATTEMPTS = 2_000;
  private static final SplittableRandom SEEDS = new SplittableRandom();

  private final int first;
  private final int last;
  private final Set<Integer> handedOut = new HashSet<>();

  private PortAllocator(int first, int last) {
    this.first = first;
    this.last = last;
  }

  /** A port in this range that is bindable now and was not handed out before. */
  public synchronized int next() {
    SplittableRandom random;
    synchronized (SEEDS) {
      random = SEEDS.split();
    }
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = random.nextInt(first, last + 1);
      if (!handedOut.contains(port) && bindable(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new IllegalStateException(String.format(
        "no free port on 127.0.0.1 in %d..%d after %d attempts (%d handed out already)",
        first, last, ATTEMPTS, handedOut.size()));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
