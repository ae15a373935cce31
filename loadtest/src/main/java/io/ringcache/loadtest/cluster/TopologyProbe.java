package io.ringcache.loadtest.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 *
 * <p>It reads three things from the node's JSON with Jackson: the top-level {@code "epoch"} and
 * {@code "phase"} and the {@code "name"} of each entry of {@code "nodes"}; anything else the node
 * adds to the document, at any depth and in any order, is ignored.
 */
final class TopologyProbe {

  /** Thread-safe once configured; reads trees only. */
  private static final ObjectMapper JSON = new ObjectMapper();

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
      return parse(node.name(), response.body());
    } catch (IOException | RuntimeException e) {
      return Seen.failed(node.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Seen.failed(node.name(), "interrupted");
    }
  }

  static Seen parse(String node, String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Seen.failed(node, "not JSON: " + e.getOriginalMessage() + " in " + body);
    }
    JsonNode epoch = root == null ? null : root.get("epoch");
    JsonNode phase = root == null ? null : root.get("phase");
    if (epoch == null || !epoch.canConvertToExactIntegral() || phase == null
        || !phase.isTextual()) {
      return Seen.failed(node, "no epoch or phase in " + body);
    }
    Set<String> members = new TreeSet<>();
    for (JsonNode entry : root.path("nodes")) {
      JsonNode name = entry.get("name");
      if (name != null && name.isTextual()) {
        members.add(name.asText());
      }
    }
    return new Seen(node, epoch.asLong(), phase.asText(), members, null);
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
