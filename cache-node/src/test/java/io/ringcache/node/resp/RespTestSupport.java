package io.ringcache.node.resp;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Topology;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/** Shared helpers of the RESP tests: clusters with RESP on, key placement, raw Jedis calls. */
final class RespTestSupport {

  private RespTestSupport() {}

  /** Settings customization that turns RESP on, on a free port. */
  static UnaryOperator<CacheNode.Settings> withResp() {
    return s -> s.withServer(s.server().withRespPort(TestCluster.freePort()));
  }

  static int respPort(CacheNode node) {
    return node.settings().server().respPort();
  }

  /**
   * {@code count} keys starting with {@code prefix} that {@code node} holds no copy of (neither
   * primary nor replica): a command for one sent to {@code node} must be forwarded.
   */
  static List<String> keysNotOn(CacheNode node, String prefix, int count) {
    Topology t = node.topology();
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < count; i++) {
      String k = prefix + i;
      long position = Key.of(k).position();
      boolean held = t.readReplicas(position).stream().anyMatch(m -> m.name().equals(node.name()))
          || t.writeReplicas(position).stream().anyMatch(m -> m.name().equals(node.name()));
      if (!held) {
        out.add(k);
      }
    }
    return out;
  }

  static String keyNotOn(CacheNode node, String prefix) {
    return keysNotOn(node, prefix, 1).get(0);
  }

  /** Sends a command as given and returns Jedis's decoding of the raw reply. */
  static Object call(Jedis jedis, String command, String... args) {
    ProtocolCommand c = () -> SafeEncoder.encode(command);
    return decode(jedis.sendCommand(c, args));
  }

  /** Bulk and status replies as strings, lists element-wise; integers and nulls as they are. */
  static Object decode(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(o -> out.add(decode(o)));
      return out;
    }
    return reply;
  }
}
