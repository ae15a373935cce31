package io.ringcache.node.server;

import io.ringcache.protocol.Request;
import io.ringcache.protocol.Response;
import io.vertx.core.Future;

/**
 * One event loop's request path as a front-end sees it: routing, forwarding, replication and
 * metrics, the same for every protocol. The RESP front-end ({@code node.resp}) serves its commands
 * through it; it is declared here, on the server's floor, so that the server hands it out without
 * knowing who takes it (see {@link LoopFrontEnd}).
 */
@FunctionalInterface
public interface RequestPath {
  /** Never throws; the future never fails: failures arrive as {@link Response.Failure}. */
  Future<Response> call(Request request);
}
