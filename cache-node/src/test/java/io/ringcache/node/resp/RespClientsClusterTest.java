package io.ringcache.node.resp;

import static io.ringcache.node.resp.RespTestSupport.keysNotOn;
import static io.ringcache.node.resp.RespTestSupport.respPort;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.ringcache.node.CacheNode;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.testing.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Real Redis clients against a 3-node RF=2 cluster: Lettuce async and pipelined over RESP3 and
 * RESP2, a Jedis pipeline, and read-modify-write commands racing from clients on every node.
 */
class RespClientsClusterTest {

  private static TestCluster cluster;
  private static CacheNode entry;
  private static RedisClient lettuce;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, RespTestSupport.withResp()).start(3);
    entry = cluster.node(0);
    lettuce = RedisClient.create();
  }

  @AfterAll
  static void stop() {
    lettuce.shutdown();
    cluster.close();
  }

  private static StatefulRedisConnection<String, String> connect(CacheNode node,
      ProtocolVersion protocol) {
    lettuce.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    return lettuce.connect(uri(node));
  }

  private static RedisURI uri(CacheNode node) {
    return RedisURI.builder().withHost("127.0.0.1").withPort(respPort(node))
        .withTimeout(Duration.ofSeconds(20)).build();
  }

  private static <T> T await(RedisFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  @Test
  void lettuce_pipelinedOverResp3_keysOwnedElsewhere_areForwardedAndReadBackEverywhere()
      throws Exception {
    List<String> keys = keysNotOn(entry, "lettuce3-", 200);
    long forwardedBefore = entry.stats().forwarded.sum();
    try (StatefulRedisConnection<String, String> c = connect(entry, ProtocolVersion.RESP3)) {
      RedisAsyncCommands<String, String> async = c.async();
      c.setAutoFlushCommands(false);
      List<RedisFuture<?>> sets = new ArrayList<>();
      for (String k : keys) {
        sets.add(async.set(k, "v-" + k));
        sets.add(async.incr(k + ":n"));
      }
      c.flushCommands();
      for (RedisFuture<?> f : sets) {
        await(f);
      }
      c.setAutoFlushCommands(true);
      assertThat(await(async.get(keys.get(0)))).isEqualTo("v-" + keys.get(0));
      String info = await(async.dispatch(CommandType.CLIENT,
          new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add("INFO")));
      assertThat(info).as("CLIENT INFO after Lettuce's handshake").contains("resp=3");
    }
    assertThat(entry.stats().forwarded.sum() - forwardedBefore).as("requests node-0 forwarded")
        .isGreaterThanOrEqualTo(keys.size());
    assertThat(entry.store().get(StoreKey.of(keys.get(0))).ok())
        .as("node-0 holds no copy of the key").isFalse();
    try (StatefulRedisConnection<String, String> c = connect(cluster.node(1),
        ProtocolVersion.RESP2)) {
      RedisAsyncCommands<String, String> async = c.async();
      List<String> values = await(async.mget(keys.toArray(String[]::new))).stream()
          .map(kv -> kv.getValueOrElse(null)).toList();
      assertThat(values).isEqualTo(keys.stream().map(k -> "v-" + k).toList());
      assertThat(await(async.exists(keys.toArray(String[]::new)))).isEqualTo(keys.size());
    }
  }

  @Test
  void lettuce_resp2_binaryCodec_roundTripsArbitraryBytes() throws Exception {
    lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
    try (StatefulRedisConnection<byte[], byte[]> c = lettuce.connect(ByteArrayCodec.INSTANCE,
        uri(entry))) {
      byte[] key = {(byte) 0x80, (byte) 0xfe, 0, 1};
      byte[] value = {0, '\r', '\n', (byte) 0xff};
      assertThat(await(c.async().set(key, value))).isEqualTo("OK");
      assertThat(await(c.async().get(key))).isEqualTo(value);
      assertThat(await(c.async().ttl(key))).isEqualTo(-1L);
    }
  }

  @Test
  void lettuce_resp3_mapsAndNulls_decode() throws Exception {
    try (StatefulRedisConnection<String, String> c = connect(entry, ProtocolVersion.RESP3)) {
      RedisAsyncCommands<String, String> async = c.async();
      assertThat(await(async.get("lettuce3-missing-" + System.nanoTime()))).isNull();
      Map<String, String> config = await(async.configGet("maxmemory"));
      assertThat(config).containsKey("maxmemory");
      assertThat(await(async.clientGetname())).isNull();
      assertThat(await(async.ping())).isEqualTo("PONG");
    }
  }

  @Test
  void jedis_pipeline_answersInOrder() {
    List<String> keys = keysNotOn(entry, "jedis-pipe-", 300);
    try (Jedis jedis = new Jedis("127.0.0.1", respPort(entry), 20_000)) {
      Pipeline p = jedis.pipelined();
      List<Response<?>> answers = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        answers.add(p.set(keys.get(i), Integer.toString(i)));
        answers.add(p.incrBy(keys.get(i), i));
        answers.add(p.get(keys.get(i)));
        answers.add(p.ttl(keys.get(i)));
      }
      p.sync();
      for (int i = 0; i < keys.size(); i++) {
        assertThat(answers.get(4 * i).get()).isEqualTo("OK");
        assertThat(answers.get(4 * i + 1).get()).isEqualTo(2L * i);
        assertThat(answers.get(4 * i + 2).get()).isEqualTo(Long.toString(2L * i));
        assertThat(answers.get(4 * i + 3).get()).isEqualTo(-1L);
      }
    }
  }

  @Test
  void append_racingFromEveryNode_losesNoWrite() throws Exception {
    String key = keysNotOn(entry, "race-append-", 1).get(0);
    int perClient = 40;
    List<CompletableFuture<Void>> racers = new ArrayList<>();
    for (CacheNode n : cluster.nodes()) {
      for (int c = 0; c < 2; c++) {
        racers.add(CompletableFuture.runAsync(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", respPort(n), 20_000)) {
            for (int i = 0; i < perClient; i++) {
              jedis.append(key, "x");
              jedis.incrByFloat(key + ":f", 0.5);
            }
          }
        }));
      }
    }
    CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    try (Jedis jedis = new Jedis("127.0.0.1", respPort(cluster.node(2)), 20_000)) {
      assertThat(jedis.strlen(key)).isEqualTo(racers.size() * (long) perClient);
      assertThat(jedis.get(key + ":f")).isEqualTo(Long.toString(racers.size() * perClient / 2));
    }
  }
}
