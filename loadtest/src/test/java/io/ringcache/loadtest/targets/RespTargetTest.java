package io.ringcache.loadtest.targets;

import static io.ringcache.loadtest.targets.RoundTrips.await;
import static io.ringcache.loadtest.targets.RoundTrips.bytes;
import static io.ringcache.loadtest.targets.RoundTrips.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringcache.loadtest.cluster.LocalCluster;
import io.ringcache.loadtest.cluster.PortAllocator;
import io.ringcache.loadtest.peer.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RespTarget} through Lettuce against a real {@code redis-server} (started by {@link
 * RedisServer}; CI installs Redis, elsewhere the test says it needs it) and against ringcache's
 * RESP ports: the same round trips every target passes.
 */
class RespTargetTest {

  @Test
  void roundTrips_redisServer_thenTheServerIsStopped() throws Exception {
    assumeTrue(RedisServer.executable().isPresent(),
        "needs redis-server on the PATH (Debian: apt-get install redis-server)");
    RedisServer redis = RedisServer.start(32L << 20, Path.of("target", "redis"));
    ProcessHandle process = ProcessHandle.of(redis.pid()).orElseThrow();
    try (redis; RespTarget target = RespTarget.connect("redis", List.of(redis.endpoint()))) {
      assertThat(target.name()).isEqualTo("redis");
      assertThat(RoundTrips.check(target)).isEqualTo(Target.NO_VERSION);
    }
    assertThat(process.isAlive()).as("redis-server stopped by close").isFalse();
  }

  @Test
  void roundTrips_ringcacheRespPorts_anyNodeServesAnyKey() throws Exception {
    LocalCluster.Builder builder = LocalCluster.builder().nodes(2)
        .logRoot(Path.of("target", "local-cluster"));
    List<String> endpoints = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      int port = PortAllocator.NODES.next();
      builder.nodeOptionsFor("node-" + i, "--resp-port", Integer.toString(port));
      endpoints.add("127.0.0.1:" + port);
    }
    try (LocalCluster cluster = builder.start()) {
      cluster.awaitReady();
      try (RespTarget target = RespTarget.connect("ringcache-resp", endpoints);
          RespTarget first = RespTarget.connect("node-1", endpoints.subList(0, 1));
          RespTarget second = RespTarget.connect("node-2", endpoints.subList(1, 2))) {
        RoundTrips.check(target);
        for (int i = 0; i < 20; i++) {
          String key = "resp-any-node-" + i;
          await(first.put(key, bytes("v" + i)));
          assertThat(text(await(second.get(key)).value())).isEqualTo("v" + i);
        }
      }
    }
  }

  @Test
  void connect_badEndpoint_failsWithTheEndpoint() {
    assertThatThrownBy(() -> RespTarget.connect("x", List.of("no-port")))
        .hasMessageContaining("no-port");
  }
}
