package io.ringcache.loadtest.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hands out TCP ports that were free on 127.0.0.1 a moment ago.
 *
 * <p>Ports come from {@value #FIRST}..{@value #LAST}, below Linux's ephemeral range (32768 and up),
 * so an outgoing connection of some other process cannot take a port between the check and the
 * node's bind; the usual "bind port 0" trick would return an ephemeral port. Every port handed out
 * is remembered for the life of the JVM, so two launchers in one JVM (tests running in parallel)
 * never get the same port. A node's cluster port must also leave room for Hazelcast's
 * auto-increment (it tries up to 100 ports upwards), which this range does.
 */
final class PortAllocator {

  static final int FIRST = 20_000;
  static final int LAST = 32_000;
  private static final int ATTEMPTS = 2_000;

  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static final SplittableRandom SEEDS = new SplittableRandom();

  private PortAllocator() {}

  /** A port in {@value #FIRST}..{@value #LAST} that is bindable now and not handed out before. */
  static synchronized int next() {
    SplittableRandom random = SEEDS.split();
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = random.nextInt(FIRST, LAST + 1);
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException(String.format(
        "no free port on 127.0.0.1 in %d..%d after %d attempts (%d handed out already)",
        FIRST, LAST, ATTEMPTS, HANDED_OUT.size()));
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
