package io.ringcache.node.cluster;

import static io.ringcache.node.cluster.MembershipCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three members in one JVM, started once for the class and shared by the tests that leave
 * membership as it is; each test depends on no other one, in any order. The test in which the
 * oldest member leaves starts a cluster of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterMembershipTest {

  private static final Duration WAIT = Duration.ofSeconds(MembershipCluster.TIMEOUT_SECONDS);
  private static final List<String> NAMES = List.of("alpha", "bravo", "charlie");

  private final MembershipCluster cluster = new MembershipCluster();
  private ClusteredNode alpha;
  private ClusteredNode bravo;
  private ClusteredNode charlie;

  @BeforeAll
  void startCluster() {
    alpha = cluster.start(cluster.settings("alpha").zone("z1").weight(2.0).build());
    bravo = cluster.start("bravo");
    charlie = cluster.start("charlie");
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  private List<ClusteredNode> nodes() {
    return List.of(alpha, bravo, charlie);
  }

  @Test
  void members_threeMembers_everyMemberSeesAllNamesInJoinOrder() {
    for (ClusteredNode node : nodes()) {
      await().atMost(WAIT).until(() -> node.membership().members().size() == 3);
    }
    for (ClusteredNode node : nodes()) {
      Membership membership = node.membership();
      assertThat(membership.snapshot().names()).containsExactlyElementsOf(NAMES);
      assertThat(membership.members())
          .extracting(MemberView::clientAddress)
          .containsExactlyElementsOf(
              nodes().stream().map(n -> "127.0.0.1:" + n.settings().clientPort()).toList());
      assertThat(membership.members())
          .extracting(MemberView::httpPort)
          .containsExactlyElementsOf(nodes().stream().map(n -> n.settings().httpPort()).toList());
      assertThat(membership.self().name()).isEqualTo(node.settings().memberName());
      assertThat(membership.self().uuid())
          .isEqualTo(node.hazelcast().getCluster().getLocalMember().getUuid());
    }
    MemberView first = bravo.membership().members().get(0);
    assertThat(first.zone()).isEqualTo("z1");
    assertThat(first.toRingMember().weight()).isEqualTo(2.0);
    assertThat(bravo.membership().members().get(1).zone()).isEmpty();
  }

  @Test
  void isOldest_threeMembers_trueOnTheFirstOnly() {
    for (ClusteredNode node : nodes()) {
      await().atMost(WAIT).until(() -> node.membership().members().size() == 3);
    }
    assertThat(nodes()).filteredOn(n -> n.membership().isOldest()).containsExactly(alpha);
    for (ClusteredNode node : nodes()) {
      assertThat(node.membership().oldest().name()).isEqualTo("alpha");
    }
  }

  @Test
  void refresh_duplicateAndInitialEvents_doNotBumpTheVersion() {
    Vertx vertx = bravo.vertx();
    Context context = vertx.getOrCreateContext();
    HazelcastMembership second = new HazelcastMembership(bravo.hazelcast().getCluster(), context);
    try {
      await(runOn(context, second::start));
      await().atMost(WAIT).until(() -> second.members().size() == 3);
      long version = second.snapshot().version();
      await(runOn(context, second::refresh));
      await(runOn(context, second::refresh));
      assertThat(second.snapshot().version()).isEqualTo(version);
      assertThat(second.snapshot().names()).containsExactlyElementsOf(NAMES);
    } finally {
      second.close();
    }
  }

  @Test
  void publishIfNewer_staleEpoch_isRejectedAndOthersReadTheStoredOne() {
    byte[] five = "epoch five".getBytes(StandardCharsets.UTF_8);
    assertThat(await(alpha.state().load())).isEmpty();
    assertThat(await(alpha.state().publishIfNewer(5, five))).isTrue();
    assertThat(await(bravo.state().publishIfNewer(4, new byte[] {4}))).isFalse();
    assertThat(await(charlie.state().publishIfNewer(5, new byte[] {5}))).isFalse();

    Optional<StoredTopology> read = await(bravo.state().load());
    assertThat(read).contains(new StoredTopology(5, five));

    assertThat(await(charlie.state().publishIfNewer(6, new byte[] {6}))).isTrue();
    assertThat(await(alpha.state().load())).contains(new StoredTopology(6, new byte[] {6}));
  }

  @Test
  void publishIfNewer_nonPositiveEpoch_failsTheFuture() {
    assertThat(alpha.state().publishIfNewer(0, new byte[0]).cause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch must be positive, was 0");
  }

  @Test
  void eventBus_requestFromOneMemberToAnother_isAnswered() {
    await(
        bravo
            .vertx()
            .eventBus()
            .consumer("test.echo", m -> m.reply("echo " + m.body()))
            .completion());
    Object answer = await(charlie.vertx().eventBus().request("test.echo", "hi")).body();
    assertThat(answer).isEqualTo("echo hi");
  }

  @Test
  void onChange_oldestLeaves_nextOldestTakesOverAndListenersFire() {
    try (MembershipCluster own = new MembershipCluster()) {
      ClusteredNode first = own.start("first");
      ClusteredNode second = own.start("second");
      ClusteredNode third = own.start("third");
      await().atMost(WAIT).until(() -> third.membership().members().size() == 3
          && second.membership().members().size() == 3);
      assertThat(await(first.state().publishIfNewer(6, new byte[] {6}))).isTrue();
      List<MembershipSnapshot> seenBySecond = new CopyOnWriteArrayList<>();
      List<MembershipSnapshot> seenByThird = new CopyOnWriteArrayList<>();
      List<Boolean> onContext = new CopyOnWriteArrayList<>();
      long secondVersion = second.membership().snapshot().version();
      second
          .membership()
          .onChange(
              s -> {
                onContext.add(Vertx.currentContext() != null);
                seenBySecond.add(s);
              });
      third.membership().onChange(seenByThird::add);

      own.stop(first);
      await().atMost(WAIT).until(() -> second.membership().isOldest());
      await().atMost(WAIT).until(() -> third.membership().members().size() == 2);

      assertThat(third.membership().isOldest()).isFalse();
      assertThat(third.membership().oldest().name()).isEqualTo("second");
      await().atMost(WAIT).until(() -> !seenBySecond.isEmpty() && !seenByThird.isEmpty());
      MembershipSnapshot last = seenBySecond.get(seenBySecond.size() - 1);
      assertThat(last.names()).containsExactly("second", "third");
      assertThat(last.isOldest()).isTrue();
      assertThat(last.version()).isGreaterThan(secondVersion);
      assertThat(seenBySecond).extracting(MembershipSnapshot::version).isSorted();
      assertThat(onContext).containsOnly(true);
      assertThat(seenByThird.get(seenByThird.size() - 1).names())
          .containsExactly("second", "third");
      // The topology stored in the cluster-wide map outlives the member that published it.
      assertThat(await(second.state().load()).map(StoredTopology::epoch)).contains(6L);
    }
  }

  private static Future<Void> runOn(Context context, Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          action.run();
          done.complete();
        });
    return done.future();
  }
}
