package io.ringcache.node.server;

import io.ringcache.node.caches.CacheServices;
import io.ringcache.node.peer.NetPeerClient;
import io.ringcache.node.security.PeerSecret;
import io.ringcache.node.store.LocalStore;
import io.ringcache.node.store.WriteLog;
import io.ringcache.node.topology.TopologyHolder;
import io.ringcache.protocol.FrameCodec;
import io.ringcache.protocol.Request;
import io.ringcache.protocol.Status;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One event loop's share of the node's servers: a binary-protocol server and an HTTP server on
 * the shared ports (Vert.x spreads connections over the instances), with this loop's own
 * {@link RequestRouter} and peer connections. The node deploys one instance per event loop.
 * Further front-ends ({@link LoopFrontEnd}: RESP when {@code respPort} is set) join them on the
 * same loop and router. With TLS configured, every server accepts TLS only and peer connections
 * use TLS.
 */
public final class ServerVerticle extends VerticleBase {

  private final ServerSettings settings;
  private final ReplicaFaults faults;
  private final CacheServices caches;
  private final PeerSecret peerSecret;
  private final LocalStore store;
  private final WriteLog writes;
  private final TopologyHolder topology;
  private final NodeStats stats;
  private final StatsReport report;
  private final BooleanSupplier draining;
  private final Runnable requestDrain;
  private final List<io.vertx.core.Context> serverContexts;
  private final ServerMetrics metrics;
  private final Supplier<Future<io.vertx.core.json.JsonObject>> antiEntropyNow;
  private final Supplier<Future<io.vertx.core.json.JsonObject>> snapshotNow;
  private final List<LoopFrontEnd> frontEnds;
  private NetPeerClient peers;
  private final List<Object> servers = new ArrayList<>();

  /**
   * @param peerSecret presented to peers, and asked of connections that send peer-only ops
   * @param antiEntropyNow runs an anti-entropy round now ({@code POST /v1/admin/anti-entropy})
   * @param snapshotNow writes the warm-restart snapshot now ({@code POST /v1/admin/snapshot})
   * @param frontEnds started on this loop over its request path, beside the binary and HTTP
   *     servers
   */
  public ServerVerticle(ServerSettings settings, PeerSecret peerSecret, LocalStore store,
      WriteLog writes, TopologyHolder topology,
      NodeStats stats, StatsReport report, BooleanSupplier draining,
      Runnable requestDrain, List<io.vertx.core.Context> serverContexts, ServerMetrics metrics,
      ReplicaFaults faults, CacheServices caches,
      Supplier<Future<io.vertx.core.json.JsonObject>> antiEntropyNow,
      Supplier<Future<io.vertx.core.json.JsonObject>> snapshotNow, List<LoopFrontEnd> frontEnds) {
    this.frontEnds = List.copyOf(frontEnds);
    this.antiEntropyNow = antiEntropyNow;
    this.snapshotNow = snapshotNow;
    this.caches = caches;
    this.faults = faults;
    this.peerSecret = peerSecret;
    this.serverContexts = serverContexts;
    this.metrics = metrics;
    this.draining = draining;
    this.requestDrain = requestDrain;
    this.settings = settings;
    this.store = store;
    this.writes = writes;
    this.topology = topology;
    this.stats = stats;
    this.report = report;
  }

  @Override
  public Future<?> start() {
    serverContexts.add(context);
    FrameCodec codec = new FrameCodec(settings.limits());
    Request.Hello hello = new Request.Hello(FrameCodec.PROTOCOL_VERSION, settings.authToken(),
        "peer:" + settings.nodeName(), peerSecret.bytes());
    peers = new NetPeerClient(vertx, context, codec, settings.requestTimeoutMillis(), hello,
        topology::epoch, settings.tls(), stats.replicaFrames, settings.host());
    RequestRouter router = new RequestRouter(settings, store, writes, topology, peers, stats, report,
        metrics, faults, caches);

    NetServer net = vertx.createNetServer(settings.tls().server(new NetServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE,
            settings.connections().idleTimeoutMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)));
    net.connectHandler(socket -> {
      int open = stats.openConnections.incrementAndGet();
      if (open > settings.maxConnections()) {
        stats.openConnections.decrementAndGet();
        stats.connectionsRejected.increment();
        stats.error(Status.BUSY);
        Buffer refusal = Buffer.buffer();
        codec.encodeError(refusal, 0, 0, topology.epoch(), Status.BUSY, String.format(
            "%d connections open, limit is %d (maxConnections)", open - 1,
            settings.maxConnections()));
        socket.write(refusal).onComplete(x -> socket.close());
        return;
      }
      stats.connectionsAccepted.increment();
      ClientConnection connection = new ClientConnection(socket, context, codec, router,
          settings, peerSecret, stats, topology::epoch);
      socket.closeHandler(v -> {
        stats.openConnections.decrementAndGet();
        connection.closed();
      });
      connection.start();
    });
    Future<?> netListening = net.listen().onSuccess(servers::add);
    List<Future<?>> listening = new ArrayList<>(List.of(netListening));

    // Further front-ends run on this loop with this loop's router, like the binary server.
    RequestPath path = request -> router.handle(request, 0, 0).otherwise(RequestRouter::failure);
    for (LoopFrontEnd frontEnd : frontEnds) {
      listening.add(frontEnd.listen(vertx, path).onSuccess(servers::add));
    }
    if (settings.httpPort() <= 0) {
      return Future.all(listening);
    }
    HttpServer http = vertx.createHttpServer(settings.tls().server(new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.httpPort())
        .setReuseAddress(true)));
    http.requestHandler(new HttpApi(router, settings, report, topology, draining, requestDrain,
        metrics, antiEntropyNow, snapshotNow).handler(vertx));
    listening.add(http.listen().onSuccess(servers::add));
    return Future.all(listening);
  }

  @Override
  public Future<?> stop() {
    serverContexts.remove(context);
    List<Future<?>> closing = new ArrayList<>();
    for (Object s : servers) {
      if (s instanceof NetServer n) {
        closing.add(n.close());
      } else if (s instanceof HttpServer h) {
        closing.add(h.close());
      }
    }
    if (peers != null) {
      closing.add(peers.close());
    }
    return Future.join(closing);
  }
}
