package io.ringcache.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.ReplicaEntry;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.PositionRange;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A RECONCILE_RANGE answer fits one frame whatever it carries: with the default limits a value of
 * nearly 1 MiB beside a long list of wanted keys made an answer larger than the frame limit, which
 * could not be sent, so that range was never repaired.
 */
class RangeRepairAnswerTest {

  private static final ProtocolLimits LIMITS = ProtocolLimits.defaults();
  private static final FrameCodec CODEC = new FrameCodec(LIMITS);
  private static final HybridClock CLOCK = HybridClock.forNode("answerer");

  private final LocalStore store = LocalStore.create(
      new StoreConfig(64 << 20, Duration.ofSeconds(60)), CLOCK);

  private void hold(String key, int valueBytes) {
    store.apply(StoreKey.of(key), ReplicaEntry.value(new byte[valueBytes], CLOCK.next(),
        ReplicaEntry.NO_TTL));
  }

  /** The sender holds {@code count} keys this node lacks, {@code keyBytes} long each. */
  private static Request.ReconcileRange senderHolds(int count, int keyBytes) {
    List<Request.ReconcileRange.Held> held = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = String.format("%0" + keyBytes + "d", i);
      held.add(new Request.ReconcileRange.Held(Key.of(name), 5, false));
    }
    return new Request.ReconcileRange(PositionRange.ALL, held);
  }

  private static int encodedBytes(Response r) {
    return CODEC.encodeResponse(io.ringcache.protocol.Opcode.RECONCILE_RANGE, 1, 1, 0, r)
        .length();
  }

  @Test
  void bigValueBesideManyWantedKeys_waitsForTheNextAsk_andTheAnswerFitsTheFrame() {
    hold("big", LIMITS.maxValueBytes() - 100);
    Request.ReconcileRange ask = senderHolds(1_000, 120);

    Response.Reconciled answer = (Response.Reconciled) RangeRepairPath.reconciled(store, ask,
        LIMITS.maxFrameBytes());

    assertThat(answer.wanted()).hasSize(1_000);
    assertThat(answer.newer().size()).as("entries beside the wanted keys: the big one waits")
        .isZero();
    assertThat(answer.more()).isTrue();
    assertThat(encodedBytes(answer)).isLessThanOrEqualTo(LIMITS.maxFrameBytes());

    // The sender pushed what was wanted and asks again: now the entry goes, alone.
    Response.Reconciled next = (Response.Reconciled) RangeRepairPath.reconciled(store,
        new Request.ReconcileRange(PositionRange.ALL, List.of()), LIMITS.maxFrameBytes());
    assertThat(next.newer().size()).isEqualTo(1);
    assertThat(next.more()).isFalse();
    assertThat(encodedBytes(next)).isLessThanOrEqualTo(LIMITS.maxFrameBytes());
  }

  @Test
  void smallEntriesBesideWantedKeys_stillGoInTheSameAnswer() {
    for (int i = 0; i < 10; i++) {
      hold("small-" + i, 100);
    }
    Response.Reconciled answer = (Response.Reconciled) RangeRepairPath.reconciled(store,
        senderHolds(1_000, 120), LIMITS.maxFrameBytes());

    assertThat(answer.wanted()).hasSize(1_000);
    assertThat(answer.newer()).hasSize(10);
    assertThat(answer.more()).isFalse();
  }
}
