package io.ringcache.node.bench;

import io.ringcache.node.testing.RawClient;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Key;
import io.ringcache.protocol.NodeAddress;
import io.ringcache.protocol.ProtocolLimits;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.ringcache.protocol.Topology;
import io.ringcache.ring.Member;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Raw-protocol load generator for one running ringcache cluster: GET and SET throughput and
 * latency with a fixed number of requests in flight. A benchmark, not a test: {@code bin/node-bench}
 * starts the nodes and runs it; the figures go to {@code docs/benchmarks.md}.
 *
 * <p>It asks the seed node for the topology, opens one connection per node (by default) and
 * sends every key straight to its primary owner, so it measures the nodes rather than forwarding;
 * {@code --no-routing} sends everything to the seed node instead. It writes the whole key space
 * once, then for each operation runs a warmup and a recorded window, and prints one markdown row
 * per operation.
 *
 * <p>The generator runs on a single Vert.x event loop: on the 2-core machine the figures were taken
 * on, the nodes share the same cores, and one loop keeps the generator's share of the CPU at about
 * one core. Only loopback targets are accepted.
 */
public final class NodeLoad {

  private static final long CONTROL_TIMEOUT_MILLIS = 60_000;
  private static final long PHASE_SLACK_SECONDS = 60;
  private static final long POPULATE_MILLIS = 600_000;

  private NodeLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--summarize")) {
      System.out.print(BenchSummary.markdown(Files.readAllLines(Path.of(args[1]))));
      return;
    }
    if (args.length == 0 || args[0].equals("--help")) {
      System.out.println(LoadOptions.USAGE);
      return;
    }
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("NodeLoad: " + e.getMessage());
      System.err.println(LoadOptions.USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(options));
  }

  private static int run(LoadOptions o) throws Exception {
    requireLoopback(o.seedHost(), "--seed");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    LoadGenerator generator = null;
    List<RawClient> control = new ArrayList<>();
    try {
      RawClient seed = RawClient.connect(vertx, o.seedPort());
      control.add(seed);
      Topology topology = await(awaitTopology(vertx, seed, o.expectNodes()),
          CONTROL_TIMEOUT_MILLIS);
      List<NodeAddress> members = members(topology);
      for (NodeAddress n : members) {
        requireLoopback(n.host(), "node '" + n.name() + "'");
      }
      NodeAddress seedNode = members.stream().filter(n -> n.clientPort() == o.seedPort())
          .findFirst().orElseThrow(() -> new IllegalStateException(
              "no ring member listens on port " + o.seedPort() + "; members: " + members));
      List<NodeAddress> targets = o.routing() ? members : List.of(seedNode);
      String label = o.target() != null ? o.target()
          : members.size() + (members.size() == 1 ? " node" : " nodes")
              + (o.routing() || members.size() == 1 ? "" : ", via " + seedNode.name());

      Key[] keys = new Key[o.keys()];
      int[] owner = new int[o.keys()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = Key.of(String.format("key:%08d", i));
        owner[i] = o.routing() ? indexOf(targets, primary(topology, keys[i])) : 0;
      }
      for (NodeAddress n : members) {
        if (n.clientPort() != o.seedPort()) {
          control.add(RawClient.connect(vertx, n.clientPort()));
        }
      }
      JsonObject before = requestCounts(control);

      int connections = o.connections() > 0 ? o.connections() : targets.size();
      generator = new LoadGenerator(vertx, new FrameCodec(ProtocolLimits.defaults()), targets,
          connections, keys, owner, o.valueBytes(), o.inFlight(), topology.epoch());
      await(generator.connect(), CONTROL_TIMEOUT_MILLIS);
      PhaseResult populated = await(generator.populate(), POPULATE_MILLIS);
      System.err.printf(Locale.ROOT, "# %s: wrote %,d keys of %d bytes in %.1f s, errors %s%n",
          label, o.keys(), o.valueBytes(), populated.seconds(), populated.errorText());

      List<PhaseResult> results = new ArrayList<>();
      for (LoadOptions.Op op : o.ops()) {
        long limit = (o.warmupSeconds() + o.measureSeconds() + PHASE_SLACK_SECONDS) * 1000L;
        results.add(await(generator.measure(op, o.warmupSeconds(), o.measureSeconds(),
            o.maxOpsPerPhase()), limit));
      }
      JsonObject after = requestCounts(control);

      if (o.header()) {
        System.out.println(BenchSummary.HEADER);
      }
      for (PhaseResult r : results) {
        System.out.println(BenchSummary.row(label, topology.replicationFactor(), r));
      }
      long total = after.getLong("total") - before.getLong("total");
      long forwarded = after.getLong("forwarded") - before.getLong("forwarded");
      System.err.printf(Locale.ROOT, "# %s: nodes served %,d requests, forwarded %,d (%.1f%%), "
          + "replicated %,d; %d answers from another epoch, %d unexpected answers; %d connections,"
          + " %d in flight, 1 event loop%n", label, total, forwarded,
          total == 0 ? 0.0 : 100.0 * forwarded / total,
          after.getLong("replicationsSent") - before.getLong("replicationsSent"),
          generator.answersFromOtherEpochs(), generator.unexpectedAnswers(), connections,
          o.inFlight());
      if (o.resultsFile() != null) {
        StringBuilder tsv = new StringBuilder();
        for (PhaseResult r : results) {
          tsv.append(BenchSummary.tsv(o.run(), label, topology.replicationFactor(), r)).append('\n');
        }
        Files.writeString(Path.of(o.resultsFile()), tsv, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      boolean clean = populated.errorCount() == 0
          && results.stream().allMatch(r -> r.errorCount() == 0);
      return clean ? 0 : 1;
    } finally {
      if (generator != null) {
        await(generator.close(), CONTROL_TIMEOUT_MILLIS);
      }
      control.forEach(RawClient::close);
      await(vertx.close(), CONTROL_TIMEOUT_MILLIS);
    }
  }

  /** Polls TOPOLOGY until it is stable with at least {@code expectNodes} ring members. */
  private static Future<Topology> awaitTopology(Vertx vertx, RawClient seed, int expectNodes) {
    Promise<Topology> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONTROL_TIMEOUT_MILLIS);
    pollTopology(vertx, seed, Math.max(1, expectNodes), deadline, done);
    return done.future();
  }

  private static void pollTopology(Vertx vertx, RawClient seed, int expectNodes, long deadline,
      Promise<Topology> done) {
    seed.send(new Request.GetTopology()).onComplete(ar -> {
      Topology t = ar.succeeded() && ar.result() instanceof Response.CurrentTopology c
          ? c.topology() : null;
      if (t != null && t.phase() == Topology.Phase.STABLE
          && t.readRing().size() >= expectNodes) {
        done.complete(t);
      } else if (System.nanoTime() - deadline > 0) {
        done.fail(String.format("no stable topology with %d members within %d s; last: %s",
            expectNodes, CONTROL_TIMEOUT_MILLIS / 1000, ar.succeeded() ? ar.result() : ar.cause()));
      } else {
        vertx.setTimer(200, id -> pollTopology(vertx, seed, expectNodes, deadline, done));
      }
    });
  }

  /** Ring members with their addresses, by name, so connection order is stable across runs. */
  private static List<NodeAddress> members(Topology t) {
    List<NodeAddress> out = new ArrayList<>();
    for (Member m : t.readRing().members()) {
      out.add(t.node(m.name()).orElseThrow());
    }
    out.sort(Comparator.comparing(NodeAddress::name));
    return out;
  }

  private static String primary(Topology t, Key key) {
    return t.readReplicas(key.position()).get(0).name();
  }

  private static int indexOf(List<NodeAddress> nodes, String name) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("owner '" + name + "' is not among " + nodes);
  }

  /** Request counters summed over the nodes' STATS answers. */
  private static JsonObject requestCounts(List<RawClient> nodes) {
    long total = 0;
    long forwarded = 0;
    long replications = 0;
    for (RawClient c : nodes) {
      Response r = c.call(new Request.GetStats());
      if (!(r instanceof Response.Stats s)) {
        throw new IllegalStateException("STATS failed: " + r);
      }
      JsonObject requests = new JsonObject(s.json()).getJsonObject("requests");
      total += requests.getLong("total");
      forwarded += requests.getLong("forwarded");
      replications += requests.getLong("replicationsSent");
    }
    return new JsonObject().put("total", total).put("forwarded", forwarded)
        .put("replicationsSent", replications);
  }

  private static void requireLoopback(String host, String what) throws IOException {
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException(
          what + " is at " + host + "; this benchmark drives loopback addresses only");
    }
  }

  private static <T> T await(Future<T> future, long millis) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
  }
}
