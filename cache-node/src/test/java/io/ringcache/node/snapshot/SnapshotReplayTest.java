package io.ringcache.node.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.HybridClock;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.StoreConfig;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.ringcache.ring.Ring;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the replay does when the snapshot it checked at start turns out damaged when it reads it
 * again (changed on disk meanwhile): nothing of the damaged block or after it is sent, and the
 * replay stops for good instead of retrying every second; and a write dropped from the
 * maintenance queue by a close still completes its future.
 */
class SnapshotReplayTest {

  private static final String SELF = "self";
  private static final long TIMEOUT_SECONDS = 60;
  /** Values of 1 KiB: three blocks of about 1 MiB hold 3,000 entries. */
  private static final int ENTRIES = 3_000;

  private final Vertx vertx = Vertx.vertx();
  private final TopologyHolder topology = new TopologyHolder(1);

  @TempDir Path dir;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void run_blockDamagedAfterTheCheck_sendsOnlyTheBlocksBeforeIt_andFails() throws Exception {
    writeSnapshot();
    SnapshotReader.Verified checked = SnapshotReader.verify(dir).orElseThrow();
    assertThat(checked.blocks()).isGreaterThanOrEqualTo(3);
    List<String> firstBlock = new ArrayList<>();
    try (SnapshotReader r = SnapshotReader.open(checked.file())) {
      r.nextBlock().forEach(e -> firstBlock.add(new String(e.key(), StandardCharsets.UTF_8)));
    }
    damage(checked.file(), checked.bytes() / 2);

    Set<String> sent = Collections.synchronizedSet(new HashSet<>());
    PeerClient peers = new PeerClient() {
      @Override
      public Future<Response> send(NodeAddress peer, int flags, long epoch, Request request) {
        sent.add(new String(((Request.Replicate) request).key().toBytes(),
            StandardCharsets.UTF_8));
        return Future.succeededFuture(new Response.Ok());
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
    Topology t = install();
    Context context = vertx.getOrCreateContext();
    SnapshotReplay replay = new SnapshotReplay(context, peers, topology::epoch,
        System::currentTimeMillis);
    Promise<SnapshotReplay.Outcome> outcome = Promise.promise();
    context.runOnContext(v -> replay.run(checked.file(), t).onComplete(outcome));
    Throwable failure = outcome.future().toCompletionStage().toCompletableFuture()
        .handle((o, e) -> e).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(failure).isInstanceOf(SnapshotException.class)
        .hasMessageContaining(checked.file().toString())
        .hasMessageContaining("checksum does not match");
    assertThat(sent).as("keys replayed: the blocks before the damaged one, nothing after")
        .containsExactlyInAnyOrderElementsOf(firstBlock);
  }

  @Test
  void warmRestart_snapshotDamagedAfterTheCheck_stopsTheReplayAndReportsIt() throws Exception {
    writeSnapshot();
    WarmRestart warm = warmRestart(Runnable::run);
    warm.load();
    assertThat(warm.replayPending()).isTrue();
    damage(dir.resolve(SnapshotFile.FILE_NAME), 100);

    await(warm.start());
    install();
    Awaitility.await().atMost(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .until(() -> !warm.replayPending());
    JsonObject json = warm.json();
    assertThat(json.getJsonObject("replay").getString("state")).isEqualTo("failed");
    assertThat(json.getString("corrupt")).contains(dir.resolve(SnapshotFile.FILE_NAME).toString())
        .contains("checksum does not match");
    await(warm.stop());
  }

  @Test
  void write_droppedFromTheMaintenanceQueueByAClose_failsItsFuture() throws Exception {
    List<Runnable> queued = new ArrayList<>();
    WarmRestart warm = warmRestart(queued::add);
    warm.load();
    Future<JsonObject> write = warm.write();
    assertThat(queued).hasSize(1);
    assertThat(write.isComplete()).isFalse();

    warm.abandonWrites();

    Throwable failure = write.toCompletionStage().toCompletableFuture().handle((o, e) -> e)
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed before its snapshot to " + dir + " was written");
  }

  private void writeSnapshot() throws IOException {
    byte[] value = new byte[1024];
    SnapshotFile.write(dir, new SnapshotFile.Header(SELF, System.currentTimeMillis(), 0, 1),
        sink -> {
          for (int i = 0; i < ENTRIES; i++) {
            sink.put(("key-" + i).getBytes(StandardCharsets.UTF_8), i + 1, false, 0, value);
          }
        });
  }

  private static void damage(Path file, long at) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) at] ^= 0x01;
    Files.write(file, bytes);
  }

  /** A STABLE topology of this node alone, installed; returned. */
  private Topology install() {
    Ring ring = Ring.builder().add(Member.of(SELF), 0L).build();
    Topology t = Topology.stable(topology.epoch() + 1, 1, List.of(
        new NodeAddress(SELF, "127.0.0.1", 1, 2, NodeAddress.State.UP, "")), ring);
    topology.install(t);
    return t;
  }

  private WarmRestart warmRestart(java.util.concurrent.Executor maintenance) {
    ServerSettings settings = new ServerSettings(SELF, "127.0.0.1", 0, 0, true, false, 10, 10,
        2_000, "", ProtocolLimits.defaults());
    LocalStore store = LocalStore.create(new StoreConfig(8 << 20, Duration.ofSeconds(60)),
        HybridClock.forNode(SELF));
    return new WarmRestart(vertx, dir, settings, PeerSecret.generate(new SecureRandom()), store,
        topology, Duration.ofSeconds(60), maintenance);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
