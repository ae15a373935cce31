package io.ringcache.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Ports for in-JVM test nodes: bindable on 127.0.0.1 a moment ago, below Linux's ephemeral range
 * (32768 and up), never handed out twice in one JVM.
 *
 * <p>Why not "bind port 0": that returns an ephemeral port, and once the node on it is crashed,
 * peers keep reconnecting to it from ephemeral source ports. On loopback such a connect can pick
 * the destination port as its own source port and connect to itself (TCP simultaneous open).
 * Hazelcast then sees a crashed member's address answer with its own identity ("Connecting to
 * self!"), never declares that member dead, and a node that restarts meanwhile waits forever for
 * partitions the dead member still owns. Ports outside the ephemeral range cannot be a source port.
 */
public final class TestPorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final int ATTEMPTS = 2_000;
  private static final SplittableRandom RANDOM = new SplittableRandom();
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private TestPorts() {}

  /** A port in 20000..32000 that is bindable now and was not handed out before in this JVM. */
  public static synchronized int next() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = RANDOM.nextInt(FIRST, LAST + 1);
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
