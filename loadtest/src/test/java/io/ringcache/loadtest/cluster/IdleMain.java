package io.ringcache.loadtest.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The smallest JVM a launcher test can start: {@code exit N} prints a line and exits with N at
 * once; with no arguments it listens on a free loopback port, prints {@code listening on <port>}
 * and then blocks until its standard input ends (the launcher never closes it, so only a signal
 * or the launcher's JVM ending stops it).
 */
final class IdleMain {

  static final String LISTENING = "listening on ";

  private IdleMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("exit")) {
      System.out.println("exiting with " + args[1]);
      System.exit(Integer.parseInt(args[1]));
    }
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      System.out.println(LISTENING + socket.getLocalPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Nothing is ever written; the loop ends when the pipe closes.
      }
    }
  }
}
