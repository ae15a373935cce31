package io.ringcache.node.server;

import static io.ringcache.node.server.RouterHarness.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.server.RouterHarness.ScriptedPeers;
import io.ringcache.node.store.StoreKey;
import io.ringcache.protocol.Flags;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.SetMode;
import io.ringcache.protocol.Status;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md, FORWARDED: a node that does not own a key forwards a client's request once,
 * to the owner, with the FORWARDED flag; a request that arrives FORWARDED at a node that does not
 * own the key is answered NOT_OWNER ("not applied; refresh") and never forwarded again, so two
 * nodes on different epochs cannot bounce a request between them. The peer client here records
 * what leaves the node, so a second hop would show as a send.
 */
class ForwardOnceTest {

  private static final long EPOCH = 3;

  private final RouterHarness node = new RouterHarness();
  private final ScriptedPeers owner = ScriptedPeers.always(new Response.Ok());
  private String key;

  @BeforeEach
  void start() {
    node.topology.install(RouterHarness.twoOwners(EPOCH, RouterHarness.otherAt(3)));
    node.start(RouterHarness.settings(true, false, 2_000), ctx -> owner);
    key = node.keyLedBy(OTHER);
  }

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void get_fromClient_notOwner_forwardedOnceWithForwardedFlag() {
    Response r = node.serve(new Request.Get(Key.of(key)), 0, 0);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(owner.sent).singleElement().satisfies(s -> {
      assertThat(s.peer().name()).isEqualTo(OTHER);
      assertThat(Flags.isSet(s.flags(), Flags.FORWARDED)).isTrue();
      assertThat(s.epoch()).isEqualTo(EPOCH);
    });
  }

  @Test
  void get_forwarded_notOwner_answersNotOwner_sendsNothing() {
    Response r = node.serve(new Request.Get(Key.of(key)), Flags.FORWARDED, EPOCH);

    assertThat(r.status()).isEqualTo(Status.NOT_OWNER);
    assertThat(((Response.Failure) r).message()).contains("epoch " + EPOCH, "'" + OTHER + "'",
        "refresh");
    assertThat(owner.sent).isEmpty();
  }

  @Test
  void set_forwarded_notOwner_answersNotOwner_notApplied_sendsNothing() {
    Response r = node.serve(new Request.Set(Key.of(key), Buffer.buffer("v"), 0, SetMode.ALWAYS),
        Flags.FORWARDED, EPOCH);

    assertThat(r.status()).isEqualTo(Status.NOT_OWNER);
    assertThat(node.store.replicaOf(StoreKey.of(key))).isNull();
    assertThat(owner.sent).isEmpty();
  }

  @Test
  void increment_forwarded_notOwner_answersNotOwner_sendsNothing() {
    Response r = node.serve(new Request.Increment(Key.of(key), 1, 0), Flags.FORWARDED, EPOCH);

    assertThat(r.status()).isEqualTo(Status.NOT_OWNER);
    assertThat(owner.sent).isEmpty();
  }
}
