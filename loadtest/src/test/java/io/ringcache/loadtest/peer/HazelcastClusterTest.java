package io.ringcache.loadtest.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The launcher's own promises; {@code HazelcastTargetTest} covers a two-member cluster. */
class HazelcastClusterTest {

  static final Path LOG_ROOT = Path.of("target", "hazelcast-cluster");

  @Test
  void stop_sigterm_memberShutsDownAndExits() throws Exception {
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(1).backupCount(0)
        .jvmOptions("-Xmx128m", "-XX:+UseSerialGC").logRoot(LOG_ROOT).start()) {
      cluster.awaitReady();
      HazelcastMember member = cluster.members().get(0);
      String command = Files.readAllLines(member.log()).get(0);
      assertThat(command).contains(" -Xmx128m -XX:+UseSerialGC --add-exports ")
          .contains(" io.ringcache.loadtest.peer.HazelcastMemberMain --name member-1 ")
          .contains("--cluster-name " + cluster.clusterName());

      assertThat(cluster.stop("member-1")).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(ProcessHandle.of(member.pid()).map(ProcessHandle::isAlive).orElse(false))
          .isFalse();
      assertThat(Files.readString(member.log())).contains(HazelcastMemberMain.STOPPED);
      assertThat(cluster.members()).isEmpty();
    }
  }

  @Test
  void awaitReady_memberCannotStart_failsNamingTheLog() {
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(1)
        .classpath(LOG_ROOT.resolve("no-such.jar").toString()).logRoot(LOG_ROOT).start()) {
      assertThatThrownBy(() -> cluster.awaitReady(Duration.ofSeconds(30)))
          .isInstanceOf(HazelcastClusterException.class)
          .hasMessageContaining("member 'member-1'")
          .hasMessageContaining("exited while waiting for readiness")
          .hasMessageContaining(cluster.logDirectory().resolve("member-1.log").toString());
    }
  }
}
