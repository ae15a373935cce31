package io.ringcache.node.server;

import static io.ringcache.node.server.RouterHarness.OTHER;
import static io.ringcache.node.server.RouterHarness.SELF;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.RouterHarness.ScriptedPeers;
import io.ringcache.node.store.HybridClock;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md, {@code --write-acks} and {@code --read-from}. With {@code one} the
 * coordinating owner answers a write once it applied it, while the replica write is still
 * unanswered; with {@code all} (the default) the answer waits for the replica. With {@code any} a
 * replica answers a read from its own copy (which may be behind); with {@code primary} it forwards
 * the read to the primary. The replica here is a peer client that holds every send until the
 * test answers it, so "before the replica applied" is a state, not a race.
 */
class WriteAcksReadFromTest {

  private static final long EPOCH = 4;

  private final RouterHarness node = new RouterHarness();
  private final List<Promise<Response>> held = new CopyOnWriteArrayList<>();

  WriteAcksReadFromTest() {
    node.topology.install(RouterHarness.twoOwners(EPOCH, RouterHarness.otherAt(3)));
  }

  @AfterEach
  void close() {
    node.onLoop(() -> held.stream().map(p -> p.tryComplete(new Response.Ok())).count());
    node.close();
  }

  private Request.Set set(String key) {
    return new Request.Set(Key.of(key), Buffer.buffer("v"), 0, SetMode.ALWAYS);
  }

  @Test
  void writeAcksOne_answeredWhileReplicaWriteIsUnanswered() {
    node.start(RouterHarness.settings(false, false, 2_000), ctx -> ScriptedPeers.holding(held));

    Response r = node.serve(set(node.keyLedBy(SELF)), 0, 0);

    assertThat(r).isInstanceOf(Response.Stored.class);
    assertThat(held).singleElement()
        .satisfies(p -> assertThat(node.onLoop(p.future()::isComplete)).isFalse());
  }

  @Test
  void writeAcksAll_answerWaitsForReplica() {
    node.start(RouterHarness.settings(true, false, 2_000), ctx -> ScriptedPeers.holding(held));

    Future<Response> answer = node.send(set(node.keyLedBy(SELF)), 0, 0);

    assertThat(held).hasSize(1);
    assertThat(node.onLoop(answer::isComplete)).isFalse();
    node.onLoop(() -> held.get(0).tryComplete(new Response.Ok()));
    assertThat(RouterHarness.await(answer)).isInstanceOf(Response.Stored.class);
  }

  /** SELF is the key's second owner and holds "replica-copy"; the primary holds another value. */
  private String replicaHeldKey() {
    String key = node.keyLedBy(OTHER);
    Request.Replicate copy = new Request.Replicate(Key.of(key),
        HybridClock.forNode(OTHER).next(), -1, false, Buffer.buffer("replica-copy"));
    assertThat(node.serve(copy, 0, EPOCH).status()).isEqualTo(Status.OK);
    return key;
  }

  private static ScriptedPeers primaryHolding(String value) {
    return ScriptedPeers.always(new Response.Value(1, -1, Buffer.buffer(value)));
  }

  @Test
  void readFromAny_replicaServesItsOwnCopy() {
    ScriptedPeers primary = primaryHolding("primary-copy");
    node.start(RouterHarness.settings(true, true, 2_000), ctx -> primary);
    String key = replicaHeldKey();

    Response r = node.serve(new Request.Get(Key.of(key)), 0, 0);

    assertThat(((Response.Value) r).value().toString()).isEqualTo("replica-copy");
    assertThat(primary.sent).isEmpty();
  }

  @Test
  void readFromPrimary_replicaForwardsToPrimary() {
    ScriptedPeers primary = primaryHolding("primary-copy");
    node.start(RouterHarness.settings(true, false, 2_000), ctx -> primary);
    String key = replicaHeldKey();

    Response r = node.serve(new Request.Get(Key.of(key)), 0, 0);

    assertThat(((Response.Value) r).value().toString()).isEqualTo("primary-copy");
    assertThat(primary.sent).singleElement()
        .satisfies(s -> assertThat(s.request()).isInstanceOf(Request.Get.class));
  }
}
