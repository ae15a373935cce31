package io.ringcache.node.rebalance;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
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
 * and once a second, and every node keeps everyone's latest report. So the coordinator learns when
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

  private final Vertx vertx;
  private final Map<String, Report> reports = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> consumer;

  public ProgressBoard(Vertx vertx) {
    this.vertx = vertx;
  }

  public io.vertx.core.Future<Void> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, msg -> record(Report.fromJson(msg.body())));
    return consumer.completion();
  }

  public io.vertx.core.Future<Void> stop() {
    return consumer == null ? io.vertx.core.Future.succeededFuture() : consumer.unregister();
  }

  /** Broadcasts {@code own} to every node, this one included. */
  public void publish(Report own) {
    record(own);
    vertx.eventBus().publish(ADDRESS, own.toJson());
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
