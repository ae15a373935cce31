package io.ringcache.node.cluster;

import io.ringcache.node.testing.TestPorts;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-JVM cluster on 127.0.0.1 with a random cluster name. Members take free Hazelcast ports
 * (cluster port 0) and join through the members already running, so parallel builds on one host
 * never collide.
 */
final class MembershipCluster implements AutoCloseable {

  static final long TIMEOUT_SECONDS = 60;

  /** Fewer partitions and threads than production: less work per join and leave on 2 cores. */
  static final Map<String, String> TEST_PROPERTIES =
      io.ringcache.node.testing.TestCluster.HAZELCAST_PROPERTIES;

  final String name = "rc-test-" + UUID.randomUUID();
  private final List<ClusteredNode> nodes = new CopyOnWriteArrayList<>();

  /**
   * Settings for one more member: joins through the running ones; its client and HTTP ports (only
   * advertised as member attributes, never bound here) are allocated like the cluster port.
   */
  ClusterSettings.Builder settings(String memberName) {
    List<String> seeds = new ArrayList<>();
    for (ClusteredNode node : nodes) {
      seeds.add(
          "127.0.0.1:" + node.hazelcast().getCluster().getLocalMember().getAddress().getPort());
    }
    return ClusterSettings.builder()
        .clusterName(name)
        .memberName(memberName)
        .host("127.0.0.1")
        .clusterPort(TestPorts.next())
        .seeds(seeds)
        .clientPort(TestPorts.next())
        .httpPort(TestPorts.next());
  }

  ClusteredNode start(ClusterSettings settings) {
    ClusteredNode node =
        await(
            ClusterBootstrap.start(
                settings, new VertxOptions().setEventLoopPoolSize(2), TEST_PROPERTIES));
    nodes.add(node);
    return node;
  }

  ClusteredNode start(String memberName) {
    return start(settings(memberName).build());
  }

  void stop(ClusteredNode node) {
    nodes.remove(node);
    await(node.close());
  }

  static <T> T await(Future<T> future) {
    return io.ringcache.node.testing.TestCluster.await(future);
  }

  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (ClusteredNode node : nodes) {
      closing.add(node.close());
    }
    nodes.clear();
    await(Future.join(closing));
  }
}
