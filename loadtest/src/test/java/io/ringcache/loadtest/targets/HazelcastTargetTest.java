package io.ringcache.loadtest.targets;

import static io.ringcache.loadtest.targets.RoundTrips.await;
import static io.ringcache.loadtest.targets.RoundTrips.bytes;
import static io.ringcache.loadtest.targets.RoundTrips.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringcache.loadtest.peer.HazelcastCluster;
import io.ringcache.loadtest.peer.HazelcastMember;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@link HazelcastTarget} against two member processes with one backup each. */
class HazelcastTargetTest {

  @Test
  void roundTrips_twoMembersBackupOne_survivesAKillAndCloseLeavesNoProcess() throws Exception {
    List<HazelcastMember> started;
    HazelcastCluster closed;
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(2).backupCount(1)
        .logRoot(Path.of("target", "hazelcast-cluster")).start()) {
      closed = cluster;
      long begin = System.nanoTime();
      cluster.awaitReady();
      System.out.printf("hazelcast cluster of 2 ready in %d ms%n",
          (System.nanoTime() - begin) / 1_000_000);
      started = cluster.members();
      assertThat(cluster.addresses()).hasSize(2).allMatch(a -> a.startsWith("127.0.0.1:"));

      try (HazelcastTarget target = HazelcastTarget.builder().clusterName(cluster.clusterName())
          .members(cluster.addresses()).connect()) {
        assertThat(target.name()).isEqualTo("hazelcast");
        assertThat(target.client().getCluster().getMembers()).hasSize(2);

        assertThat(RoundTrips.check(target)).isEqualTo(Target.NO_VERSION);

        // Completions run on Hazelcast's own threads (or the caller's, when already complete),
        // never on a pool the target does not own.
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<Long> put = target.put("thread-check", bytes("x"));
        await(put.whenComplete((v, e) -> thread.set(Thread.currentThread().getName())));
        assertThat(thread.get()).matches(n -> n.startsWith("hz.")
            || n.equals(Thread.currentThread().getName()), "a Hazelcast or the test thread");

        // Backup count 1: every entry survives the loss of one member.
        List<CompletableFuture<Long>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          puts.add(target.put("survivor-" + i, bytes("v" + i)));
        }
        for (CompletableFuture<Long> p : puts) {
          assertThat(await(p)).isEqualTo(Target.NO_VERSION);
        }
        assertThat(cluster.kill("member-2")).as("exit code after SIGKILL").isEqualTo(137);
        cluster.awaitReady();
        for (int i = 0; i < 200; i++) {
          Target.Read read = await(target.get("survivor-" + i));
          assertThat(read).as("survivor-%d after member-2 was killed", i).isNotNull();
          assertThat(text(read.value())).isEqualTo("v" + i);
        }
      }
    }
    assertThat(started).hasSize(2);
    for (HazelcastMember m : started) {
      assertThat(ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false))
          .as("member %s (pid %d) after close", m.name(), m.pid()).isFalse();
    }
    assertThat(closed.members()).isEmpty();
    assertThatThrownBy(() -> closed.start("member-3")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void calls_afterClose_failTheFutureInsteadOfThrowing() throws Exception {
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(1).backupCount(0)
        .logRoot(Path.of("target", "hazelcast-cluster")).start()) {
      cluster.awaitReady();
      HazelcastTarget target = HazelcastTarget.builder().clusterName(cluster.clusterName())
          .members(cluster.addresses()).connect();
      target.close();
      CompletableFuture<Target.Read> get = target.get("k");
      assertThat(get).isCompletedExceptionally();
    }
  }

  /**
   * The peer's near cache is on and invalidated: a second read is a near-cache hit, and another
   * client's write reaches the reader (the comparison would flatter nobody if it were off).
   */
  @Test
  void nearCache_servesRepeatedReadsAndIsInvalidatedByAnotherClientsWrite() throws Exception {
    try (HazelcastCluster cluster = HazelcastCluster.builder().members(1).backupCount(0)
        .logRoot(Path.of("target", "hazelcast-cluster")).start()) {
      cluster.awaitReady();
      try (HazelcastTarget reader = HazelcastTarget.builder().clusterName(cluster.clusterName())
              .members(cluster.addresses()).nearCache(100).connect();
          HazelcastTarget writer = HazelcastTarget.builder()
              .clusterName(cluster.clusterName()).members(cluster.addresses()).connect()) {
        assertThat(reader.name()).isEqualTo(HazelcastTarget.NEAR_CACHE_NAME);
        await(writer.put("k", bytes("one")));
        // The near cache is filled as the first answer completes, so a read right after it may
        // still miss: read until one hits.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
            text(await(reader.get("k")).value()).equals("one")
                && reader.nearCacheHitsAndMisses()[0] > 0);

        await(writer.put("k", bytes("two")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(
            () -> text(await(reader.get("k")).value()).equals("two"));
      }
    }
  }
}
