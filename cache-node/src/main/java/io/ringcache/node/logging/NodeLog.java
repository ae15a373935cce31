package io.ringcache.node.logging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The node's logging: one line per record on standard error, as text or as JSON, each line naming
 * the node and the topology epoch it had installed when the line was written.
 *
 * <h2>Design</h2>
 *
 * Everything logs through {@code java.util.logging} (ours, Vert.x's and Hazelcast's, which is told
 * {@code hazelcast.logging.type=jdk}), so one root handler with one {@link LineFormatter} shapes
 * every line and no logging library is needed. Operational events (membership change, topology
 * installed, rebalance start, progress and end, drain) go through {@link #event}, which attaches a
 * stable event name and fields to the record: the JSON form carries them as keys for log queries,
 * the text form keeps the human sentence. Node name and epoch are the ones {@link #bind} names for
 * this process; an event may name its own (in-JVM test clusters run several nodes in one process).
 *
 * <p>No value, key or secret is ever an event field: callers pass names, counts and epochs only.
 */
public final class NodeLog {

  /** Strong references: JUL holds loggers weakly, and a collected logger forgets its level. */
  private static final List<Logger> QUIETED = new CopyOnWriteArrayList<>();

  private static volatile String boundNode = "";
  private static volatile LongSupplier boundEpoch = () -> -1;

  private NodeLog() {}

  /**
   * Replaces the root handlers with one writing {@code format} lines at {@code level} and above to
   * standard error. Hazelcast's and Netty's chatter below WARN is kept out at INFO.
   */
  public static void configure(LogFormat format, LogLevel level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler handler = new ConsoleHandler();
    handler.setFormatter(new LineFormatter(format == LogFormat.JSON));
    handler.setLevel(level.julLevel());
    root.addHandler(handler);
    root.setLevel(level.julLevel());
    Level libraries = level.julLevel().intValue() < Level.INFO.intValue()
        ? level.julLevel() : Level.WARNING;
    QUIETED.clear();
    for (String name : List.of("io.netty", "com.hazelcast.internal", "com.hazelcast.system",
        "com.hazelcast.instance")) {
      Logger quieted = Logger.getLogger(name);
      quieted.setLevel(libraries);
      QUIETED.add(quieted);
    }
  }

  /** Names the node and its current epoch on every line this process writes from now on. */
  public static void bind(String node, LongSupplier epoch) {
    boundNode = Objects.requireNonNull(node, "node");
    boundEpoch = Objects.requireNonNull(epoch, "epoch");
  }

  static String boundNode() {
    return boundNode;
  }

  static long boundEpoch() {
    try {
      return boundEpoch.getAsLong();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Logs one operational event.
   *
   * @param event stable dotted name, {@code topology.installed}
   * @param node the node the event belongs to
   * @param epoch the epoch it belongs to, or -1 for the process's current one
   * @param message the sentence for people
   * @param fields alternating names and values: counts, names, epochs; never keys, values or secrets
   */
  public static void event(Logger logger, Level level, String event, String node, long epoch,
      String message, Object... fields) {
    if (!logger.isLoggable(level)) {
      return;
    }
    if (fields.length % 2 != 0) {
      throw new IllegalArgumentException("fields must alternate names and values, got "
          + fields.length + " items");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      map.put(String.valueOf(fields[i]), fields[i + 1]);
    }
    LogRecord record = new LogRecord(level, message);
    record.setLoggerName(logger.getName());
    record.setParameters(new Object[] {new Event(event, node, epoch, map)});
    logger.log(record);
  }

  /** The structured part of an event record. */
  record Event(String name, String node, long epoch, Map<String, Object> fields) {}
}
