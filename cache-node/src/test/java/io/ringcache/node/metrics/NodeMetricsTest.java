package io.ringcache.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.rebalance.RebalanceStatus;
import io.ringcache.node.server.NodeStats;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters over a store, counters and topology in memory: no node, no network. */
class NodeMetricsTest {

  private final LocalStore store = LocalStore.create(
      new StoreConfig(1 << 20, Duration.ofSeconds(60)), HybridClock.forNode("n1"));
  private final TopologyHolder topology = new TopologyHolder(1);
  private final NodeStats stats = new NodeStats();
  private final NodeMetrics metrics =
      new NodeMetrics(store, topology, stats, new RebalanceStatus());

  @AfterEach
  void close() {
    metrics.close();
  }

  private static StoreKey key(String s) {
    return StoreKey.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private Scrape scrape() {
    return new Scrape(metrics.scrape());
  }

  @Test
  void gets_hitAndMiss_countedByResult() {
    store.set(key("k"), new byte[] {1}, 0, SetMode.ALWAYS);
    store.get(key("k"));
    store.get(key("k"));
    store.get(key("absent"));

    Scrape s = scrape();
    assertThat(s.get("cache_gets_total", "cache", "ringcache", "result", "hit")).isEqualTo(2.0);
    assertThat(s.get("cache_gets_total", "cache", "ringcache", "result", "miss")).isEqualTo(1.0);
  }

  @Test
  void puts_countOurWrites_andDeletedKeyReadsAsMiss() {
    store.set(key("a"), new byte[] {1}, 0, SetMode.ALWAYS);
    store.set(key("a"), new byte[] {2}, 0, SetMode.ALWAYS);
    store.set(key("a"), new byte[] {3}, 0, SetMode.IF_ABSENT);
    store.delete(key("a"));
    store.get(key("a"));

    Scrape s = scrape();
    assertThat(s.get("cache_puts_total", "cache", "ringcache")).as("IF_ABSENT on a live key")
        .isEqualTo(2.0);
    assertThat(s.get("ringcache_store_deletes_total", "cache", "ringcache")).isEqualTo(1.0);
    assertThat(s.get("cache_gets_total", "result", "miss")).as("a tombstone is a miss")
        .isEqualTo(1.0);
    assertThat(s.get("cache_size", "cache", "ringcache")).as("the tombstone").isEqualTo(1.0);
    assertThat(s.get("ringcache_store_weight_bytes", "cache", "ringcache")).isPositive();
    assertThat(s.get("ringcache_store_max_weight_bytes")).isEqualTo(1 << 20);
    assertThat(s.get("cache_evictions_total", "cache", "ringcache")).isZero();
    assertThat(s.get("cache_eviction_weight_total", "cache", "ringcache")).isZero();
  }

  @Test
  void requests_timedByOpAndStatus_intoFixedBuckets() {
    metrics.requestServed(Opcode.GET, Status.OK, TimeUnit.MICROSECONDS.toNanos(300));
    metrics.requestServed(Opcode.GET, Status.OK, TimeUnit.MILLISECONDS.toNanos(3));
    metrics.requestServed(Opcode.GET, Status.NOT_FOUND, TimeUnit.MICROSECONDS.toNanos(50));

    Scrape s = scrape();
    assertThat(s.get("ringcache_requests_seconds_count", "op", "get", "status", "ok"))
        .isEqualTo(2.0);
    assertThat(s.get("ringcache_requests_seconds_count", "op", "get", "status", "not_found"))
        .isEqualTo(1.0);
    assertThat(s.get("ringcache_requests_seconds_bucket", "op", "get", "status", "ok",
        "le", "5.0E-4")).isEqualTo(1.0);
    assertThat(s.get("ringcache_requests_seconds_bucket", "op", "get", "status", "ok",
        "le", "0.005")).isEqualTo(2.0);
    assertThat(s.get("ringcache_requests_seconds_count", "op", "set", "status", "ok"))
        .as("registered up front").isZero();
    assertThat(s.value("ringcache_requests_seconds_count", "op", "set", "status", "exists"))
        .as("appears on first use").isEmpty();
  }

  @Test
  void topology_epochMembersAndPhase_fromInstalledTopology() {
    topology.install(new Topology(7, 1, Topology.Phase.TRANSFER, List.of(
        new NodeAddress("a", "127.0.0.1", 1, 2, NodeAddress.State.UP),
        new NodeAddress("b", "127.0.0.1", 3, 4, NodeAddress.State.UP),
        new NodeAddress("c", "127.0.0.1", 5, 6, NodeAddress.State.JOINING)),
        Ring.empty(), Ring.empty()));

    Scrape s = scrape();
    assertThat(s.get("ringcache_topology_epoch")).isEqualTo(7.0);
    assertThat(s.get("ringcache_members", "state", "up")).isEqualTo(2.0);
    assertThat(s.get("ringcache_members", "state", "joining")).isEqualTo(1.0);
    assertThat(s.get("ringcache_members", "state", "down")).isZero();
    assertThat(s.get("ringcache_rebalance_phase", "phase", "transfer")).isEqualTo(1.0);
    assertThat(s.get("ringcache_rebalance_phase", "phase", "stable")).isZero();
    assertThat(s.get("ringcache_rebalance_phase", "phase", "switch")).isZero();
  }

  @Test
  void nodeCounters_forwardsReplicationAndConnections_readAtScrape() {
    stats.forwarded.add(3);
    stats.forwardedIn.add(2);
    stats.replicationsSent.add(5);
    stats.replicationAcks.add(4);
    stats.replicationFailures.add(1);
    stats.replicationTimeouts.add(1);
    stats.openConnections.set(6);

    Scrape s = scrape();
    assertThat(s.get("ringcache_forwards_total", "direction", "sent")).isEqualTo(3.0);
    assertThat(s.get("ringcache_forwards_total", "direction", "received")).isEqualTo(2.0);
    assertThat(s.get("ringcache_replication_sent_total")).isEqualTo(5.0);
    assertThat(s.get("ringcache_replication_acks_total")).isEqualTo(4.0);
    assertThat(s.get("ringcache_replication_failures_total")).isEqualTo(1.0);
    assertThat(s.get("ringcache_replication_timeouts_total")).isEqualTo(1.0);
    assertThat(s.get("ringcache_connections_open")).isEqualTo(6.0);
  }

  @Test
  void scrape_jvmMetersBound_andNoKeyAnywhere() {
    store.set(key("secret-key-7f3a"), "secret-value-9c1d".getBytes(StandardCharsets.UTF_8), 0,
        SetMode.ALWAYS);
    store.get(key("secret-key-7f3a"));
    metrics.requestServed(Opcode.SET, Status.OK, 1000);

    Scrape s = scrape();
    assertThat(s.text()).doesNotContain("secret-key-7f3a").doesNotContain("secret-value-9c1d");
    assertThat(s.text()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
        "process_uptime_seconds", "system_cpu_count", "rebalance_entries");
  }
}
