package io.ringcache.loadtest.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asks nodes for {@code GET /v1/topology} and decides whether they agree: every node lists exactly
 * the expected names, all at one epoch, in phase {@code STABLE}.
 */
final class TopologyProbe {

  /** What one node answered, or why it did not. */
  record Seen(String node, long epoch, String phase, Set<String> members, String error) {

    static Seen failed(String node, String error) {
      return new Seen(node, -1, "", Set.of(), error);
    }

    @Override
    public String toString() {
      return error != null
          ? node + ": " + error
          : node + ": epoch " + epoch + " " + phase + " " + members;
    }
  }

  private final HttpClient http;
  private final Duration requestTimeout;

  TopologyProbe(HttpClient http, Duration requestTimeout) {
    this.http = http;
    this.requestTimeout = requestTimeout;
  }

  Seen ask(LocalNode node) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpBase() + "/v1/topology"))
        .timeout(requestTimeout).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Seen.failed(node.name(), "HTTP " + response.statusCode());
      }
      JsonObject json = new JsonObject(response.body());
      Set<String> members = new TreeSet<>();
      JsonArray nodes = json.getJsonArray("nodes", new JsonArray());
      for (int i = 0; i < nodes.size(); i++) {
        members.add(nodes.getJsonObject(i).getString("name"));
      }
      return new Seen(node.name(), json.getLong("epoch", -1L), json.getString("phase", ""),
          members, null);
    } catch (IOException | RuntimeException e) {
      return Seen.failed(node.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Seen.failed(node.name(), "interrupted");
    }
  }

  List<Seen> askAll(Collection<LocalNode> nodes) {
    List<Seen> seen = new ArrayList<>(nodes.size());
    for (LocalNode node : nodes) {
      seen.add(ask(node));
    }
    return seen;
  }

  /** True when every answer lists exactly {@code expected}, at one epoch, in STABLE. */
  static boolean agree(List<Seen> seen, Set<String> expected) {
    if (seen.isEmpty()) {
      return false;
    }
    long epoch = seen.get(0).epoch();
    for (Seen s : seen) {
      if (s.error() != null || s.epoch() != epoch || !"STABLE".equals(s.phase())
          || !s.members().equals(expected)) {
        return false;
      }
    }
    return true;
  }
}
