package io.ringcache.node.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ceiling a range transfer is measured against: {@code --bytes} bytes copied once over a
 * loopback TCP connection from this JVM to a second JVM that it starts (same java, same class
 * path), which reads them and answers one byte when it has them all. No framing, no parsing, no
 * store: only the kernel's loopback and two JVMs' socket reads and writes, in 64 KiB writes.
 *
 * <p>Each run opens a new connection, then times the first write to the answer byte. The first
 * {@code --warmup} runs are dropped (JIT, TCP buffers growing); the rest print one line each and
 * the median. A benchmark, not a test: nothing is asserted.
 *
 * <pre>
 *   java -cp CP io.ringcache.node.bench.RawCopyBench --bytes 16600000 --runs 7 --warmup 2
 * </pre>
 */
public final class RawCopyBench {

  private static final int CHUNK = 64 * 1024;

  private RawCopyBench() {}

  public static void main(String[] args) throws Exception {
    long bytes = 16_600_000;
    int runs = 7;
    int warmup = 2;
    int sinkPort = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bytes" -> bytes = Long.parseLong(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--sink" -> sinkPort = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: RawCopyBench [--bytes N] [--runs N] [--warmup N]");
      }
    }
    if (sinkPort >= 0) {
      sink(sinkPort, bytes);
      return;
    }
    if (bytes < 1 || runs < 1 || warmup < 0) {
      throw new IllegalArgumentException(String.format(
          "--bytes is %d, --runs %d, --warmup %d: need bytes >= 1, runs >= 1, warmup >= 0",
          bytes, runs, warmup));
    }
    try (ServerSocketChannel probe = ServerSocketChannel.open()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
      probe.close();
      Process sink = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), RawCopyBench.class.getName(),
          "--sink", Integer.toString(port), "--bytes", Long.toString(bytes))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try {
        // The sink prints one line once it listens: no guessing how long a JVM takes to start.
        String ready = new BufferedReader(new InputStreamReader(sink.getInputStream(),
            StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(ready)) {
          throw new IllegalStateException("the sink JVM did not start: " + ready);
        }
        copyRuns(port, bytes, runs, warmup);
      } finally {
        sink.destroy();
      }
    }
  }

  private static void copyRuns(int port, long bytes, int runs, int warmup) throws Exception {
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
    List<Double> mbPerSecond = new ArrayList<>();
    for (int run = 0; run < warmup + runs; run++) {
      try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
        ch.socket().setTcpNoDelay(true);
        long start = System.nanoTime();
        long left = bytes;
        while (left > 0) {
          chunk.clear().limit((int) Math.min(CHUNK, left));
          left -= ch.write(chunk);
        }
        ByteBuffer ack = ByteBuffer.allocate(1);
        while (ack.hasRemaining() && ch.read(ack) >= 0) {
          // the sink answers once it has read every byte
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (run >= warmup) {
          double rate = bytes / 1e6 / seconds;
          mbPerSecond.add(rate);
          System.out.printf(Locale.ROOT, "run %d: %,d bytes in %.4f s = %.1f MB/s%n",
              run - warmup + 1, bytes, seconds, rate);
        }
      }
    }
    double[] sorted = mbPerSecond.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "median %.1f MB/s (min %.1f, max %.1f) over %d runs%n",
        sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length);
    System.out.println(Arrays.toString(sorted));
  }

  /** Reads {@code bytes} from each connection, answers one byte, and waits for the next. */
  private static void sink(int port, long bytes) throws IOException {
    ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", port));
      System.out.println("ready");
      System.out.flush();
      while (true) {
        try (SocketChannel ch = server.accept()) {
          long left = bytes;
          while (left > 0) {
            in.clear();
            int n = ch.read(in);
            if (n < 0) {
              break;
            }
            left -= n;
          }
          ch.write(ByteBuffer.wrap(new byte[] {1}));
        }
      }
    }
  }
}
