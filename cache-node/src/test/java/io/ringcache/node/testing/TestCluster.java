package io.ringcache.node.testing;

import io.ringcache.node.CacheNode;
import io.ringcache.node.cluster.ClusterSettings;
import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Topology;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * N cache nodes in one JVM on 127.0.0.1 (or other loopback addresses, {@link #withHost}), in a
 * cluster with a random name, on free ports. Tests wait on conditions (an epoch installed
 * everywhere), never on sleeps.
 */
public final class TestCluster implements AutoCloseable {

  public static final long TIMEOUT_SECONDS = 60;

  /** Fewer partitions and threads than production: less work per join and leave on 2 cores. */
  public static final Map<String, String> HAZELCAST_PROPERTIES = Map.of(
      "hazelcast.partition.count", "31",
      "hazelcast.operation.thread.count", "2",
      "hazelcast.operation.generic.thread.count", "2",
      "hazelcast.io.thread.count", "1",
      "hazelcast.event.thread.count", "2");

  public final String name = "rc-node-test-" + UUID.randomUUID();
  private final List<CacheNode> nodes = new CopyOnWriteArrayList<>();
  private final int replicationFactor;
  private final UnaryOperator<CacheNode.Settings> customize;
  private final Map<String, String> hosts = new ConcurrentHashMap<>();
  private volatile PartitionPolicy partitionPolicy = PartitionPolicy.AVAILABLE;
  private volatile Map<String, String> hazelcastProperties = HAZELCAST_PROPERTIES;
  private int started;

  public TestCluster(int replicationFactor) {
    this(replicationFactor, UnaryOperator.identity());
  }

  public TestCluster(int replicationFactor, UnaryOperator<CacheNode.Settings> customize) {
    this.replicationFactor = replicationFactor;
    this.customize = customize;
  }

  /**
   * Binds the node named {@code memberName} to {@code host}, a loopback address other than
   * 127.0.0.1 (any 127.x.y.z answers on Linux), so traffic between nodes can be told apart by
   * address ({@link LoopbackPartition}). Call before the node starts.
   */
  public TestCluster withHost(String memberName, String host) {
    hosts.put(memberName, host);
    return this;
  }

  /** Nodes started from now on run with {@code policy}. */
  public TestCluster withPartitionPolicy(PartitionPolicy policy) {
    this.partitionPolicy = policy;
    return this;
  }

  /**
   * Nodes started from now on run with these Hazelcast properties, over {@link
   * #HAZELCAST_PROPERTIES}.
   */
  public TestCluster withHazelcastProperties(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(HAZELCAST_PROPERTIES);
    merged.putAll(overrides);
    this.hazelcastProperties = Map.copyOf(merged);
    return this;
  }

  /** Starts {@code count} nodes and waits until all of them installed a topology with all. */
  public TestCluster start(int count) {
    for (int i = 0; i < count; i++) {
      startNode();
    }
    awaitStable();
    return this;
  }

  /** Starts one more node named node-0, node-1, ... without waiting for a topology. */
  public CacheNode startNode() {
    return startNode("node-" + started++);
  }

  /**
   * Starts a node named {@code memberName} (a restart when that name ran before). A port picked
   * free can be taken by another bind in this JVM before the node binds it; such a start is
   * retried on fresh ports.
   */
  public CacheNode startNode(String memberName) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(memberName);
      } catch (AssertionError e) {
        if (attempt == 3 || !causedByBind(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * Starts {@code crashed}'s name again on its client and HTTP ports, as a process restarted on
   * the same host would: peers and clients that still route by an older topology reach the new
   * process. Does not wait for a topology.
   */
  public CacheNode restart(CacheNode crashed) {
    return startOnce(crashed.name(), crashed.settings().server().port(),
        crashed.settings().server().httpPort());
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.net.BindException
          || String.valueOf(c.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private CacheNode startOnce(String memberName) {
    return startOnce(memberName, freePort(), freePort());
  }

  private CacheNode startOnce(String memberName, int port, int httpPort) {
    List<String> seeds = new ArrayList<>();
    for (CacheNode n : nodes) {
      seeds.add(n.settings().cluster().host() + ":"
          + n.cluster().hazelcast().getCluster().getLocalMember().getAddress().getPort());
    }
    String host = hosts.getOrDefault(memberName, "127.0.0.1");
    ClusterSettings cluster = ClusterSettings.builder()
        .clusterName(name)
        .memberName(memberName)
        .host(host)
        .partitionPolicy(partitionPolicy)
        .clusterPort(TestPorts.next())
        .seeds(seeds)
        .clientPort(port)
        .httpPort(httpPort)
        .build();
    ServerSettings server = new ServerSettings(memberName, host, port, httpPort, true,
        false, 1000, 1024, 2000, "", ProtocolLimits.defaults());
    CacheNode.Settings settings = customize.apply(new CacheNode.Settings(cluster, server,
        new StoreConfig(64L << 20, Duration.ofSeconds(60)), replicationFactor, 16, 2));
    Map<String, String> properties = hazelcastProperties;
    if (!host.equals("127.0.0.1")) {
      // Only 127.0.0.1 is an interface address; Hazelcast binds another loopback address when
      // told so by name, and then opens its member connections from it too.
      properties = new HashMap<>(properties);
      properties.put("hazelcast.local.localAddress", host);
    }
    CacheNode node = await(CacheNode.start(settings, properties));
    nodes.add(node);
    return node;
  }

  /** Waits until every node installed the same topology, whose ring holds exactly every node. */
  public Topology awaitStable() {
    Awaitility.await().atMost(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(20))
        .until(this::stable);
    return nodes.get(0).topology();
  }

  private boolean stable() {
    long epoch = nodes.get(0).topology().epoch();
    for (CacheNode n : nodes) {
      Topology t = n.topology();
      if (t.epoch() != epoch || t.phase() != Topology.Phase.STABLE
          || t.readRing().size() != nodes.size()) {
        return false;
      }
      for (CacheNode m : nodes) {
        if (!t.readRing().contains(m.name())) {
          return false;
        }
      }
    }
    return true;
  }

  public List<CacheNode> nodes() {
    return nodes;
  }

  public CacheNode node(int index) {
    return nodes.get(index);
  }

  public CacheNode node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  /** Leaves the cluster without draining and waits until the others are stable without it. */
  public void stop(CacheNode node) {
    nodes.remove(node);
    await(node.close());
    if (!nodes.isEmpty()) {
      awaitStable();
    }
  }

  /** Drains {@code node} (its ranges move away first), closes it, waits until stable. */
  public void drain(CacheNode node) {
    boolean drained = await(node.drain(Duration.ofSeconds(TIMEOUT_SECONDS)));
    if (!drained) {
      throw new AssertionError("node " + node.name() + " did not drain");
    }
    stop(node);
  }

  /**
   * Stops tracking {@code node} without touching it: for a test that closed the node itself (as
   * {@code NodeMain.drainAndLeave} does), so {@link #close} does not close it again.
   */
  public void forget(CacheNode node) {
    nodes.remove(node);
  }

  /** Kills {@code node} abruptly (no leave, no drain), like kill -9; does not wait. */
  public void crash(CacheNode node) {
    nodes.remove(node);
    await(node.crash());
  }

  /** Waits until every node installed a topology in {@code phase} (e.g. TRANSFER). */
  public void awaitPhase(Topology.Phase phase) {
    Awaitility.await().atMost(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> nodes.stream().allMatch(n -> n.topology().phase() == phase));
  }

  /** A free port outside the ephemeral range: see {@link TestPorts}. */
  public static int freePort() {
    return TestPorts.next();
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (CacheNode n : nodes) {
      closing.add(n.close());
    }
    nodes.clear();
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cluster did not close within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
