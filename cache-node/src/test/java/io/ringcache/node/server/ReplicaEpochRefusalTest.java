package io.ringcache.node.server;

import static io.ringcache.node.server.RouterHarness.OTHER;
import static io.ringcache.node.server.RouterHarness.SELF;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.RouterHarness.ScriptedPeers;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.StoreKey;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rebalancing.md, "Epoch check": a REPLICATE carries the epoch its sender routed by, and a
 * receiver on another epoch refuses it with WRONG_EPOCH, applying nothing. For an older epoch
 * that refusal is what keeps a write routed by an old owner set from landing on a range after
 * its transfer scanned it; the coordinating owner then fails the client's write as "maybe
 * applied" (UNAVAILABLE), never OK. {@code ReplicateBatchTest} covers a batch from a newer
 * epoch on a real node; here the receiver is one epoch ahead of the sender, the case the
 * promise is about, and the coordinator's side of the same refusal.
 */
class ReplicaEpochRefusalTest {

  private static final long EPOCH = 7;

  private final RouterHarness node = new RouterHarness();
  private final HybridClock sender = HybridClock.forNode("sender");

  ReplicaEpochRefusalTest() {
    node.topology.install(RouterHarness.twoOwners(EPOCH, RouterHarness.otherAt(3)));
  }

  @AfterEach
  void close() {
    node.close();
  }

  private Request.Replicate entry(String key) {
    return new Request.Replicate(Key.of(key), sender.next(), -1, false, Buffer.buffer("old"));
  }

  @Test
  void replicate_fromOlderEpoch_refusedWrongEpoch_nothingApplied() {
    node.start(RouterHarness.settings(true, false, 2_000), ctx -> ScriptedPeers.always(
        new Response.Ok()));

    Response r = node.serve(entry("late-write"), 0, EPOCH - 1);

    assertThat(r.status()).isEqualTo(Status.WRONG_EPOCH);
    assertThat(((Response.Failure) r).message()).contains("epoch " + EPOCH, "on " + (EPOCH - 1));
    assertThat(node.store.replicaOf(StoreKey.of("late-write"))).isNull();
    // The same entry on the receiver's epoch is applied: the refusal is the epoch's doing.
    assertThat(node.serve(entry("late-write"), 0, EPOCH).status()).isEqualTo(Status.OK);
    assertThat(node.store.replicaOf(StoreKey.of("late-write"))).isNotNull();
  }

  @Test
  void replicateBatch_fromOlderEpoch_refusedWhole_nothingApplied() {
    node.start(RouterHarness.settings(true, false, 2_000), ctx -> ScriptedPeers.always(
        new Response.Ok()));

    Response r = node.serve(new Request.ReplicateBatch(List.of(entry("old-a"), entry("old-b"))),
        0, EPOCH - 1);

    assertThat(r.status()).isEqualTo(Status.WRONG_EPOCH);
    assertThat(node.store.replicaOf(StoreKey.of("old-a"))).isNull();
    assertThat(node.store.replicaOf(StoreKey.of("old-b"))).isNull();
  }

  @Test
  void coordinator_replicaOnNewerEpochRefuses_writeAnsweredMaybeApplied_neverOk() {
    // The other owner installed a newer topology this node never gets within the budget.
    ScriptedPeers replica = ScriptedPeers.always(new Response.Failure(Status.WRONG_EPOCH,
        "node 'other' is on epoch " + (EPOCH + 1) + ", the sender on " + EPOCH));
    node.start(RouterHarness.settings(true, false, 200), ctx -> replica);
    String key = node.keyLedBy(SELF);

    Response r = node.serve(new Request.Set(Key.of(key), Buffer.buffer("v"), 0,
        SetMode.ALWAYS), 0, 0);

    assertThat(r.status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(((Response.Failure) r).message()).contains("'" + OTHER + "' refused",
        "not by every replica");
    assertThat(replica.sent).isNotEmpty().allSatisfy(s -> assertThat(s.epoch()).isEqualTo(EPOCH));
  }
}
