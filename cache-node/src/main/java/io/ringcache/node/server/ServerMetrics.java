package io.ringcache.node.server;

import io.ringcache.protocol.Opcode;
import io.ringcache.protocol.Status;

/**
 * What the servers report to, and read from, the node's metrics. An interface here so that the
 * request path does not depend on the metrics library; {@code io.ringcache.node.metrics}
 * implements it.
 */
public interface ServerMetrics {

  /** Prometheus text exposition format 0.0.4, the format every Prometheus version scrapes. */
  String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Called once per request the router answered, on the event loop that answered it; must be
   * cheap and must not block.
   */
  void requestServed(Opcode op, Status status, long nanos);

  /** Every meter in {@link #CONTENT_TYPE}. May take a millisecond or more: call it off the loops. */
  String scrape();
}
