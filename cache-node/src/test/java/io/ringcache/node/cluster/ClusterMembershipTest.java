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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** Three members in one JVM, started once for the class; the last test closes the oldest. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterMembershipTest {

  private static final Duration WAIT = Duration.ofSeconds(MembershipCluster.TIMEOUT_SECONDS);
  private static final List<String> NAMES = List.of("alpha", "bravo", "charlie");

  private final MembershipCluster cluster = new MembershipCluster();
  private ClusteredNode alpha;
  private ClusteredNode bravo;
  private ClusteredNode charlie;

  @BeforeAll
  void startCluster() {
    long t0 = System.nanoTime();
    alpha = cluster.start(cluster.settings("alpha", 17001).zone("z1").weight(2.0).build());
    long t1 = System.nanoTime();
    bravo = cluster.start("bravo", 17002);
    charlie = cluster.start("charlie", 17003);
    long t2 = System.nanoTime();
    System.out.printf(
        "cluster formation: first member %d ms, two more %d ms%n",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  private List<ClusteredNode> nodes() {
    return List.of(alpha, bravo, charlie);
  }

  @Test
  @Order(1)
  void members_threeMembers_everyMemberSeesAllNamesInJoinOrder() {
    for (ClusteredNode node : nodes()) {
      await().atMost(WAIT).until(() -> node.membership().members().size() == 3);
    }
    for (ClusteredNode node : nodes()) {
      Membership membership = node.membership();
      assertThat(membership.snapshot().names()).containsExactlyElementsOf(NAMES);
      assertThat(membership.members())
          .extracting(MemberView::clientAddress)
          .containsExactly("127.0.0.1:17001", "127.0.0.1:17002", "127.0.0.1:17003");
      assertThat(membership.members())
          .extracting(MemberView::httpPort)
          .containsExactly(18001, 18002, 18003);
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
  @Order(2)
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
  @Order(3)
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
  @Order(4)
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
  @Order(5)
  void publishIfNewer_nonPositiveEpoch_failsTheFuture() {
    assertThat(alpha.state().publishIfNewer(0, new byte[0]).cause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epoch must be positive, was 0");
  }

  @Test
  @Order(6)
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
  @Order(7)
  void onChange_oldestLeaves_nextOldestTakesOverAndListenersFire() {
    List<MembershipSnapshot> seenByBravo = new CopyOnWriteArrayList<>();
    List<MembershipSnapshot> seenByCharlie = new CopyOnWriteArrayList<>();
    List<Boolean> onContext = new CopyOnWriteArrayList<>();
    long bravoVersion = bravo.membership().snapshot().version();
    bravo
        .membership()
        .onChange(
            s -> {
              onContext.add(Vertx.currentContext() != null);
              seenByBravo.add(s);
            });
    charlie.membership().onChange(seenByCharlie::add);

    long t0 = System.nanoTime();
    cluster.stop(alpha);
    await().atMost(WAIT).until(() -> bravo.membership().isOldest());
    await().atMost(WAIT).until(() -> charlie.membership().members().size() == 2);
    System.out.printf(
        "oldest left: takeover seen after %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(charlie.membership().isOldest()).isFalse();
    assertThat(charlie.membership().oldest().name()).isEqualTo("bravo");
    await().atMost(WAIT).until(() -> !seenByBravo.isEmpty() && !seenByCharlie.isEmpty());
    MembershipSnapshot last = seenByBravo.get(seenByBravo.size() - 1);
    assertThat(last.names()).containsExactly("bravo", "charlie");
    assertThat(last.isOldest()).isTrue();
    assertThat(last.version()).isGreaterThan(bravoVersion);
    assertThat(seenByBravo).extracting(MembershipSnapshot::version).isSorted();
    assertThat(onContext).containsOnly(true);
    assertThat(seenByCharlie.get(seenByCharlie.size() - 1).names())
        .containsExactly("bravo", "charlie");
    assertThat(await(bravo.state().load()).map(StoredTopology::epoch)).contains(6L);
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
