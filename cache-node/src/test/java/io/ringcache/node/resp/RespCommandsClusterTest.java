package io.ringcache.node.resp;

import static io.ringcache.node.resp.RespTestSupport.call;
import static io.ringcache.node.resp.RespTestSupport.keyNotOn;
import static io.ringcache.node.resp.RespTestSupport.respPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.CacheNode;
import io.ringcache.node.testing.TestCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Command semantics as Redis documents them, through Jedis (RESP2) connected to node-0 of a
 * 3-node RF=2 cluster, on keys node-0 holds no copy of: every command here is forwarded.
 */
class RespCommandsClusterTest {

  private static TestCluster cluster;
  private static CacheNode entry;
  private Jedis jedis;
  private static int unique;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, RespTestSupport.withResp()).start(3);
    entry = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", respPort(entry), 10_000);
  }

  @AfterEach
  void disconnect() {
    jedis.close();
  }

  /** A fresh key that node-0 holds no copy of. */
  private static String key() {
    return keyNotOn(entry, "k" + (unique++) + "-");
  }

  private Object cmd(String command, String... args) {
    return call(jedis, command, args);
  }

  private void assertError(String message, String command, String... args) {
    assertThatThrownBy(() -> cmd(command, args)).isInstanceOf(JedisDataException.class)
        .hasMessage(message);
  }

  // ------------------------------------------------------------------ strings

  @Test
  void get_missingKey_returnsNil() {
    assertThat(cmd("GET", key())).isNull();
  }

  @Test
  void set_thenGet_returnsValue_andIsReadableThroughEveryNode() {
    String k = key();
    assertThat(cmd("SET", k, "v1")).isEqualTo("OK");
    for (CacheNode n : cluster.nodes()) {
      try (Jedis other = new Jedis("127.0.0.1", respPort(n), 10_000)) {
        assertThat(other.get(k)).as("GET through " + n.name()).isEqualTo("v1");
      }
    }
  }

  @Test
  void set_nxXxGet_followRedisRules() {
    String k = key();
    assertThat(cmd("SET", k, "a", "XX")).isNull();
    assertThat(cmd("SET", k, "a", "NX")).isEqualTo("OK");
    assertThat(cmd("SET", k, "b", "NX")).isNull();
    assertThat(cmd("SET", k, "b", "XX", "GET")).isEqualTo("a");
    assertThat(cmd("SET", k, "c", "NX", "GET")).isEqualTo("b");
    assertThat(cmd("GET", k)).isEqualTo("b");
    assertThat(cmd("SET", key(), "x", "GET")).isNull();
    assertError("ERR syntax error", "SET", k, "v", "NX", "XX");
    assertError("ERR syntax error", "SET", k, "v", "EX", "10", "KEEPTTL");
    assertError("ERR syntax error", "SET", k, "v", "BOGUS");
    assertError("ERR value is not an integer or out of range", "SET", k, "v", "EX", "ten");
    assertError("ERR invalid expire time in 'set' command", "SET", k, "v", "EX", "0");
    assertError("ERR invalid expire time in 'set' command", "SET", k, "v", "EX",
        Long.toString(Long.MAX_VALUE / 10));
  }

  @Test
  void set_expiryOptions_setTtl_keepTtlKeepsIt() {
    String k = key();
    cmd("SET", k, "v", "EX", "100");
    assertThat((Long) cmd("TTL", k)).isBetween(99L, 100L);
    cmd("SET", k, "w", "PX", "50000");
    assertThat((Long) cmd("PTTL", k)).isBetween(40_000L, 50_000L);
    cmd("SET", k, "x", "KEEPTTL");
    assertThat((Long) cmd("PTTL", k)).isBetween(40_000L, 50_000L);
    assertThat(cmd("GET", k)).isEqualTo("x");
    cmd("SET", k, "y");
    assertThat(cmd("TTL", k)).isEqualTo(-1L);
    long at = System.currentTimeMillis() / 1000 + 200;
    cmd("SET", k, "z", "EXAT", Long.toString(at));
    assertThat((Long) cmd("TTL", k)).isBetween(198L, 200L);
    cmd("SET", k, "gone", "PXAT", Long.toString(System.currentTimeMillis() - 1000));
    assertThat(cmd("GET", k)).isNull();
  }

  @Test
  void setnxSetexPsetex_behaveAsRedis() {
    String k = key();
    assertThat(cmd("SETNX", k, "1")).isEqualTo(1L);
    assertThat(cmd("SETNX", k, "2")).isEqualTo(0L);
    assertThat(cmd("SETEX", k, "30", "3")).isEqualTo("OK");
    assertThat((Long) cmd("TTL", k)).isBetween(29L, 30L);
    assertThat(cmd("PSETEX", k, "30000", "4")).isEqualTo("OK");
    assertThat(cmd("GET", k)).isEqualTo("4");
    assertError("ERR invalid expire time in 'setex' command", "SETEX", k, "-1", "v");
    assertError("ERR invalid expire time in 'psetex' command", "PSETEX", k, "0", "v");
  }

  @Test
  void getsetGetdelGetex_behaveAsRedis() {
    String k = key();
    assertThat(cmd("GETSET", k, "a")).isNull();
    cmd("EXPIRE", k, "100");
    assertThat(cmd("GETSET", k, "b")).isEqualTo("a");
    assertThat(cmd("TTL", k)).as("GETSET clears the TTL").isEqualTo(-1L);
    assertThat(cmd("GETEX", k, "EX", "50")).isEqualTo("b");
    assertThat((Long) cmd("TTL", k)).isBetween(49L, 50L);
    assertThat(cmd("GETEX", k, "PERSIST")).isEqualTo("b");
    assertThat(cmd("TTL", k)).isEqualTo(-1L);
    assertThat(cmd("GETEX", k)).isEqualTo("b");
    assertError("ERR syntax error", "GETEX", k, "EX", "1", "PX", "1");
    assertThat(cmd("GETDEL", k)).isEqualTo("b");
    assertThat(cmd("GETDEL", k)).isNull();
    assertThat(cmd("EXISTS", k)).isEqualTo(0L);
  }

  @Test
  void appendStrlenGetrangeSetrange_behaveAsRedis() {
    String k = key();
    assertThat(cmd("APPEND", k, "Hello")).isEqualTo(5L);
    assertThat(cmd("APPEND", k, " World")).isEqualTo(11L);
    assertThat(cmd("STRLEN", k)).isEqualTo(11L);
    assertThat(cmd("STRLEN", key())).isEqualTo(0L);
    assertThat(cmd("GETRANGE", k, "0", "4")).isEqualTo("Hello");
    assertThat(cmd("GETRANGE", k, "-5", "-1")).isEqualTo("World");
    assertThat(cmd("GETRANGE", k, "0", "-1")).isEqualTo("Hello World");
    assertThat(cmd("GETRANGE", k, "10", "100")).isEqualTo("d");
    assertThat(cmd("GETRANGE", k, "5", "3")).isEqualTo("");
    assertThat(cmd("GETRANGE", key(), "0", "-1")).isEqualTo("");
    assertThat(cmd("SETRANGE", k, "6", "Redis")).isEqualTo(11L);
    assertThat(cmd("GET", k)).isEqualTo("Hello Redis");
    String fresh = key();
    assertThat(cmd("SETRANGE", fresh, "3", "x")).isEqualTo(4L);
    assertThat(cmd("GET", fresh)).isEqualTo("\0\0\0x");
    String empty = key();
    assertThat(cmd("SETRANGE", empty, "5", "")).isEqualTo(0L);
    assertThat(cmd("EXISTS", empty)).isEqualTo(0L);
    assertError("ERR offset is out of range", "SETRANGE", k, "-1", "x");
    assertError("ERR string exceeds maximum allowed size (1048576 bytes, maxValueBytes)",
        "SETRANGE", k, Long.toString(Long.MAX_VALUE), "x");
  }

  @Test
  void counters_behaveAsRedis() {
    String k = key();
    assertThat(cmd("INCR", k)).isEqualTo(1L);
    assertThat(cmd("INCRBY", k, "10")).isEqualTo(11L);
    assertThat(cmd("DECR", k)).isEqualTo(10L);
    assertThat(cmd("DECRBY", k, "20")).isEqualTo(-10L);
    String text = key();
    cmd("SET", text, "abc");
    assertError("ERR value is not an integer or out of range", "INCR", text);
    assertError("ERR value is not an integer or out of range", "INCRBY", k, "1.5");
    String big = key();
    cmd("SET", big, Long.toString(Long.MAX_VALUE));
    assertError("ERR increment or decrement would overflow", "INCR", big);
    assertError("ERR decrement would overflow", "DECRBY", k, Long.toString(Long.MIN_VALUE));
    String ttl = key();
    cmd("SET", ttl, "5", "EX", "100");
    cmd("INCR", ttl);
    assertThat((Long) cmd("TTL", ttl)).as("INCR keeps the TTL").isBetween(99L, 100L);
  }

  @Test
  void incrbyfloat_behavesAsRedis() {
    String k = key();
    cmd("SET", k, "10.50");
    assertThat(cmd("INCRBYFLOAT", k, "0.1")).isEqualTo("10.6");
    assertThat(cmd("INCRBYFLOAT", k, "-5")).isEqualTo("5.6");
    cmd("SET", k, "5.0e3");
    assertThat(cmd("INCRBYFLOAT", k, "2.0e2")).isEqualTo("5200");
    assertThat(cmd("INCRBYFLOAT", key(), "3")).isEqualTo("3");
    assertError("ERR value is not a valid float", "INCRBYFLOAT", k, "abc");
    assertError("ERR increment would produce NaN or Infinity", "INCRBYFLOAT", k, "inf");
    assertError("ERR increment would produce NaN or Infinity", "INCRBYFLOAT", k, "1e999999999");
    assertThat(cmd("INCRBYFLOAT", k, "1e-999999999")).as("far below any float: zero")
        .isEqualTo("5200");
  }

  @Test
  void msetMgetMsetnx_acrossOwners() {
    String a = key();
    String b = key();
    String missing = key();
    assertThat(cmd("MSET", a, "1", b, "2")).isEqualTo("OK");
    assertThat(cmd("MGET", a, missing, b)).isEqualTo(java.util.Arrays.asList("1", null, "2"));
    assertError("ERR wrong number of arguments for 'mset' command", "MSET", a, "1", b);
    String c = key();
    assertThat(cmd("MSETNX", c, "1")).isEqualTo(1L);
    assertThat(cmd("MSETNX", c, "2")).isEqualTo(0L);
    assertThatThrownBy(() -> cmd("MSETNX", key(), "1", key(), "2"))
        .hasMessageStartingWith("ERR MSETNX of more than one key is not supported");
  }

  @Test
  void mget_answerOverTheFrameLimit_refusedNamingIt() {
    String onOne = null;
    String onTwo = null;
    for (String k : RespTestSupport.keysNotOn(entry, "big-mget-", 40)) {
      String primary = entry.topology().readReplicas(io.ringcache.protocol.Key.of(k).position())
          .get(0).name();
      if (primary.equals(cluster.node(1).name()) && onOne == null) {
        onOne = k;
      } else if (primary.equals(cluster.node(2).name()) && onTwo == null) {
        onTwo = k;
      }
    }
    String a = onOne;
    String b = onTwo;
    String big = "b".repeat(700 * 1024);
    cmd("SET", a, big);
    cmd("SET", b, big);
    assertThat(cmd("MGET", a)).isEqualTo(List.of(big));
    assertThatThrownBy(() -> cmd("MGET", a, b))
        .hasMessageStartingWith("ERR MGET answer would hold 1433600 bytes of values, limit is"
            + " 1115136 (maxFrameBytes)");
    assertThat(jedis.ping()).as("the connection goes on").isEqualTo("PONG");
  }

  // ------------------------------------------------------------------ keys

  @Test
  void delExistsTouchType_countKeys() {
    String a = key();
    String b = key();
    cmd("SET", a, "1");
    cmd("SET", b, "2");
    assertThat(cmd("EXISTS", a, b, a, key())).isEqualTo(3L);
    assertThat(cmd("TOUCH", a, key())).isEqualTo(1L);
    assertThat(cmd("TYPE", a)).isEqualTo("string");
    assertThat(cmd("TYPE", key())).isEqualTo("none");
    assertThat(cmd("DEL", a, b, key())).isEqualTo(2L);
    assertThat(cmd("UNLINK", a)).isEqualTo(0L);
    assertThat(cmd("EXISTS", a, b)).isEqualTo(0L);
  }

  @Test
  void ttlAndExpireFamily_behaveAsRedis() {
    String k = key();
    assertThat(cmd("TTL", k)).isEqualTo(-2L);
    assertThat(cmd("PTTL", k)).isEqualTo(-2L);
    assertThat(cmd("EXPIRE", k, "10")).isEqualTo(0L);
    cmd("SET", k, "v");
    assertThat(cmd("TTL", k)).isEqualTo(-1L);
    assertThat(cmd("PERSIST", k)).isEqualTo(0L);
    assertThat(cmd("EXPIRE", k, "100", "XX")).isEqualTo(0L);
    assertThat(cmd("EXPIRE", k, "100", "NX")).isEqualTo(1L);
    assertThat(cmd("EXPIRE", k, "50", "GT")).isEqualTo(0L);
    assertThat(cmd("EXPIRE", k, "200", "GT")).isEqualTo(1L);
    assertThat((Long) cmd("TTL", k)).isBetween(199L, 200L);
    assertThat(cmd("PEXPIRE", k, "300000", "LT")).isEqualTo(0L);
    assertThat(cmd("PEXPIRE", k, "150000")).isEqualTo(1L);
    assertThat((Long) cmd("PTTL", k)).isBetween(140_000L, 150_000L);
    assertThat(cmd("EXPIREAT", k, Long.toString(System.currentTimeMillis() / 1000 + 500)))
        .isEqualTo(1L);
    assertThat((Long) cmd("TTL", k)).isBetween(498L, 500L);
    assertThat(cmd("PERSIST", k)).isEqualTo(1L);
    assertThat(cmd("TTL", k)).isEqualTo(-1L);
    assertThat(cmd("GET", k)).as("the value survives TTL changes").isEqualTo("v");
    assertError("ERR NX and XX, GT or LT options at the same time are not compatible",
        "EXPIRE", k, "1", "NX", "XX");
    assertError("ERR GT and LT options at the same time are not compatible",
        "EXPIRE", k, "1", "GT", "LT");
    assertThat(cmd("PEXPIREAT", k, Long.toString(System.currentTimeMillis() - 1)))
        .isEqualTo(1L);
    assertThat(cmd("EXISTS", k)).as("a deadline in the past deletes").isEqualTo(0L);
  }

  @Test
  void binaryKeysAndValues_roundTrip() {
    byte[] key = {(byte) 0xff, 0, '\r', '\n', (byte) 0xc3};
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    assertThat(jedis.set(key, value)).isEqualTo("OK");
    assertThat(jedis.get(key)).isEqualTo(value);
    byte[] empty = new byte[0];
    assertThat(jedis.set(empty, value)).isEqualTo("OK");
    assertThat(jedis.get(empty)).isEqualTo(value);
    assertThat(jedis.exists(key)).isTrue();
    assertThat(jedis.del(key)).isEqualTo(1L);
  }

  @Test
  void limits_keyAndValueOverLimit_getErrorsNamingTheLimit() {
    assertThatThrownBy(() -> cmd("SET", "k".repeat(2_000), "v"))
        .hasMessageContaining("limit is 1024 (maxKeyBytes)");
    String k = key();
    cmd("SET", k, "x");
    assertThatThrownBy(() -> cmd("APPEND", k, "y".repeat(1024 * 1024)))
        .hasMessage("ERR string exceeds maximum allowed size (1048576 bytes, maxValueBytes)");
    assertThat(cmd("STRLEN", k)).isEqualTo(1L);
    assertThatThrownBy(() -> cmd("SET", key(), "z".repeat(1024 * 1024 + 1)))
        .hasMessage("ERR Protocol error: invalid bulk length: 1048577 bytes, limit is 1048576"
            + " (maxValueBytes)");
  }

  // ------------------------------------------------------------------ connection and server

  @Test
  void unknownCommandAndArity_answerAsRedis() {
    assertError("ERR unknown command 'foo', with args beginning with: 'a' 'b' ", "foo", "a",
        "b");
    assertError("ERR wrong number of arguments for 'get' command", "GET");
    assertError("ERR wrong number of arguments for 'ping' command", "PING", "a", "b");
  }

  @Test
  void connectionCommands_behaveAsRedis() {
    assertThat(jedis.ping()).isEqualTo("PONG");
    assertThat(cmd("PING", "hi")).isEqualTo("hi");
    assertThat(jedis.echo("echo")).isEqualTo("echo");
    assertThat(jedis.select(0)).isEqualTo("OK");
    assertError("ERR DB index is out of range", "SELECT", "1");
    assertThat(cmd("CLIENT", "GETNAME")).isNull();
    assertThat(cmd("CLIENT", "SETNAME", "tester")).isEqualTo("OK");
    assertThat(cmd("CLIENT", "GETNAME")).isEqualTo("tester");
    assertError("ERR Client names cannot contain spaces, newlines or special characters.",
        "CLIENT", "SETNAME", "a b");
    assertThat((Long) cmd("CLIENT", "ID")).isPositive();
    assertThat(cmd("CLIENT", "SETINFO", "LIB-NAME", "x")).isEqualTo("OK");
    assertThatThrownBy(() -> cmd("AUTH", "x")).hasMessageStartingWith(
        "ERR AUTH <password> called without any password configured");
  }

  @Test
  void serverCommands_answerAsRedis() {
    assertThat(cmd("COMMAND", "COUNT")).as("the 47 commands of docs/resp.md").isEqualTo(47L);
    @SuppressWarnings("unchecked")
    List<Object> info = (List<Object>) ((List<Object>) cmd("COMMAND", "INFO", "get")).get(0);
    assertThat(info.subList(0, 2)).containsExactly("get", 2L);
    assertThat(cmd("COMMAND", "INFO", "nosuch"))
        .isEqualTo(java.util.Collections.singletonList(null));
    assertThat((String) cmd("INFO")).contains("# Server", "redis_version:", "# Keyspace");
    assertThat((String) cmd("INFO", "memory")).contains("used_memory:").doesNotContain("# Server");
    assertThat(cmd("CONFIG", "GET", "maxmemory*")).asList().contains("maxmemory");
    assertThat((Long) cmd("DBSIZE")).isNotNegative();
    @SuppressWarnings("unchecked")
    List<Object> time = (List<Object>) cmd("TIME");
    assertThat(Long.parseLong((String) time.get(0)))
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
  }
}
