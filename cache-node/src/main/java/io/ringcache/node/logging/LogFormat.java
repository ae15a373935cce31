package io.ringcache.node.logging;

/** How the node writes its log lines to standard error. */
public enum LogFormat {
  /** One human-readable line per record: time, level, node, epoch, event, message. */
  TEXT,
  /** One JSON object per line with the same fields, for log shippers. */
  JSON
}
