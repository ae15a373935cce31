package io.ringcache.node.resp;

import io.ringcache.node.server.LoopFrontEnd;
import io.ringcache.node.server.NodeStats;
import io.ringcache.node.server.ServerSettings;
import io.ringcache.node.store.StoreStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The RESP (Redis serialization protocol) front-end of one event loop: a server on {@code
 * resp-port} whose connections run their commands through that loop's request path, as the
 * binary and HTTP servers do. The node deploys one per event loop on the shared port, so Vert.x
 * spreads connections over the loops. See {@code docs/resp.md}.
 *
 * <p>Same settings as the binary port: TLS when configured, the idle timeout, the auth tokens,
 * and {@code maxConnections}, counted together with binary connections (a refused connection
 * gets Redis's "max number of clients reached").
 */
public final class RespServer {

  private final Vertx vertx;
  private final RespNode node;
  private final NodeStats stats;

  /**
   * @param stats the node's connection counts (open, accepted, rejected), shared with the binary
   *     port, so that {@code maxConnections} bounds both protocols together
   */
  public RespServer(Vertx vertx, RespNode node, NodeStats stats) {
    this.vertx = vertx;
    this.node = node;
    this.stats = stats;
  }

  /**
   * The RESP front-end each server verticle starts on its loop, over that loop's request path.
   *
   * @param epoch the installed topology's epoch
   * @param store this node's store statistics
   * @param stats the node's connection counts, shared with the binary port
   */
  public static LoopFrontEnd frontEnd(ServerSettings settings, LongSupplier epoch,
      Supplier<StoreStats> store, NodeStats stats) {
    return (vertx, path) -> new RespServer(vertx,
        new RespNode(path, settings, epoch, store, stats.openConnections::get), stats).listen();
  }

  /** Binds {@code settings.respPort()} from the calling verticle's context. Never throws. */
  public Future<NetServer> listen() {
    try {
      ServerSettings settings = node.settings();
      CommandTable commands = RespCommands.of(node);
      RespLimits limits = RespLimits.of(settings.limits());
      NetServer server = vertx.createNetServer(settings.tls().server(new NetServerOptions()
          .setHost(settings.host())
          .setPort(settings.respPort())
          .setTcpNoDelay(true)
          .setReuseAddress(true)
          .setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE,
              settings.connections().idleTimeoutMillis()))
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)));
      server.connectHandler(socket -> {
        int open = stats.openConnections.incrementAndGet();
        if (open > settings.maxConnections()) {
          stats.openConnections.decrementAndGet();
          stats.connectionsRejected.increment();
          socket.write(Buffer.buffer("-ERR max number of clients reached\r\n"))
              .onComplete(x -> socket.close());
          return;
        }
        stats.connectionsAccepted.increment();
        socket.closeHandler(v -> stats.openConnections.decrementAndGet());
        new RespConnection(socket, vertx.getOrCreateContext(), commands, limits,
            settings.maxInFlight(), settings.authRequired())
            .start(settings.connections().helloTimeoutMillis());
      });
      return server.listen();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
