package io.ringcache.node.resp;

import static io.ringcache.node.resp.RespTestSupport.respPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.node.testing.TestCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** SCAN and FLUSHDB through Jedis on three nodes with RF=2: the whole default cache, once. */
class RespKeyspaceTest {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, RespTestSupport.withResp()).start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void scan_returnsEveryKeyOnce_matchFilters_flushdbEmptiesTheCluster() {
    try (Jedis jedis = new Jedis("127.0.0.1", respPort(cluster.node(0)), 10_000)) {
      Set<String> users = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        jedis.set("user:" + i, "u");
        users.add("user:" + i);
        jedis.set("order:" + i, "o");
      }
      assertThat(scanAll(jedis, new ScanParams().count(15).match("user:*"))).isEqualTo(users);
      List<String> all = new ArrayList<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(50));
        all.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      assertThat(all).hasSize(400).doesNotHaveDuplicates();
      assertThat(scanAll(jedis, new ScanParams().count(100).match("order:1?"))).hasSize(10);

      assertThatThrownBy(() -> jedis.scan("not-a-cursor"))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR invalid cursor");

      assertThat(jedis.flushDB()).isEqualTo("OK");
      assertThat(scanAll(jedis, new ScanParams().count(100))).isEmpty();
      try (Jedis other = new Jedis("127.0.0.1", respPort(cluster.node(2)), 10_000)) {
        assertThat(other.get("user:3")).isNull();
        other.set("after", "flush");
      }
      assertThat(jedis.get("after")).isEqualTo("flush");
    }
  }

  private static Set<String> scanAll(Jedis jedis, ScanParams params) {
    Set<String> out = new HashSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = jedis.scan(cursor, params);
      out.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return out;
  }

  @Test
  void glob_followsRedisSyntax() {
    assertThat(Glob.matches("user:*", "user:12")).isTrue();
    assertThat(Glob.matches("user:*", "order:12")).isFalse();
    assertThat(Glob.matches("h?llo", "hello")).isTrue();
    assertThat(Glob.matches("h?llo", "hllo")).isFalse();
    assertThat(Glob.matches("h[ae]llo", "hallo")).isTrue();
    assertThat(Glob.matches("h[^e]llo", "hello")).isFalse();
    assertThat(Glob.matches("h[a-b]llo", "hbllo")).isTrue();
    assertThat(Glob.matches("a\\*b", "a*b")).isTrue();
    assertThat(Glob.matches("a\\*b", "axb")).isFalse();
    assertThat(Glob.matches("*a*b*", "xxaxxbxx")).isTrue();
    assertThat(Glob.matches("*", "")).isTrue();
  }
}
