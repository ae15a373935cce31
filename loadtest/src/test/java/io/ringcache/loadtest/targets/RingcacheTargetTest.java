package io.ringcache.loadtest.targets;

import static io.ringcache.loadtest.targets.RoundTrips.await;
import static io.ringcache.loadtest.targets.RoundTrips.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.loadtest.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RingcacheTarget} against three real node processes. */
class RingcacheTargetTest {

  @Test
  void roundTrips_threeNodeLocalCluster_versionsFromTheNodes() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder().nodes(3)
        .logRoot(Path.of("target", "local-cluster")).start()) {
      cluster.awaitReady();
      try (RingcacheTarget target = RingcacheTarget.connect(cluster.seeds(), 1)) {
        assertThat(target.name()).isEqualTo("ringcache");

        long version = RoundTrips.check(target);
        assertThat(version).as("version of the first put").isPositive();

        String key = "versions-" + System.nanoTime();
        long first = await(target.put(key, bytes("1")));
        long second = await(target.put(key, bytes("2")));
        assertThat(second).as("a later write's version").isGreaterThan(first);
        assertThat(await(target.get(key)).version()).isEqualTo(second);
        assertThat(await(target.getAll(List.of(key))).get(key).version())
            .isEqualTo(second);
      }
    }
  }
}
