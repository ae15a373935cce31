package io.ringcache.node.topology;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * What every node last said about itself: the newest topology epoch it installed, the newest
 * TRANSFER epoch whose outgoing streams it finished, and whether it asked to drain.
 *
 * <h2>Design</h2>
 * Each node broadcasts its own report on the event bus (the control plane) whenever it changes
 * and once a second, and also stores it in a cluster-wide map that every node reads once a
 * second; every node keeps everyone's latest report. The broadcast is the fast path; the map is
 * the one that cannot miss: a member that has just joined may not be a known subscriber of the
 * broadcast on every other member yet, and a report that never arrives would hold a rebalance
 * forever (seen here: a joiner waiting on one member's report for over a minute). So the coordinator learns when
 * a phase is complete without polling, and a new coordinator knows as much as the old one the
 * moment it takes over. A report replaces the previous one from the same node whole: a restarted
 * node's fresh report (not draining) wins over its old one.
 *
 * <p>Thread-safe; listeners run on the event-bus consumer's context and must not block.
 */
public final class ProgressBoard {

  /** Event-bus address of progress reports. */
  public static final String ADDRESS = "ringcache.progress";

  /**
   * One node's report. {@code incarnation} identifies the process (its Hazelcast member UUID), so
   * a node restarted under the same name never inherits its predecessor's progress or drain.
   */
  public record Report(String node, String incarnation, long installed, long transferred,
      boolean draining) {
    JsonObject toJson() {
      return new JsonObject().put("node", node).put("incarnation", incarnation)
          .put("installed", installed).put("transferred", transferred).put("draining", draining);
    }

    static Report fromJson(JsonObject json) {
      return new Report(json.getString("node"), json.getString("incarnation", ""),
          json.getLong("installed", 0L), json.getLong("transferred", 0L),
          json.getBoolean("draining", false));
    }
  }

  /** Cluster-wide map of the latest reports, {@code node name -> report JSON}. */
  public static final String MAP = "ringcache.progress";
  private static final long POLL_MILLIS = 1000;

  private final Vertx vertx;
  private final com.hazelcast.map.IMap<String, String> stored;
  private final Map<String, Report> reports = new ConcurrentHashMap<>();
  private long pollTimer = -1;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> consumer;

  public ProgressBoard(Vertx vertx, com.hazelcast.core.HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.stored = hazelcast.getMap(MAP);
  }

  public io.vertx.core.Future<Void> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, msg -> record(Report.fromJson(msg.body())));
    pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
    return consumer.completion();
  }

  public io.vertx.core.Future<Void> stop() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    return consumer == null ? io.vertx.core.Future.succeededFuture() : consumer.unregister();
  }

  /** Broadcasts {@code own} to every node, this one included, and stores it cluster-wide. */
  public void publish(Report own) {
    record(own);
    vertx.eventBus().publish(ADDRESS, own.toJson());
    stored.setAsync(own.node(), own.toJson().encode());
  }

  private void poll() {
    vertx.executeBlocking(() -> new ArrayList<>(stored.values()), false)
        .onSuccess(all -> {
          for (String json : all) {
            Report r = Report.fromJson(new JsonObject(json));
            if (!olderThanKnown(r)) {
              record(r);
            }
          }
        });
  }

  /**
   * The map can lag the broadcast, so a polled report must not step a node back. Within one
   * incarnation every field only moves forward (epochs grow, a drain is never withdrawn).
   */
  private boolean olderThanKnown(Report r) {
    Report known = reports.get(r.node());
    return known != null && known.incarnation().equals(r.incarnation())
        && (r.installed() < known.installed() || r.transferred() < known.transferred()
            || (known.draining() && !r.draining()));
  }

  private void record(Report report) {
    Report previous = reports.put(report.node(), report);
    if (!report.equals(previous)) {
      listeners.forEach(Runnable::run);
    }
  }

  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** What {@code node} in its {@code incarnation} reported installed; 0 if nothing yet. */
  public long installed(String node, String incarnation) {
    Report r = current(node, incarnation);
    return r == null ? 0 : r.installed();
  }

  public long transferred(String node, String incarnation) {
    Report r = current(node, incarnation);
    return r == null ? 0 : r.transferred();
  }

  /** Names of the live nodes ({@code name -> incarnation}) whose latest report asks to drain. */
  public Set<String> draining(Map<String, String> live) {
    return reports.values().stream()
        .filter(r -> r.draining() && r.incarnation().equals(live.get(r.node())))
        .map(Report::node)
        .collect(Collectors.toUnmodifiableSet());
  }

  private Report current(String node, String incarnation) {
    Report r = reports.get(node);
    return r != null && r.incarnation().equals(incarnation) ? r : null;
  }
}
