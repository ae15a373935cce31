package io.ringcache.node.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;

/**
 * A further front-end that each {@link ServerVerticle} starts on its own event loop, over that
 * loop's {@link RequestPath}, beside the binary and HTTP servers (today: RESP, when {@code
 * resp-port} is set).
 *
 * <h2>Design</h2>
 * The front-ends sit on a floor above the server: they use its settings, statistics and request
 * path, so the server must not name them. The node, which sees both floors, passes them in; the
 * verticle only calls {@link #listen} from its start and closes what it returns on stop.
 */
@FunctionalInterface
public interface LoopFrontEnd {
  /**
   * Binds from the calling verticle's context and serves through {@code path}. Never throws: a
   * failure to bind is a failed future.
   */
  Future<NetServer> listen(Vertx vertx, RequestPath path);
}
