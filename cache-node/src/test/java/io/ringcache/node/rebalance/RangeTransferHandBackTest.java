package io.ringcache.node.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.protocol.SetMode;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.store.StoreKey;
import io.ringcache.node.topology.Self;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-back after a heal: every entry the node holds goes to each other read owner of its
 * key, owned or not, tombstones included, and to nobody else.
 */
class RangeTransferHandBackTest {

  private static final int KEYS = 2_000;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void handBack_everyEntryToEachOtherReadOwner() throws Exception {
    LocalStore store = LocalStore.create(new StoreConfig(64 << 20, Duration.ofSeconds(60)),
        HybridClock.forNode("a"));
    for (int i = 0; i < KEYS; i++) {
      store.set(StoreKey.of("k" + i), "v".getBytes(StandardCharsets.US_ASCII), 0, SetMode.ALWAYS);
    }
    store.delete(StoreKey.of("k0"));
    Ring.Builder ring = Ring.builder();
    List<String> names = List.of("a", "b", "c", "d");
    for (int i = 0; i < names.size(); i++) {
      long[] tokens = new long[8];
      for (int j = 0; j < tokens.length; j++) {
        tokens[j] = Long.MIN_VALUE + (j * 4L + i) * (Long.MAX_VALUE / 16) + 1;
      }
      ring.add(Member.of(names.get(i)), tokens);
    }
    Ring r = ring.build();
    Topology t = Topology.stable(9, 2, names.stream().map(n -> new NodeAddress(n, "127.0.0.1",
        1, 2, NodeAddress.State.UP)).toList(), r);

    Map<String, Set<String>> received = new ConcurrentHashMap<>();
    Set<String> tombstones = ConcurrentHashMap.newKeySet();
    PeerClient recorder = new PeerClient() {
      @Override
      public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
        Request.Replicate rep = (Request.Replicate) request;
        String key = rep.key().asString();
        assertThat(epoch).isEqualTo(9);
        received.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(peer.name());
        if (rep.tombstone()) {
          tombstones.add(key);
        }
        return Future.succeededFuture(new Response.Ok());
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    Context context = vertx.getOrCreateContext();
    RangeTransfer transfer = new RangeTransfer(vertx, context, new Self("a", ""), store,
        io.ringcache.node.store.WriteLog.withDefaults(),
        recorder, new RebalanceStatus(), new TransferGate(), 64, 0, () -> 9L);

    CompletableFuture<Long> sent = new CompletableFuture<>();
    context.runOnContext(v -> transfer.handBack(t).onComplete(ar -> {
      if (ar.succeeded()) {
        sent.complete(ar.result());
      } else {
        sent.completeExceptionally(ar.cause());
      }
    }));

    long total = sent.get(10, TimeUnit.SECONDS);
    Map<String, Set<String>> expected = new HashMap<>();
    int notOwned = 0;
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      Set<String> owners = t.readReplicas(Key.of(key).position()).stream().map(Member::name)
          .collect(Collectors.toCollection(HashSet::new));
      if (!owners.remove("a")) {
        notOwned++;
      }
      expected.put(key, owners);
    }
    assertThat(notOwned).as("keys node a does not own").isGreaterThan(KEYS / 4);
    assertThat(received).isEqualTo(expected);
    assertThat(total).isEqualTo(expected.values().stream().mapToLong(Set::size).sum());
    assertThat(tombstones).containsExactly("k0");
  }
}
