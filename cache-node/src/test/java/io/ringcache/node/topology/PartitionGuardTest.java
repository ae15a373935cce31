package io.ringcache.node.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.cluster.PartitionPolicy;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The quorum rule against a simulated membership view: the test sets which members this node
 * sees live and which topologies it installs. {@code SplitBrainTest} runs it under a real
 * partition.
 */
class PartitionGuardTest {

  private final List<String> live = new CopyOnWriteArrayList<>();

  private PartitionGuard guard(PartitionPolicy policy) {
    return new PartitionGuard(policy, () -> live);
  }

  private static Ring ring(String... names) {
    Ring.Builder b = Ring.builder();
    for (int i = 0; i < names.length; i++) {
      b.add(Member.of(names[i]), Long.MIN_VALUE / 2 + i * (Long.MAX_VALUE / names.length));
    }
    return b.build();
  }

  private static List<NodeAddress> nodes(String... names) {
    List<NodeAddress> nodes = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      nodes.add(new NodeAddress(names[i], "127.0.0.1", 7001 + i, 8001 + i, NodeAddress.State.UP));
    }
    return nodes;
  }

  private static Topology stable(long epoch, String... names) {
    return Topology.stable(epoch, 2, nodes(names), ring(names));
  }

  @Test
  void refusal_minorityOfLastStable_refusesAndNamesTheCount() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(stable(5, "a", "b", "c", "d", "e"));
    live.addAll(List.of("a", "b"));

    assertThat(guard.verdict()).isEqualTo(new PartitionGuard.Verdict(2, 5));
    assertThat(guard.refusal()).contains("sees 2 of the 5 members");
  }

  @Test
  void refusal_majorityOfLastStable_serves() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(stable(5, "a", "b", "c", "d", "e"));
    live.addAll(List.of("c", "d", "e"));

    assertThat(guard.refusal()).isNull();
  }

  @Test
  void refusal_exactlyHalf_refuses() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(stable(3, "a", "b", "c", "d"));
    live.addAll(List.of("a", "b"));

    assertThat(guard.refusal()).isNotNull();
  }

  @Test
  void refusal_membersThatJoinedSinceTheBase_doNotCount() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(stable(5, "a", "b", "c"));
    live.addAll(List.of("a", "x", "y", "z"));

    assertThat(guard.verdict()).isEqualTo(new PartitionGuard.Verdict(1, 3));
    assertThat(guard.refusal()).isNotNull();
  }

  @Test
  void installed_rebalanceTopology_keepsTheStableBase() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(stable(5, "a", "b", "c"));
    // A TRANSFER that drops b and c (what a minority coordinator could begin) changes nothing.
    guard.installed(new Topology(6, 2, Topology.Phase.TRANSFER, nodes("a", "b", "c"),
        ring("a", "b", "c"), ring("a")));
    live.add("a");

    assertThat(guard.verdict()).isEqualTo(new PartitionGuard.Verdict(1, 3));
  }

  @Test
  void installed_beforeAnyStable_baseIsBothRings() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(new Topology(2, 2, Topology.Phase.TRANSFER, nodes("a", "b", "c"),
        ring("a"), ring("a", "b", "c")));
    live.add("a");

    assertThat(guard.verdict()).isEqualTo(new PartitionGuard.Verdict(1, 3));
  }

  @Test
  void refusal_noTopologyYet_serves() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    guard.installed(Topology.initial(2));

    assertThat(guard.refusal()).isNull();
  }

  @Test
  void refusal_available_neverRefuses() {
    PartitionGuard guard = guard(PartitionPolicy.AVAILABLE);
    guard.installed(stable(5, "a", "b", "c"));
    live.add("a");

    assertThat(guard.refusal()).isNull();
  }

  @Test
  void onHeal_firesOnceWhenTheMajorityReturns() {
    PartitionGuard guard = guard(PartitionPolicy.MAJORITY);
    AtomicInteger heals = new AtomicInteger();
    guard.onHeal(heals::incrementAndGet);
    live.addAll(List.of("a", "b", "c"));
    guard.installed(stable(5, "a", "b", "c"));

    live.removeAll(List.of("b", "c"));
    guard.check();
    guard.check();
    assertThat(heals).hasValue(0);

    live.addAll(List.of("b", "c"));
    guard.check();
    guard.check();
    assertThat(heals).hasValue(1);
  }
}
