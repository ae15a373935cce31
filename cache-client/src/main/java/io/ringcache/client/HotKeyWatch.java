package io.ringcache.client;

import io.ringcache.protocol.HostPort;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys the cluster marks hot, as this client learns them: once a second it asks every node
 * for its statistics and keeps the ring positions of the keys each reports hot. The router reads
 * such keys from any replica instead of the primary, so one hot key's reads spread over its RF
 * owners instead of melting one node, and {@link HotNearCaches}, when configured, keeps them near
 * ({@code docs/near-cache.md}). It polls while either is on.
 *
 * <p>Nodes mark a key hot when it took at least 1% of their sampled requests in the last second.
 * What a node stops reporting is forgotten at the next answer from that node; a node that does
 * not answer keeps its last report until it leaves the topology.
 */
final class HotKeyWatch {

  static final long PERIOD_MILLIS = 1_000;

  private final Router router;
  private final Map<HostPort, Set<Long>> byNode = new ConcurrentHashMap<>();
  private volatile Set<Long> hot = Set.of();

  HotKeyWatch(Router router) {
    this.router = router;
  }

  /** Whether the key at {@code position} is hot somewhere in the cluster. */
  boolean isHot(long position) {
    Set<Long> h = hot;
    return !h.isEmpty() && h.contains(position);
  }

  /** One round of asking every node. */
  void poll() {
    Set<HostPort> live = new HashSet<>();
    for (NodeAddress n : router.installed().topology().nodes()) {
      HostPort node = new HostPort(n.host(), n.clientPort());
      live.add(node);
      router.sendTo(node, new Request.GetStats()).thenAccept(r -> {
        if (r instanceof Response.Stats s) {
          byNode.put(node, hotPositions(s.json()));
          rebuild();
        }
      });
    }
    if (byNode.keySet().retainAll(live)) {
      rebuild();
    }
  }

  private void rebuild() {
    Set<Long> all = new HashSet<>();
    byNode.values().forEach(all::addAll);
    hot = Set.copyOf(all);
  }

  static Set<Long> hotPositions(String statsJson) {
    try {
      JsonObject hotKeys = new JsonObject(statsJson).getJsonObject("hotKeys");
      if (hotKeys == null) {
        return Set.of();
      }
      JsonArray top = hotKeys.getJsonArray("top", new JsonArray());
      Set<Long> out = new HashSet<>();
      for (int i = 0; i < top.size(); i++) {
        JsonObject k = top.getJsonObject(i);
        if (k.getBoolean("hot", false)) {
          out.add(k.getLong("position"));
        }
      }
      return out;
    } catch (RuntimeException e) {
      // A node of another version, or a malformed report: no hot keys from it.
      return Set.of();
    }
  }
}
