package io.ringcache.node.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real network partition between in-JVM nodes: an nftables table that drops every packet
 * between two sets of loopback addresses, removed on {@link #heal()}.
 *
 * <h2>Design</h2>
 * Each node of a {@link TestCluster} binds its own loopback address ({@link
 * TestCluster#withHost}), and every connection a node opens starts from that address: Hazelcast
 * binds its member sockets to the member address ({@code hazelcast.socket.bind.any} is false,
 * as ClusterBootstrap sets it), the event bus and peer connections bind the node's host
 * ({@code NetPeerClient}). A rule on the output hook ({@code ip saddr A ip daddr B drop}, both
 * ways) then cuts exactly the node-to-node traffic between the two sides, Hazelcast heartbeats
 * included, while the test itself still reaches every node from 127.0.0.1. Dropping, not
 * rejecting, is what a partition looks like: connections hang until timeouts and failure
 * detection notice.
 *
 * <p>The addresses come from {@link #addresses}, a random 127.x.y.0/24 per test, and the table has
 * a random name, so the rules touch nothing else on the machine, also when tests run in parallel.
 *
 * <h2>Failure</h2>
 * {@link #heal()} (and {@link #close()}) delete the table, and a shutdown hook deletes it if the
 * JVM exits before; only a JVM killed outright leaves it behind, and then it only matches the
 * random addresses. Needs root and the {@code nft} tool: tests ask {@link #available()} first.
 */
public final class LoopbackPartition implements AutoCloseable {

  private static final long NFT_TIMEOUT_SECONDS = 10;

  private final String table;
  private final Thread cleanup;
  private boolean healed;

  private LoopbackPartition(String table) {
    this.table = table;
    this.cleanup = new Thread(() -> nft("delete table inet " + table + "\n"),
        "loopback-partition-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Whether this process may install nftables rules (root, {@code nft} on the path). */
  public static boolean available() {
    return nft("list tables\n") == 0;
  }

  /** {@code count} loopback addresses of one random 127.x.y.0/24, from 127.x.y.2 up. */
  public static List<String> addresses(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String prefix = "127." + random.nextInt(100, 250) + "." + random.nextInt(1, 255) + ".";
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hosts.add(prefix + (i + 2));
    }
    return hosts;
  }

  /** Drops all traffic between {@code a} and {@code b} until {@link #heal()}. */
  public static LoopbackPartition between(Set<String> a, Set<String> b) {
    String table = "ringcache_partition_" + Long.toHexString(new SplittableRandom().nextLong()
        & Long.MAX_VALUE);
    String sa = "{ " + String.join(", ", a) + " }";
    String sb = "{ " + String.join(", ", b) + " }";
    String script = "add table inet " + table + "\n"
        + "add chain inet " + table
        + " out { type filter hook output priority 0; policy accept; }\n"
        + "add rule inet " + table + " out ip saddr " + sa + " ip daddr " + sb + " drop\n"
        + "add rule inet " + table + " out ip saddr " + sb + " ip daddr " + sa + " drop\n";
    LoopbackPartition partition = new LoopbackPartition(table);
    int exit = nft(script);
    if (exit != 0) {
      partition.heal();
      throw new IllegalStateException("nft refused the partition rules (exit " + exit + ")");
    }
    return partition;
  }

  /** Removes the rules: traffic flows again. Idempotent. */
  public synchronized void heal() {
    if (healed) {
      return;
    }
    healed = true;
    nft("delete table inet " + table + "\n");
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // The JVM is shutting down already: the hook deletes the table (again, harmlessly).
    }
  }

  @Override
  public void close() {
    heal();
  }

  /** Runs {@code nft -f -} with {@code script}; returns its exit code, -1 when it cannot run. */
  private static int nft(String script) {
    try {
      Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
