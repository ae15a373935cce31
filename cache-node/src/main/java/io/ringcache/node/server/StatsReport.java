package io.ringcache.node.server;

import io.ringcache.node.caches.HotKeys;

import io.ringcache.node.rebalance.RebalanceStatus;
import io.ringcache.node.replication.AntiEntropyStats;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreStats;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Status;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Renders the node's statistics and topology as JSON, for STATS and the HTTP API. */
public final class StatsReport {

  private final String nodeName;
  private final LocalStore store;
  private final TopologyHolder topology;
  private final NodeStats stats;
  private final RebalanceStatus rebalance;
  private final HotKeys hotKeys;
  private final AntiEntropyStats antiEntropy;
  /** The warm restart's state ({@code node.snapshot.WarmRestart#json}), or null: none. */
  private final Supplier<JsonObject> warmRestart;

  public StatsReport(String nodeName, LocalStore store, TopologyHolder topology, NodeStats stats,
      RebalanceStatus rebalance) {
    this(nodeName, store, topology, stats, rebalance, null);
  }

  /** A report that includes the node's hot keys ({@code hotKeys} may be null: none). */
  public StatsReport(String nodeName, LocalStore store, TopologyHolder topology, NodeStats stats,
      RebalanceStatus rebalance, HotKeys hotKeys) {
    this(nodeName, store, topology, stats, rebalance, hotKeys, null);
  }

  /** A report with hot keys and anti-entropy counters (either may be null: none). */
  public StatsReport(String nodeName, LocalStore store, TopologyHolder topology, NodeStats stats,
      RebalanceStatus rebalance, HotKeys hotKeys, AntiEntropyStats antiEntropy) {
    this(nodeName, store, topology, stats, rebalance, hotKeys, antiEntropy, null);
  }

  /** As above, with the warm restart's state (null: none). */
  public StatsReport(String nodeName, LocalStore store, TopologyHolder topology, NodeStats stats,
      RebalanceStatus rebalance, HotKeys hotKeys, AntiEntropyStats antiEntropy,
      Supplier<JsonObject> warmRestart) {
    this.warmRestart = warmRestart;
    this.antiEntropy = antiEntropy;
    this.hotKeys = hotKeys;
    this.nodeName = nodeName;
    this.store = store;
    this.topology = topology;
    this.stats = stats;
    this.rebalance = rebalance;
  }

  public JsonObject json() {
    StoreStats s = store.stats();
    JsonObject errors = new JsonObject();
    for (Map.Entry<Status, LongAdder> e :
        stats.errorCounters().entrySet()) {
      long n = e.getValue().sum();
      if (n > 0) {
        errors.put(e.getKey().name(), n);
      }
    }
    return new JsonObject()
        .put("node", nodeName)
        .put("epoch", topology.epoch())
        .put("store", new JsonObject()
            .put("entries", s.entries())
            .put("weightedBytes", s.weightedBytes())
            .put("maxBytes", s.maxBytes())
            .put("hits", s.hits())
            .put("misses", s.misses())
            .put("hitRatio", s.hitRatio())
            .put("evictions", s.evictions())
            .put("evictedBytes", s.evictedBytes())
            .put("expirations", s.expirations())
            .put("puts", s.puts())
            .put("deletes", s.deletes()))
        .put("requests", new JsonObject()
            .put("total", stats.requests.sum())
            .put("latency", stats.latency.json())
            .put("forwarded", stats.forwarded.sum())
            .put("forwardedIn", stats.forwardedIn.sum())
            .put("replicationsSent", stats.replicationsSent.sum())
            .put("replicationFailures", stats.replicationFailures.sum())
            .put("replicationsApplied", stats.replicationsApplied.sum())
            .put("replicaFramesSent", stats.replicaFrames.frames.sum())
            .put("replicaEntriesSent", stats.replicaFrames.entries.sum())
            .put("replicaBatchesApplied", stats.replicaBatchesApplied.sum())
            .put("errors", errors))
        .put("rebalance", rebalance.json())
        .put("antiEntropy", antiEntropyJson())
        .put("warmRestart", warmRestart == null ? null : warmRestart.get())
        .put("connections", new JsonObject()
            .put("open", stats.openConnections.get())
            .put("accepted", stats.connectionsAccepted.sum())
            .put("rejected", stats.connectionsRejected.sum()))
        .put("hotKeys", hotKeysJson());
  }

  /** Anti-entropy's counters and last round, and the store's slice indexes. */
  private JsonObject antiEntropyJson() {
    JsonObject json = antiEntropy == null ? new JsonObject() : antiEntropy.json();
    return json.put("indexedSlices", store.indexedSlices());
  }

  /**
   * The last second's most requested keys served here, hottest first, from a 1-in-16 sample:
   * each with its cache, ring position, estimated requests, share, and whether it counts as hot
   * (clients read hot keys from any replica).
   */
  private JsonObject hotKeysJson() {
    JsonArray top = new JsonArray();
    if (hotKeys != null) {
      List<HotKeys.Hot> hot = hotKeys.hot();
      for (HotKeys.Hot h : hotKeys.top()) {
        top.add(new JsonObject()
            .put("cache", h.key().cacheName())
            .put("key", h.key().asString())
            .put("position", h.key().position())
            .put("estimatedRequests", h.estimatedRequests())
            .put("share", Math.round(h.share() * 10_000) / 10_000.0)
            .put("hot", hot.contains(h)));
      }
    }
    return new JsonObject().put("windowMillis", 1000).put("hotShare", HotKeys.HOT_SHARE)
        .put("top", top);
  }

  /** The installed topology for humans: members, addresses, token counts and ownership. */
  public JsonObject topologyJson() {
    return topologyJson(false);
  }

  /**
   * As {@link #topologyJson()}; with {@code tokens}, also {@code rings.read} and
   * {@code rings.write}: each member's token positions, as decimal strings (signed 64-bit ring
   * positions, which a JSON number read as a double would round).
   */
  public JsonObject topologyJson(boolean tokens) {
    Topology t = topology.current();
    JsonObject json = topologyJson(t);
    if (tokens) {
      json.put("rings", new JsonObject().put("read", tokensJson(t.readRing()))
          .put("write", tokensJson(t.writeRing())));
    }
    return json;
  }

  private static JsonObject tokensJson(Ring ring) {
    JsonObject byMember = new JsonObject();
    for (Member m : ring.members()) {
      JsonArray positions = new JsonArray();
      for (long token : ring.tokensOf(m.name())) {
        positions.add(Long.toString(token));
      }
      byMember.put(m.name(), positions);
    }
    return byMember;
  }

  private JsonObject topologyJson(Topology t) {
    JsonArray nodes = new JsonArray();
    Map<String, Double> primary = t.readRing().isEmpty() ? Map.of() : t.readRing().ownership(1);
    Map<String, Double> replicated = t.readRing().isEmpty()
        ? Map.of() : t.readRing().ownership(t.replicationFactor());
    for (NodeAddress n : t.nodes()) {
      Member m = t.readRing().member(n.name()).orElse(null);
      nodes.add(new JsonObject()
          .put("name", n.name())
          .put("host", n.host())
          .put("port", n.clientPort())
          .put("httpPort", n.httpPort())
          .put("state", n.state().name())
          .put("zone", m == null ? "" : m.zone())
          .put("weight", m == null ? 0 : m.weight())
          .put("tokens", m == null ? 0 : t.readRing().tokensOf(n.name()).length)
          .put("primaryShare", primary.getOrDefault(n.name(), 0.0))
          .put("replicatedShare", replicated.getOrDefault(n.name(), 0.0)));
    }
    return new JsonObject()
        .put("epoch", t.epoch())
        .put("phase", t.phase().name())
        .put("replicationFactor", t.replicationFactor())
        .put("answeredBy", nodeName)
        .put("readMembers", t.readRing().members().stream().map(Member::name).toList())
        .put("writeMembers", t.writeRing().members().stream().map(Member::name).toList())
        .put("rebalance", rebalance.json())
        .put("nodes", nodes);
  }
}
