package io.ringcache.loadtest.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hands out member ports that were free on 127.0.0.1 a moment ago, from {@value #FIRST}..{@value
 * #LAST}: below Linux's ephemeral range (so no outgoing connection takes one between the check
 * and the bind) and apart from the 20000..32000 that {@code LocalCluster} uses, so the two
 * launchers never hand out the same port in one JVM. Members bind with port auto-increment off, so
 * one port per member is enough.
 */
final class PeerPorts {

  static final int FIRST = 12_000;
  static final int LAST = 19_999;
  private static final int ATTEMPTS = 2_000;

  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static final SplittableRandom SEEDS = new SplittableRandom();

  private PeerPorts() {}

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
