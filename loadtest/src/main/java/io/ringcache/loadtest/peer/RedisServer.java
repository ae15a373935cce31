package io.ringcache.loadtest.peer;

import io.ringcache.loadtest.cluster.PortAllocator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code redis-server} process on 127.0.0.1, started for {@code compare} when the machine has
 * Redis installed (Debian's {@code redis-server} package): no persistence, a memory bound with LRU
 * eviction, its own free port, its output in a log file. {@link #close()} stops it (SIGTERM, then
 * SIGKILL after a few seconds); a shutdown hook does the same if the JVM exits first. Only the
 * process this class started is ever signalled.
 */
public final class RedisServer implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread shutdownHook;

  private RedisServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.shutdownHook = new Thread(() -> process.toHandle().destroyForcibly(), "redis-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The {@code redis-server} executable on the PATH, if there is one. */
  public static Optional<Path> executable() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code redis-server} with {@code maxMemoryBytes} (evicting least recently used keys past
   * it) and waits until it answers PING; logs go to {@code logDir}. Throws if Redis is not
   * installed, does not start, or does not answer within 20 s (the process is then killed).
   */
  public static RedisServer start(long maxMemoryBytes, Path logDir) {
    Path redis = executable().orElseThrow(() -> new IllegalStateException(
        "redis-server is not installed (Debian: apt-get install redis-server)"));
    int port = PortAllocator.PEERS.next();
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve("redis-" + port + ".log");
      List<String> command = List.of(redis.toString(), "--port", Integer.toString(port),
          "--bind", HOST, "--protected-mode", "yes", "--save", "", "--appendonly", "no",
          "--daemonize", "no", "--maxmemory", Long.toString(maxMemoryBytes),
          "--maxmemory-policy", "allkeys-lru", "--loglevel", "warning");
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      RedisServer server = new RedisServer(process, port, log);
      try {
        server.awaitReady();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + redis + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} of the server. */
  public String endpoint() {
    return HOST + ":" + port;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue()
            + " before answering PING; see " + log);
      }
      if (answersPing()) {
        return;
      }
      // Between two PINGs, wait on the process's exit: a server that dies ends the wait at once.
      try {
        process.onExit().get(50, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // Still starting: PING again.
      } catch (ExecutionException e) {
        throw new IllegalStateException("waiting for redis-server failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for redis-server", e);
      }
    }
    throw new IllegalStateException("redis-server on " + endpoint() + " did not answer PING"
        + " within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 500);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] answer = in.readNBytes(7);
      return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs anyway.
    }
    process.toHandle().destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.toHandle().destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.toHandle().destroyForcibly();
    }
  }
}
