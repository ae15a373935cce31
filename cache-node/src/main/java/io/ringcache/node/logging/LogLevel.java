package io.ringcache.node.logging;

import java.util.logging.Level;

/** The least severe log level written; the names operators know, mapped onto JUL's levels. */
public enum LogLevel {
  ERROR(Level.SEVERE),
  WARN(Level.WARNING),
  INFO(Level.INFO),
  DEBUG(Level.FINE),
  TRACE(Level.FINEST);

  private final Level jul;

  LogLevel(Level jul) {
    this.jul = jul;
  }

  /** The {@code java.util.logging} level this stands for. */
  public Level julLevel() {
    return jul;
  }
}
